"""Rules x report -> diagnostics.

Each rule's quantifiers are expanded into bindings; each assert in a binding passes, fails or is
not assessable. Only failures become diagnostics: a missing table makes its rules not assessable,
and the structure rules report the missing table itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from .. import matching
from ..dsl import ir
from ..dsl.compile import CmpResult, Env, TableHandle, capture_key, compile_expr
from ..dsl.patterns import TEXT_KINDS
from ..model import Diagnostic, Location, Paragraph, Related, Report
from .consolidate import Evidence, in_yuan
from .discrepancy import rounding_slip, unit_gap
from .fingerprints import fingerprint
from .interval import Amount, CellRef, Comparison, NotAssessable, compare
from .narrative import Mention, captured, find_mentions, mention_pattern
from .views import ReportIndex, RowRef

FAILED_OP = {"==": "≠", "!=": "=", "<=": ">", "<": "≥", ">=": "<", ">": "≤"}


@dataclass
class Outcome:
    passed: int = 0
    failed: int = 0
    not_assessable: int = 0
    tail: int = 0
    reasons: list[str] = field(default_factory=list)
    timed_out: bool = False
    # The figures printed in the prose that an assessed check compared (place, printed digits):
    # what ``coverage`` counts as checked.
    stated: set[tuple[Location, str]] = field(default_factory=set)

    def skip(self, reason: str) -> None:
        self.not_assessable += 1
        if reason not in self.reasons and len(self.reasons) < 5:
            self.reasons.append(reason)


@dataclass(frozen=True, slots=True)
class Matched:
    """One match of a rule's text pattern: where its findings point by default, the matched text,
    and the sentence it sits in (the paragraph and the offsets of the match), by which ``covers``
    tells the findings of several rules about one sentence."""

    loc: Location
    text: str
    paragraph: Location
    start: int
    end: int


@dataclass
class CompiledClause:
    binder: ir.Binder | None
    check: ir.Check | None
    source: Callable | None = None
    where: Callable | None = None
    expr: Callable | None = None
    regex: matching.Pattern | None = None


@dataclass
class CompiledRule:
    rule: ir.CheckedRule
    clauses: list[CompiledClause]
    message: list[tuple[str, Callable | None]] | None
    severity: str
    help_uri: str | None = None
    forbidding: bool = False
    at: Callable | None = None

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def status(self) -> str:
        return self.rule.status

    @property
    def locates_captures(self) -> bool:
        return isinstance(self.rule.at, ir.CaptureLoc)


def compile_rule(rule: ir.CheckedRule, help_uri: str | None = None) -> CompiledRule:
    tol = rule.tolerance
    clauses: list[CompiledClause] = []
    for c in rule.clauses:
        if isinstance(c, ir.Check):
            clauses.append(CompiledClause(None, c, expr=compile_expr(c.expr, tol)))
            continue
        cc = CompiledClause(c, None)
        if c.source is not None:
            cc.source = compile_expr(c.source, tol)
        if c.where is not None:
            cc.where = compile_expr(c.where, tol)
        if c.pattern is not None:
            cc.regex = mention_pattern(c.pattern) if c.kind == "mention" else matching.compile(c.pattern.regex)
        clauses.append(cc)
    message = None
    if rule.message is not None:
        message = [(p.text, compile_expr(p.expr, tol) if p.expr is not None else None) for p in rule.message]
    checks = [c for c in rule.clauses if isinstance(c, ir.Check)]
    forbidding = bool(checks) and all(isinstance(c.expr, ir.Const) and c.expr.value is False for c in checks)
    at = compile_expr(rule.at, tol) if rule.at is not None else None
    return CompiledRule(rule, clauses, message, rule.severity, help_uri, forbidding, at)


class _Run:
    def __init__(self, rule: CompiledRule, index: ReportIndex, outcome: Outcome) -> None:
        self.rule = rule
        self.index = index
        self.outcome = outcome
        self.diagnostics: list[Diagnostic] = []
        self.report = index.report
        self.scanned = 0

    def walk(self, i: int, env: Env, anchors: tuple[Any, ...], corrected: list[Env] | None = None) -> None:
        """``corrected`` holds, for the current binding, environments in which a stated figure already
        reported wrong is replaced by the table's figure, to tell later checks that fail only because of it."""
        clauses = self.rule.clauses
        if i == len(clauses):
            return
        matching.check_time()
        c = clauses[i]
        corrected = [] if corrected is None else corrected
        if c.check is not None:
            self.evaluate_check(c, env, anchors, corrected)
            self.walk(i + 1, env, anchors, corrected)
            return
        b = c.binder
        assert b is not None
        if b.kind in ("let", "when"):
            try:
                value = (c.source or c.where)(env)
            except NotAssessable as exc:
                self.outcome.skip(str(exc))
                return
            if b.kind == "let":
                fixed = [
                    e.bind(b.var, _named(v, b.var)) for e in corrected if (v := _value_in(c.source, e)) is not None
                ]
                self.walk(i + 1, env.bind(b.var, _named(value, b.var)), anchors, fixed)
            elif value:
                self.walk(i + 1, env, anchors, corrected)
            return
        try:
            items = list(self.items(c, env))
        except NotAssessable as exc:
            self.outcome.skip(str(exc))
            return
        for item, bindings in items:
            inner = env
            for name, value in bindings.items():
                inner = inner.bind(name, value)
            if c.where is not None:
                try:
                    if not c.where(inner):
                        continue
                except NotAssessable:
                    continue
            self.walk(i + 1, inner, (*anchors, item))

    def items(self, c: CompiledClause, env: Env):
        b = c.binder
        if b.kind == "row":
            for ref in c.source(env):
                yield ref, {b.var: ref}
        elif b.kind == "column":
            for col in b.columns:
                yield None, {b.var: col}
        elif b.kind == "table":
            value = c.source(env)
            for h in value if isinstance(value, list) else [value]:
                yield h, {b.var: h}
        elif b.kind == "match":
            for para in self.paragraphs(b.sections, b.headings, b.prose):
                for m in matching.finditer(c.regex, para.text):
                    try:
                        caps = captured(b.pattern, m, para)
                    except NotAssessable as exc:
                        self.outcome.skip(str(exc))
                        continue
                    if self.rule.locates_captures:
                        caps.update(_capture_locations(b.pattern, m, para))
                    first = next((v for v in caps.values() if isinstance(v, Amount)), None)
                    loc = first.cells[0].loc if first is not None and first.cells else para.locate(m.start(), m.end())
                    caps.update(_specials_of(para, m.start(), m.end()))
                    yield Matched(loc, m.group(0), para.loc, m.start(), m.end()), caps
        elif b.kind == "mention":
            handle: TableHandle = c.source(env)
            view = handle.view(self.index)
            for mention in find_mentions(
                view, b.columns[0], c.regex, b.pattern, self.paragraphs(b.sections, prose=b.prose)
            ):
                bindings = {b.var: mention, **_specials_of(mention.paragraph, mention.start, mention.end)}
                yield mention, bindings

    def paragraphs(self, names: list[str], headings: bool = False, prose: bool = False) -> list[Paragraph]:
        found = self.index.prose() if prose else self.index.paragraphs(tuple(names))
        if headings:
            found = self.report.headings + found
        self.scanned += len(found)
        return found

    def evaluate_check(self, c: CompiledClause, env: Env, anchors: tuple[Any, ...], corrected: list[Env]) -> None:
        try:
            result = c.expr(env)
        except NotAssessable as exc:
            self.outcome.skip(str(exc))
            return
        self.outcome.stated.update(_stated(result, env))
        if result:
            self.outcome.passed += 1
            comparison = result.comparison if isinstance(result, CmpResult) else None
            if comparison is not None and comparison.tail and self.rule.severity != "info":
                self.outcome.tail += 1
                self.diagnostics.append(self.diagnostic(result, env, anchors, "tail"))
            return
        if any(_holds(c, fixed) for fixed in corrected):
            # The only cause is a stated figure already reported wrong: with the table's figure in its
            # place this check holds (a share that is right for the table's amount), so it is not reported.
            self.outcome.passed += 1
            return
        self.outcome.failed += 1
        self.diagnostics.append(self.diagnostic(result, env, anchors, _kind(result), c))
        fixed = _with_table_figure(c, result, env)
        if fixed is not None:
            corrected.append(fixed)

    def diagnostic(
        self,
        result: Any,
        env: Env,
        anchors: tuple[Any, ...],
        kind: str | None = None,
        clause: CompiledClause | None = None,
    ) -> Diagnostic:
        """``kind``: None for a violation of the rule; ``tail``, ``rounding`` or ``unit`` for the
        differences that are reported as warnings of their own (see ``discrepancy``)."""
        rule = self.rule
        cells: list[CellRef] = []
        cmp = result if isinstance(result, CmpResult) else None
        if cmp is not None:
            for side in (cmp.left, cmp.right):
                if isinstance(side, Amount):
                    cells.extend(side.cells)
        primary = cells[0] if cells else None
        loc, table, row, column = self.pointed(env) or self.anchor(primary, anchors)
        message = _fill_columns(self.message(cmp, env, anchors, kind), env)
        related = [
            Related(f"{c.label or c.column} {c.value}".strip(), c.loc)
            for c in cells[1:]
            if c.loc != loc and c.value != "空"
        ]
        severity = "warning" if kind else rule.severity
        builtin = BUILTIN_IDS.get(kind or "")
        diag = Diagnostic(
            builtin or rule.id,
            severity,
            message,
            loc,
            table=table,
            row=row,
            column_name=column,
            related=related,
            title=rule.rule.title,
            help_uri=rule.help_uri,
            origin=rule.id if builtin else None,
        )
        if cmp is not None and cmp.comparison is not None:
            comp = cmp.comparison
            left, right = comp.sides()
            diag.actual = left.mid
            diag.expected = right.mid
            diag.difference = comp.difference
            diag.tolerance = comp.tolerance
            if kind in (None, "unit") and clause is not None:
                diag.evidence = _evidence(comp, cells, kind, partial(self.recheck, clause, env))
        key = rule.id + (f"~{kind}" if kind else "")
        diag.fingerprint = fingerprint(key, table, row, column, _anchor_texts(anchors))
        diag.sentence = _sentence(anchors)
        return diag

    def recheck(self, clause: CompiledClause, env: Env, overrides: dict[tuple[str, str, str], Decimal]) -> bool:
        """Whether the check holds with some cells printed differently."""
        self.index.overrides.update(overrides)
        try:
            return bool(clause.expr(env))
        except NotAssessable:
            return False
        finally:
            self.index.overrides.clear()

    def pointed(self, env: Env) -> tuple[Location, str | None, str | None, str | None] | None:
        """Where the rule's ``at`` says its findings point; None without ``at`` or when it cannot be read."""
        if self.rule.at is None:
            return None
        try:
            target = self.rule.at(env)
        except NotAssessable:
            return None
        if isinstance(target, Amount):
            return self.anchor(target.cells[0], ()) if target.cells else None
        if isinstance(target, Location):
            return target, None, None, None
        return self.anchor(None, (target,))

    def anchor(self, primary: CellRef | None, anchors: tuple[Any, ...]):
        if primary is not None:
            return primary.loc, primary.table or None, primary.row or None, primary.column
        for item in reversed(anchors):
            if isinstance(item, RowRef):
                return item.row.loc, item.view.spec.code or item.view.spec.id, item.row.key, None
            if isinstance(item, TableHandle):
                table = self.report.tables.get(item.spec.id)
                loc = table.loc if table is not None else self._report_loc()
                return loc, item.spec.code or item.spec.id, None, None
            if isinstance(item, Matched):
                return item.loc, None, None, None
            if isinstance(item, Mention):
                return item.loc, None, None, None
        return self._report_loc(), None, None, None

    def _report_loc(self) -> Location:
        meta = self.report.meta
        return meta.title_loc or Location(self.report.path, 1, 1, 1, 2)

    def message(self, cmp: CmpResult | None, env: Env, anchors: tuple[Any, ...], kind: str | None = None) -> str:
        rule = self.rule
        if kind in ("rounding", "unit") and cmp is not None and cmp.comparison is not None:
            return _prefix(anchors) + _discrepancy_text(cmp.comparison, kind, rule.id)
        if kind == "tail" and cmp is not None and cmp.comparison is not None:
            comp = cmp.comparison
            unit = _unit(comp)
            left, right = _side(comp.left, comp), _side(comp.right, comp)
            likely = _round3(comp.tail_tolerance)
            return (
                f"{_prefix(anchors)}{left} 与 {right} 相差 {_diff(comp)}，虽在舍入误差上限 "
                f"{_plain(comp.tolerance)}{unit} 之内，但超出常见尾差范围 ±{likely}{unit}，请核实"
            )
        if rule.message is not None:
            specials = _specials(cmp)
            inner = env
            for k, v in specials.items():
                inner = inner.bind(k, v)
            parts = []
            for text, fn in rule.message:
                if fn is None:
                    parts.append(text)
                    continue
                try:
                    parts.append(render(fn(inner)))
                except NotAssessable:
                    parts.append("？")
            return "".join(parts)
        prefix = _prefix(anchors)
        if cmp is not None and cmp.comparison is not None:
            comp = cmp.comparison
            left = _side(comp.left, comp)
            right = _side(comp.right, comp)
            tol = _plain(comp.tolerance) + _unit(comp)
            hint = _owner_hint(comp, self.index)
            return f"{prefix}{left} {FAILED_OP[comp.op]} {right}（差 {_diff(comp)}，容差 {tol}）{hint}"
        if cmp is not None and isinstance(cmp.left, Amount):
            return f"{prefix}{rule.rule.title}（{cmp.left.term()}）"
        if cmp is not None and cmp.op != "~":
            return f"{prefix}{rule.rule.title}（“{_clip(str(cmp.left))}”）"
        return f"{prefix}{rule.rule.title}"


