"""Typed IR -> Python closures over a ReportIndex. No eval/exec, no attribute access by name:
every operation the language has is one of the functions below, chosen when the rule is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from .. import matching
from ..engine.interval import Amount, CellRef, Comparison, NotAssessable, TableMissing, compare, total
from ..engine.narrative import Mention, amounts_in, captured
from ..engine.units import finest
from ..engine.views import ReportIndex, RowRef, TableView
from ..labels import squash
from ..nearest import near_miss
from ..numbers import parse_amount
from ..packs.schema import TableSpec
from . import ir
from .patterns import TEXT_KINDS, after_label

Fn = Callable[["Env"], Any]


class Env:
    """Variable bindings of one quantifier instance, plus the shared report index."""

    __slots__ = ("index", "vars")

    def __init__(self, index: ReportIndex, variables: dict[str, Any] | None = None) -> None:
        self.index = index
        self.vars = variables or {}

    def bind(self, name: str, value: Any) -> Env:
        v = dict(self.vars)
        v[name] = value
        return Env(self.index, v)


@dataclass(frozen=True, slots=True)
class TableHandle:
    """A table as a value: may be absent from the report (then most uses are not assessable)."""

    spec: TableSpec
    block: str | None

    def view(self, index: ReportIndex) -> TableView:
        return index.view(self.spec, self.block)

    @property
    def label(self) -> str:
        return (self.spec.code or self.spec.id) + (f".{self.block}" if self.block else "")


@dataclass(slots=True)
class CmpResult:
    holds: bool
    op: str
    left: Any
    right: Any
    comparison: Comparison | None = None

    def __bool__(self) -> bool:
        return self.holds


def compile_expr(node: ir.IR, tolerance: Decimal | None = None) -> Fn:
    """Compile one IR node; ``tolerance`` widens numeric comparisons (a rule's explicit tolerance)."""
    return _Compiler(tolerance or Decimal(0)).c(node)


class _Compiler:
    def __init__(self, tolerance: Decimal) -> None:
        self.tolerance = tolerance

    def c(self, node: ir.IR) -> Fn:
        return getattr(self, f"_{type(node).__name__}")(node)

    def _Const(self, node: ir.Const) -> Fn:
        value = node.value
        if isinstance(value, ir.Pattern):
            return lambda env: value
        if node.type == ir.NUM:
            amount = Amount.exact(value[0], "", value[1])
            return lambda env: amount
        return lambda env: value

    def _Var(self, node: ir.Var) -> Fn:
        name = node.name

        def var(env: Env) -> Any:
            try:
                return env.vars[name]
            except KeyError:
                raise NotAssessable(f"变量 {name} 未绑定") from None

        return var

    def _TableRef(self, node: ir.TableRef) -> Fn:
        handle = TableHandle(node.ctx.spec, node.ctx.block)
        return lambda env: handle

    def _RowsOf(self, node: ir.RowsOf) -> Fn:
        table = self.c(node.table)

        def rows(env: Env) -> list[RowRef]:
            view = table(env).view(env.index)
            return [RowRef(view, r) for r in view.rows]

        return rows

    def _RowLookup(self, node: ir.RowLookup) -> Fn:
        table = self.c(node.table)
        key = node.key
        if isinstance(key, ir.Const):
            kind, value = key.value
            if kind == "line":
                return lambda env: _row(table(env).view(env.index), line=value)
            return lambda env: _row(table(env).view(env.index), key=value)
        key_fn = self.c(key)

        def lookup(env: Env) -> RowRef:
            view = table(env).view(env.index)
            k = key_fn(env)
            if isinstance(k, RowRef):
                row = None
                for cand in (k.row.code, k.row.key, k.name):
                    if cand:
                        row = view.find(cand)
                        if row is not None:
                            break
                if row is None:
                    raise NotAssessable(f"{view.label} 中没有与 {k.describe()} 对应的行")
                return RowRef(view, row)
            if isinstance(k, Amount):
                return _row(view, key=k.shown())
            return _row(view, key=str(k))

        return lookup

    def _RowRange(self, node: ir.RowRange) -> Fn:
        table = self.c(node.table)
        start = self._key_row(node.start)
        end = self._key_row(node.end)

        def rows(env: Env) -> list[RowRef]:
            view = table(env).view(env.index)
            a = view.position(start(env, view))
            b = view.position(end(env, view))
            lo, hi = min(a, b), max(a, b)
            return [RowRef(view, r) for r in view.rows[lo : hi + 1]]

        return rows

    def _key_row(self, key: ir.IR) -> Callable[[Env, TableView], Any]:
        if isinstance(key, ir.Const):
            kind, value = key.value
            if kind == "line":
                return lambda env, view: view.line(value)
            return lambda env, view: view.lookup(value)
        fn = self.c(key)

        def dynamic(env: Env, view: TableView):
            k = fn(env)
            return view.lookup(k.row.key if isinstance(k, RowRef) else str(k))

        return dynamic

    def _CellOf(self, node: ir.CellOf) -> Fn:
        row_fn = self.c(node.row)
        short = isinstance(node.row, ir.Var)
        column, column_var = node.column, node.column_var

        def cell(env: Env) -> Amount:
            ref: RowRef = row_fn(env)
            col = env.vars[column_var] if column_var else column
            label = col if short else f"{ref.view.label}[{ref.row.key}].{col}"
            return cell_amount(ref, col, label)

        return cell

    def _LabelOf(self, node: ir.LabelOf) -> Fn:
        row_fn = self.c(node.row)
        label = node.label

        def text(env: Env) -> Any:
            ref: RowRef = row_fn(env)
            value = ref.row.labels.get(label)
            if value is None:
                if label == "科目名称" and "项目" in ref.row.labels:
                    value = ref.row.labels["项目"]
                else:
                    raise NotAssessable(f"{ref.view.label} 的行 {ref.row.key} 没有{label}")
            if label == "行次":
                return Amount.exact(Decimal(int(value)), label, 0)
            return value

        return text

    def _SingleCell(self, node: ir.SingleCell) -> Fn:
        table = self.c(node.table)
        column = node.column

        def cell(env: Env) -> Amount:
            view = table(env).view(env.index)
            if not view.rows:
                return Amount.printed(Decimal(0), 2, column, blank=True, unit=view.table.unit)
            return cell_amount(RowRef(view, view.rows[0]), column, column)

        return cell

    def _Project(self, node: ir.Project) -> Fn:
        rows_fn = self.c(node.rows)
        column, column_var = node.column, node.column_var

        def project(env: Env) -> list[Amount]:
            col = env.vars[column_var] if column_var else column
            return [cell_amount(r, col, f"{r.row.key}.{col}") for r in rows_fn(env)]

        return project

    def _MentionAttr(self, node: ir.MentionAttr) -> Fn:
        mention_fn = self.c(node.mention)
        attr = node.attr

        def get(env: Env) -> Any:
            m: Mention = mention_fn(env)
            if attr == "row":
                if m.row is None:
                    raise NotAssessable(f"表中没有“{m.label}”")
                return m.row
            if attr == "label":
                return m.label
            return m.captures[attr]

        return get

    def _CaptureLoc(self, node: ir.CaptureLoc) -> Fn:
        key = capture_key(node.name)

        def loc(env: Env) -> Any:
            try:
                return env.vars[key]
            except KeyError:
                raise NotAssessable(f"未找到“{node.name}”的位置") from None

        return loc

    def _ListOf(self, node: ir.ListOf) -> Fn:
        items = [self.c(i) for i in node.items]
        return lambda env: [f(env) for f in items]

    def _Comp(self, node: ir.Comp) -> Fn:
        source = self.c(node.source)
        expr = self.c(node.expr)
        where = self.c(node.where) if node.where is not None else None
        var = node.var

        def comp(env: Env) -> list[Any]:
            out = []
            for r in source(env):
                inner = env.bind(var, r)
                if where is not None:
                    try:
                        if not where(inner):
                            continue
                    except NotAssessable:
                        continue
                out.append(expr(inner))
            return out

        return comp

    def _Arith(self, node: ir.Arith) -> Fn:
        left = self.c(node.left)
        if node.op == "neg":
            return lambda env: -left(env)
        right = self.c(node.right)
        op = node.op
        if op == "join":
            return lambda env: str(left(env)) + str(right(env))
        if op == "+":
            return lambda env: left(env) + right(env)
        if op == "-":
            return lambda env: left(env) - right(env)
        if op == "*":
            return lambda env: left(env) * right(env)
        return lambda env: left(env) / right(env)

    def _Cmp(self, node: ir.Cmp) -> Fn:
        left = self.c(node.left)
        right = self.c(node.right)
        op = node.op
        tolerance = self.tolerance
        if op == "~":

            def match(env: Env) -> CmpResult:
                text, pattern = str(left(env)), str(right(env))
                return CmpResult(matching.search(pattern, text) is not None, op, text, pattern)

            return match
        if node.left.type in (ir.TEXT, ir.COLUMN):

            def text_eq(env: Env) -> CmpResult:
                a, b = str(left(env)), str(right(env))
                same = squash(a) == squash(b)
                return CmpResult(same if op == "==" else not same, op, a, b)

            return text_eq

        def numeric(env: Env) -> CmpResult:
            a, b = left(env), right(env)
            result = compare(a, op, b, tolerance)
            return CmpResult(result.holds, op, a, b, result)

        return numeric

    def _Logic(self, node: ir.Logic) -> Fn:
        left = self.c(node.left)
        right = self.c(node.right)
        if node.op == "and":
            return lambda env: bool(left(env)) and bool(right(env))
        return lambda env: bool(left(env)) or bool(right(env))

    def _Negate(self, node: ir.Negate) -> Fn:
        operand = self.c(node.operand)

        def negate(env: Env) -> Any:
            value = operand(env)
            if isinstance(value, CmpResult):
                return CmpResult(not value.holds, f"not {value.op}", value.left, value.right)
            return not bool(value)

        return negate

    def _Func(self, node: ir.Func) -> Fn:
        if node.name == "if":
            cond, then, other = (self.c(a) for a in node.args)
            return lambda env: then(env) if cond(env) else other(env)
        args = [self.c(a) for a in node.args]
        impl = _FUNCS[node.name]
        text = node.text
        return lambda env: impl(env, args, text)


def capture_key(name: str) -> str:
    """The binding that holds where a text capture was found; ``@`` cannot start a rule-language name."""
    return "@" + name


def cell_amount(ref: RowRef, column: str, label: str) -> Amount:
    """A table cell as an interval; a blank cell is an exact zero, and so is a count an exact number."""
    value = ref.row.cells.get(column)
    view = ref.view
    unit = view.table.unit
    if value is not None and value.unreadable:
        raise NotAssessable(f"{view.label} 的 {ref.row.key} {column} 无法读取")
    if value is None:
        if view.spec.attachment:
            raise NotAssessable(f"{view.label}“{ref.row.key}”中未找到“{column}”")
        if view.has_column(column):
            return Amount.printed(Decimal(0), 2, label, blank=True, unit=unit)
        raise NotAssessable(f"{view.label} 中未识别到列“{column}”")
    table = view.spec.code or view.spec.id
    cell = CellRef(table, ref.row.key, column, value.loc, label, value.raw if not value.blank else "空", unit)
    override = view.overrides.get((table, ref.row.key, column))
    if override is not None:
        value = replace(value, amount=override, blank=False)
    block = view.spec.block(ref.row.block)
    spec = block.column(column) if block is not None else None
    if spec is not None and spec.exact and not value.blank:
        return Amount(value.amount, value.amount, value.amount, value.decimals, label, (cell,))
    return Amount.printed(value.amount, value.decimals, label, (cell,), blank=value.blank, unit=unit)


def _row(view: TableView, key: str | None = None, line: int | None = None) -> RowRef:
    return RowRef(view, view.line(line) if line is not None else view.lookup(key or ""))


# ------------------------------------------------------------------ functions
def _amounts(value: Any) -> list[Amount]:
    items = value if isinstance(value, list) else [value]
    for i in items:
        if not isinstance(i, Amount):
            raise NotAssessable("汇总对象不是数值")
    return items


def _sum(env, args, text):
    return total(_amounts(args[0](env)), text).with_text(text, composite=False)


def _count(env, args, text):
    v = args[0](env)
    if isinstance(v, TableHandle):
        v = v.view(env.index).rows
    return Amount.exact(Decimal(len(v)), text, 0)


def _extreme(pick):
    def f(env, args, text):
        items = _amounts(args[0](env))
        if not items:
            raise NotAssessable("空集合没有最大/最小值")
        unit = finest(a.unit for a in items)
        best = pick(items, key=lambda a: a.to(unit).mid)
        return best.with_text(text)

    return f


def _abs(env, args, text):
    a: Amount = args[0](env)
    return -a if a.mid < 0 else a


def _children(env, args, text):
    r: RowRef = args[0](env)
    return [RowRef(r.view, c) for c in r.view.children(r.row)]


def _parent(env, args, text):
    r: RowRef = args[0](env)
    p = r.view.parent(r.row)
    if p is None:
        raise NotAssessable(f"{r.describe()} 没有上级科目")
    return RowRef(r.view, p)


def _level(env, args, text):
    r: RowRef = args[0](env)
    return Amount.exact(Decimal(r.view.level(r.row)), text, 0)


def _has_children(env, args, text):
    r: RowRef = args[0](env)
    return bool(r.view.children(r.row))


def _above(env, args, text):
    r: RowRef = args[0](env)
    pos = r.view.position(r.row)
    return [RowRef(r.view, x) for x in r.view.rows[:pos]]


def _below(env, args, text):
    r: RowRef = args[0](env)
    pos = r.view.position(r.row)
    return [RowRef(r.view, x) for x in r.view.rows[pos + 1 :]]


def _between(env, args, text):
    a: RowRef = args[0](env)
    b: RowRef = args[1](env)
    if a.view is not b.view:
        raise NotAssessable("between 的两行不在同一个表或分区")
    i, j = sorted((a.view.position(a.row), a.view.position(b.row)))
    return [RowRef(a.view, x) for x in a.view.rows[i + 1 : j]]


def _exists(env, args, text):
    """A row missing from a present table is a finding; a missing table is the structure rules' business."""
    try:
        args[0](env)
    except TableMissing:
        raise
    except NotAssessable:
        return False
    return True


def _present(env, args, text):
    h: TableHandle = args[0](env)
    return env.index.present(h.spec)


def _empty(env, args, text):
    v = args[0](env)
    if isinstance(v, TableHandle):
        view = v.view(env.index)
        return not any(x.amount != 0 for r in view.rows for x in r.cells.values())
    if isinstance(v, RowRef):
        return not any(x.amount != 0 for x in v.row.cells.values())
    if isinstance(v, Amount):
        return CmpResult(v.lo == v.hi == 0 or v.mid == 0, "empty", v, None)
    return not v


def _blank(env, args, text):
    v: Amount = args[0](env)
    return CmpResult(v.blank, "blank", v, None)


def _note(env, args, text):
    h: TableHandle = args[0](env)
    view = h.view(env.index)
    return "\n".join(p.text for p in view.table.notes)


def _name(env, args, text):
    v = args[0](env)
    if isinstance(v, TableHandle):
        return f"{v.spec.code}{v.spec.title}" if v.spec.code else v.spec.title
    return v.name


def _key(env, args, text):
    return args[0](env).row.key


def _code(env, args, text):
    r: RowRef = args[0](env)
    if not r.row.code:
        raise NotAssessable(f"{r.describe()} 没有科目代码")
    return r.row.code


def _text(env, args, text):
    v = args[0](env)
    if isinstance(v, list):
        return "、".join(x.shown() if isinstance(x, Amount) else str(x) for x in v)
    return v.shown() if isinstance(v, Amount) else str(v)


def _unit(env, args, text):
    return args[0](env).unit or ""


def _amounts_fn(env, args, text):
    return amounts_in(str(args[0](env)))


def _number(env, args, text):
    raw = str(args[0](env)).strip().rstrip("%％")
    parsed = parse_amount(raw)
    if parsed is None:
        raise NotAssessable(f"“{raw}”不是数字")
    return Amount.printed(parsed[0], parsed[1], raw)


def _words(value: Any) -> list[str]:
    words = (squash(str(w)) for w in (value if isinstance(value, list) else [value]))
    return [w for w in words if w]


def _contains(env, args, text):
    whole = squash(str(args[0](env)))
    return any(w in whole for w in _words(args[1](env)))


def _starts_with(env, args, text):
    whole = squash(str(args[0](env)))
    return any(whole.startswith(w) for w in _words(args[1](env)))


def _ends_with(env, args, text):
    whole = squash(str(args[0](env)))
    return any(whole.endswith(w) for w in _words(args[1](env)))


def _report_year(env, args, text):
    year = env.index.report.meta.year
    if year is None:
        raise NotAssessable("无法识别报告年度")
    return Amount.exact(Decimal(year), "报告年度", 0)


def _report_level(env, args, text):
    level = env.index.report.meta.level
    if level is None:
        raise NotAssessable("无法从封面识别是部门还是单位报告")
    return level


def _subject(env, args, text):
    """The 项 (or 款) row named by its 类, 款 and 项, each given by name or by its own code digits;
    the first of the listed tables that has it."""
    target = args[0](env)
    listed: list[TableHandle] = target if isinstance(target, list) else [target]
    handles = [h for h in listed if env.index.present(h.spec)]
    path = [str(a(env)) for a in args[1:]]
    if not handles:
        raise TableMissing(f"报告中未找到{'、'.join(h.label for h in listed)}")
    for h in handles:
        view = h.view(env.index)
        row = view.subject(path)
        if row is not None:
            return RowRef(view, row)
    raise NotAssessable(f"{'、'.join(h.label for h in handles)} 中没有科目“{'—'.join(path)}”")


def _captures(env, args, text):
    pattern: ir.Pattern = args[0](env)
    return _numeric_captures(env, pattern, matching.compile(pattern.regex), str(args[1](env)))


def _amounts_after(env, args, text):
    label = str(args[0](env)).strip()
    if not label:
        raise NotAssessable("没有要查找的名称")
    pattern: ir.Pattern = args[1](env)
    return _numeric_captures(env, pattern, matching.compile(after_label(label, pattern)), str(args[2](env)))


def _numeric_captures(env, pattern: ir.Pattern, regex: matching.Pattern, section: str) -> list:
    """The numeric capture of every match of ``regex`` (made from ``pattern``) in a section."""
    name = next(c.name for c in pattern.captures if c.kind not in TEXT_KINDS)
    out = []
    for para in env.index.paragraphs((section,)):
        for m in matching.finditer(regex, para.text):
            value = captured(pattern, m, para).get(name)
            if value is not None:
                out.append(value)
    return out


def _section_text(env, args, text):
    name = str(args[0](env))
    paragraphs = env.index.paragraphs((name,))
    if not paragraphs:
        raise NotAssessable(f"说明中没有“{name}”一节")
    return "\n".join(p.text for p in paragraphs)


def _report_text(env, args, text):
    """The report's prose and headings, without the notes under tables (they describe the table)."""
    report = env.index.report
    notes = {id(p) for t in report.tables.values() for p in t.notes}
    prose = [p.text for p in report.paragraphs if id(p) not in notes]
    return "\n".join(prose + [h.text for h in report.headings])


def _department(env, args, text):
    name = env.index.report.meta.department
    if not name:
        raise NotAssessable("无法识别部门（单位）名称")
    return name


def _report_title(env, args, text):
    title = env.index.report.meta.title
    if not title:
        raise NotAssessable("无法识别报告标题")
    return "".join(title.split())


# A year as dates print it: 2024年, 2024.01, 2024-12, 2024/1; not a longer number such as 12024.
_YEAR_IN = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?=\s*(?:年|[.．\-/]\s*\d{1,2}(?!\d)))")