# Built-in findings a rule's comparison can give instead of a violation of the rule.
BUILTIN_IDS = {"rounding": "E.ROUNDING", "unit": "E.UNIT-MISMATCH"}


def _stated(result: Any, env: Env) -> list[tuple[Location, str]]:
    """The prose figures a check compared: the sides of a comparison, or every figure bound in a
    check that is not a single comparison (``a == x and b == y``)."""
    if isinstance(result, CmpResult) and result.comparison is not None:
        values: list[Any] = [result.left, result.right]
    else:
        values = list(env.vars.values())
    amounts = [a for v in values for a in (v.captures.values() if isinstance(v, Mention) else (v,))]
    return [(c.loc, c.value) for a in amounts if isinstance(a, Amount) for c in a.cells if not c.table]


def _evidence(comp: Comparison, cells: list[CellRef], kind: str | None, recheck: Callable) -> Evidence:
    unit = comp.converted_to or comp.left.unit or comp.right.unit
    table_cells = {(c.table, c.row, c.column): c for c in cells if c.table}
    return Evidence(
        table_cells,
        in_yuan(comp.difference, unit),
        in_yuan(comp.tolerance, unit),
        recheck,
        unit_table=next((c.table for c in cells if c.table), None) if kind == "unit" else None,
        power=unit_gap(comp) if kind == "unit" else None,
    )


def _kind(result: Any) -> str | None:
    comp = result.comparison if isinstance(result, CmpResult) else None
    if comp is None:
        return None
    if unit_gap(comp) is not None:
        return "unit"
    return "rounding" if rounding_slip(comp) else None


def _discrepancy_text(comp: Comparison, kind: str, rule_id: str) -> str:
    left, right = _side(comp.left, comp), _side(comp.right, comp)
    if kind == "unit":
        power = unit_gap(comp) or 0
        if comp.left.unit and comp.left.unit == comp.right.unit:
            units_named = f"两处都标为{comp.left.unit}，其中一处的数字疑按另一单位填写"
        else:
            units_named = f"{comp.left.unit or '未注明单位'}、{comp.right.unit or '未注明单位'}"
        return (
            f"{left} 与 {right} 相差 {10 ** abs(power):,} 倍：疑为两处的计量单位不一致（{units_named}）"
            f"或表格的单位未能正确读取，此处未比较金额，请核对两处的单位（{rule_id}）"
        )
    share = comp.left.unit is None and comp.right.unit is None
    why = "疑为截断或为凑足100%调整" if share else "疑为截断或尾数调整"
    return f"{left} 与 {right} 相差 {_diff(comp)}，不超过末位一个单位，{why}，请核实（{rule_id}）"