def _years(env, args, text):
    return [Amount.exact(Decimal(m.group(1)), "年份", 0) for m in _YEAR_IN.finditer(str(args[0](env)))]


def _occurrences(env, args, text):
    needle = str(args[1](env))
    if not needle:
        raise NotAssessable("occurrences 的第二个参数为空")
    return Amount.exact(Decimal(str(args[0](env)).count(needle)), text, 0)


def _replace(env, args, text):
    return str(args[0](env)).replace(str(args[1](env)), str(args[2](env)))


def _nearest(env, args, text):
    """The listed name the text narrowly misses; absent when it is one of them or none is that close."""
    name = squash(str(args[0](env)))
    names = {squash(str(w)): str(w) for w in args[1](env)}
    found = near_miss(name, names)
    if found is None:
        raise NotAssessable(f"“{name}”没有相近的名称")
    return names[found]


def _one_of(env, args, text):
    name = squash(str(args[0](env)))
    return any(name == w for w in _words(args[1](env)))


def _subject_names(env, args, text):
    """The 科目名称 at one level (1 类, 2 款, 3 项) of the tables printed; a table not read in full
    makes them not assessable, since a name missing from it may only have been missed."""
    target = args[0](env)
    level = int(args[1](env).mid)
    names: list[str] = []
    for h in target if isinstance(target, list) else [target]:
        if not env.index.present(h.spec):
            continue
        view = h.view(env.index)
        names.extend(r.labels["科目名称"] for r in view.rows if r.labels.get("科目名称") and view.level(r) == level)
    return list(dict.fromkeys(names))