def _value_in(fn: Callable, env: Env) -> Any:
    try:
        return fn(env)
    except NotAssessable:
        return None


def _holds(c: CompiledClause, env: Env) -> bool:
    try:
        return bool(c.expr(env))
    except NotAssessable:
        return False


def _with_table_figure(c: CompiledClause, result: Any, env: Env) -> Env | None:
    """For a failed ``stated == table`` check whose left side is a captured figure: the binding with
    the table's figure in place of the stated one."""
    expr = c.check.expr if c.check is not None else None
    if not (isinstance(result, CmpResult) and isinstance(expr, ir.Cmp) and expr.op == "=="):
        return None
    if not isinstance(expr.left, ir.Var) or not isinstance(result.right, Amount):
        return None
    stated = env.vars.get(expr.left.name)
    if not isinstance(stated, Amount) or not stated.cells or stated.cells[0].table:
        return None
    return env.bind(expr.left.name, result.right.with_text(stated.text))


def _named(value: Any, name: str) -> Any:
    """An amount a rule computes from several cells and names with ``let`` is shown by that name
    (``各项财政拨款收入之和 371514655.00``), not by how it was computed."""
    if isinstance(value, Amount) and (value.composite or len(value.cells) > 1):
        return value.with_text(name)
    return value


def _fill_columns(text: str, env: Env) -> str:
    """Column variables are shown as 〈c〉 in static expression text; put the bound column in."""
    if "〈" not in text:
        return text
    return re.sub(r"〈([^〈〉]+)〉", lambda m: str(env.vars.get(m.group(1), m.group(1))), text)


def _rounded(value: Decimal, decimals: int) -> Decimal:
    """``value`` to ``decimals`` places; as it is when that needs more digits than Decimal carries
    (a quotient of extreme amounts)."""
    try:
        return value.quantize(Decimal(1).scaleb(-decimals))
    except ArithmeticError:
        return value


def _diff(comp: Comparison) -> str:
    decimals = comp.decimals
    diff = _rounded(comp.difference, decimals) if decimals <= 6 else comp.difference
    return f"{diff:f}{_unit(comp)}"


def _unit(comp: Comparison) -> str:
    """`` 元`` after a figure of a comparison whose sides were printed in different units."""
    return f" {comp.converted_to}" if comp.converted_to else ""


def _round3(value: Decimal | None) -> str:
    return _plain(_rounded(value or Decimal(0), 3))


def _clip(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _plain(value: Decimal) -> str:
    """A tolerance or bound for display: no trailing zeros, at most four decimals."""
    if value.as_tuple().exponent < -4:
        value = _rounded(value, 4)
    text = f"{value.normalize():f}"
    return text if text != "-0" else "0"


def _side(a: Amount, comp: Comparison) -> str:
    """One side of a failed comparison; with its unit when the two sides were printed in different units."""
    unit = f" {a.unit}" if comp.converted_to and a.unit else ""
    if a.composite or (a.text and a.text.startswith("Σ")):
        return f"{a.term()} = {a.shown()}{unit}" if a.composite else f"{a.text} = {a.shown()}{unit}"
    return a.term() + unit


def _capture_locations(pattern: ir.Pattern, m: re.Match, para: Paragraph) -> dict[str, Location]:
    """Where each text capture of a match was found, for a rule that points its findings at one."""
    out = {}
    for i, cap in enumerate(pattern.captures):
        group = f"c{i}"
        if cap.kind in TEXT_KINDS and m.group(group) is not None:
            out[capture_key(cap.name)] = para.locate(m.start(group), m.end(group))
    return out


def _specials_of(para: Paragraph, start: int, end: int) -> dict[str, str]:
    """段落/前文/后文/匹配: the sentence context a rule may test, e.g. to skip comparisons with 上年."""
    return {"段落": para.text, "前文": para.text[:start], "后文": para.text[end:], "匹配": para.text[start:end]}


def _owner_hint(comp: Comparison, index: ReportIndex) -> str:
    """When a stated amount contradicts a table cell but equals another row of the same column, name
    that row: the text most likely names the wrong item (电费 written where the table has 水费)."""
    stated = [a for a in (comp.left, comp.right) if a.cells and not a.cells[0].table]
    cells = [a for a in (comp.left, comp.right) if len(a.cells) == 1 and a.cells[0].table]
    if len(stated) != 1 or len(cells) != 1:
        return ""
    amount, ref = stated[0], cells[0].cells[0]
    spec = next((s for s in index.specs.values() if (s.code or s.id) == ref.table), None)
    if spec is None or spec.id not in index.report.tables:
        return ""
    table = index.report.tables[spec.id]
    owners = []
    for row in table.rows:
        value = row.cells.get(ref.column)
        if row.key == ref.row or value is None or value.blank:
            continue
        if compare(amount, "==", Amount.printed(value.amount, value.decimals, unit=table.unit)).holds:
            name = row.labels.get("科目名称") or row.labels.get("项目") or row.key
            owners.append(f"“{name}”（{row.key}）" if row.code else f"“{name}”")
    if not owners or len(owners) > 2:
        return ""
    return f"；该金额与{spec.code or spec.id}中{'、'.join(owners)}的金额一致，可能写错了项目名称"


def _sentence(anchors: tuple[Any, ...]) -> tuple[Location, int, int] | None:
    """The paragraph and offsets of the innermost text match a finding was made on."""
    for item in reversed(anchors):
        if isinstance(item, Matched):
            return item.paragraph, item.start, item.end
        if isinstance(item, Mention):
            return item.paragraph.loc, item.start, item.end
    return None


def _prefix(anchors: tuple[Any, ...]) -> str:
    for item in reversed(anchors):
        if isinstance(item, Mention):
            return f"说明中“{item.label}”："
        if isinstance(item, Matched):
            return f"说明中“{_clip(item.text, 30)}”："
        if isinstance(item, RowRef):
            return f"{item.view.label} {item.describe()}："
        if isinstance(item, TableHandle):
            return f"{item.spec.code}{item.spec.title}："
    return ""


def _specials(cmp: CmpResult | None) -> dict[str, Any]:
    if cmp is None or cmp.comparison is None:
        return {}
    comp = cmp.comparison
    unit = comp.converted_to or comp.left.unit or comp.right.unit
    diff = Amount.exact(comp.difference, "差额", comp.decimals, unit)
    tol = Amount.exact(comp.tolerance, "容差", unit=unit)
    return {
        "actual": comp.left,
        "expected": comp.right,
        "diff": diff,
        "tolerance": tol,
        "实际": comp.left,
        "应为": comp.right,
        "差额": diff,
        "容差": tol,
    }


def render(value: Any) -> str:
    """A value as shown inside a custom message."""
    if isinstance(value, Amount):
        return value.shown()
    if isinstance(value, RowRef):
        return value.describe()
    if isinstance(value, TableHandle):
        return f"{value.spec.code}{value.spec.title}" if value.spec.code else value.spec.title
    if isinstance(value, Mention):
        return value.label
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, CmpResult):
        return "是" if value.holds else "否"
    if isinstance(value, list):
        return "、".join(render(v) for v in value)
    return str(value)