def _table_titles(env, args, text):
    return [n for spec in env.index.specs.values() if not spec.attachment for n in (spec.title, *spec.aliases) if n]


def _tables(env, args, text):
    return [TableHandle(spec, None) for spec in env.index.specs.values() if not spec.attachment]


def _required(env, args, text):
    return args[0](env).spec.required


_FUNCS: dict[str, Callable] = {
    "nearest": _nearest,
    "one_of": _one_of,
    "subject_names": _subject_names,
    "table_titles": _table_titles,
    "department": _department,
    "report_title": _report_title,
    "years": _years,
    "occurrences": _occurrences,
    "replace": _replace,
    "tables": _tables,
    "required": _required,
    "amounts": _amounts_fn,
    "number": _number,
    "contains": _contains,
    "starts_with": _starts_with,
    "ends_with": _ends_with,
    "report_year": _report_year,
    "report_level": _report_level,
    "subject": _subject,
    "captures": _captures,
    "amounts_after": _amounts_after,
    "section_text": _section_text,
    "report_text": _report_text,
    "sum": _sum,
    "count": _count,
    "min": _extreme(min),
    "max": _extreme(max),
    "abs": _abs,
    "children": _children,
    "parent": _parent,
    "level": _level,
    "has_children": _has_children,
    "above": _above,
    "below": _below,
    "between": _between,
    "exists": _exists,
    "present": _present,
    "empty": _empty,
    "blank": _blank,
    "note": _note,
    "name": _name,
    "key": _key,
    "code": _code,
    "text": _text,
    "unit": _unit,
}