def _anchor_texts(anchors: tuple[Any, ...]) -> list[str]:
    """The prose a finding is about: the matched text of each pattern match and mention."""
    texts = []
    for item in anchors:
        if isinstance(item, Matched):
            texts.append(item.text)
        elif isinstance(item, Mention):
            texts.append(item.paragraph.text[item.start : item.end])
    return texts


def check_rule(rule: CompiledRule, index: ReportIndex) -> tuple[list[Diagnostic], Outcome]:
    outcome = Outcome()
    run = _Run(rule, index, outcome)
    try:
        with matching.budget(matching.RULE_SECONDS):
            run.walk(0, Env(index), ())
    except matching.OutOfTime:
        # What the rule found before it ran out of time is incomplete; it reports only that.
        outcome.timed_out = True
        return [], outcome
    if rule.forbidding and run.scanned and not outcome.failed:
        # A forbidden-pattern rule (match … assert false) that searched text and found nothing.
        outcome.passed += 1
    return run.diagnostics, outcome


def run_rules(
    rules: list[CompiledRule], report: Report, index: ReportIndex
) -> tuple[list[Diagnostic], dict[str, Outcome]]:
    diagnostics: list[Diagnostic] = []
    outcomes: dict[str, Outcome] = {}
    for rule in rules:
        found, outcomes[rule.id] = check_rule(rule, index)
        diagnostics.extend(found)
    return diagnostics, outcomes
