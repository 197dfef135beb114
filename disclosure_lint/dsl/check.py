"""Type checking of rules against the pack's table schemas.

Unknown tables, blocks, columns, functions and variables are pack errors with file:line:col,
raised when the pack is loaded, before any report is read. The output is the typed IR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import matching
from ..errors import PackError
from ..labels import squash
from ..nearest import did_you_mean, nearest
from ..packs.schema import TableSpec
from . import ast as A
from . import ir
from .interpolation import message_pieces
from .ir import BOOL, COLUMN, LIST, MENTION, NUM, NUMS, ROW, ROWS, TABLE, TABLES, TEXT, TableCtx
from .patterns import TEXT_KINDS, compile_pattern, compile_regex

SEVERITIES = ("error", "warning", "info")
STATUSES = ("stable", "preview", "deprecated")
_LINE_KEY = re.compile(r"^行次\s*(\d+)$")
_CAPTURE_TYPE = re.compile(r"\{([^{}:：|]+)[:：]([^{}|]+)\}")
KEY_LABELS = ("科目代码", "科目名称", "项目", "行次")
# Bound in every match/mention binding: the paragraph, the text before and after the match, the match.
MATCH_SPECIALS = ("段落", "前文", "后文", "匹配")
MESSAGE_NAMES = {
    "actual": NUM,
    "expected": NUM,
    "diff": NUM,
    "tolerance": NUM,
    "实际": NUM,
    "应为": NUM,
    "差额": NUM,
    "容差": NUM,
}

# name -> (argument types accepted per position, result type); None accepts any type.
FUNCTIONS: dict[str, tuple[tuple[tuple[str, ...] | None, ...], str]] = {
    "sum": (((NUMS, LIST),), NUM),
    "count": (((ROWS, NUMS, LIST, TABLES, TABLE),), NUM),
    "min": (((NUMS, LIST),), NUM),
    "max": (((NUMS, LIST),), NUM),
    "abs": (((NUM,),), NUM),
    "children": (((ROW,),), ROWS),
    "parent": (((ROW,),), ROW),
    "level": (((ROW,),), NUM),
    "has_children": (((ROW,),), BOOL),
    "above": (((ROW,),), ROWS),
    "below": (((ROW,),), ROWS),
    "between": (((ROW,), (ROW,)), ROWS),
    "exists": ((None,), BOOL),
    "present": (((TABLE,),), BOOL),
    "empty": (((TABLE, ROW, NUM, ROWS),), BOOL),
    "blank": (((NUM,),), BOOL),
    "note": (((TABLE,),), TEXT),
    "name": (((ROW, TABLE),), TEXT),
    "key": (((ROW,),), TEXT),
    "code": (((ROW,),), TEXT),
    "text": (((NUM, NUMS, TEXT, LIST),), TEXT),
    "unit": (((NUM,),), TEXT),
    "tables": ((), TABLES),
    "required": (((TABLE,),), BOOL),
    "amounts": (((TEXT,),), NUMS),
    "number": (((TEXT,),), NUM),
    "contains": (((TEXT,), (TEXT, LIST)), BOOL),
    "starts_with": (((TEXT,), (TEXT, LIST)), BOOL),
    "ends_with": (((TEXT,), (TEXT, LIST)), BOOL),
    "report_year": ((), NUM),
    "report_level": ((), TEXT),
    "subject": (((TABLE, TABLES), (TEXT,), (TEXT,), (TEXT,)), ROW),
    "if": (((BOOL,), None, None), ""),
    "captures": (((TEXT,), (TEXT,)), NUMS),
    "amounts_after": (((TEXT,), (TEXT,), (TEXT,)), NUMS),
    "section_text": (((TEXT,),), TEXT),
    "report_text": ((), TEXT),
    "department": ((), TEXT),
    "report_title": ((), TEXT),
    "years": (((TEXT,),), NUMS),
    "occurrences": (((TEXT,), (TEXT,)), NUM),
    "replace": (((TEXT,), (TEXT,), (TEXT,)), TEXT),
    "nearest": (((TEXT,), (LIST,)), TEXT),
    "one_of": (((TEXT,), (LIST,)), BOOL),
    "subject_names": (((TABLE, TABLES), (NUM,)), LIST),
    "table_titles": ((), LIST),
}


@dataclass
class VarInfo:
    type: str
    ctx: TableCtx | None = None
    columns: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)
    capture: bool = False
    runtime: str | None = None  # the binding's name when evaluated, if not the name written


class SchemaEnv:
    """Table names as rules may write them: id, printed code, title or alias."""

    def __init__(self, specs: dict[str, TableSpec]) -> None:
        self.specs = specs
        self.by_name: dict[str, TableSpec] = {}
        for spec in specs.values():
            for n in spec.names():
                self.by_name.setdefault(squash(n), spec)
        for spec in specs.values():
            self.by_name[squash(spec.id)] = spec

    def table(self, name: str) -> TableSpec | None:
        return self.by_name.get(squash(name))


class Checker:
    """Type-checks rules of one file; ``definitions`` are the pack's ``define``s, visible to every rule."""

    def __init__(self, env: SchemaEnv, file: str, definitions: dict[str, A.Define] | None = None) -> None:
        self.env = env
        self.file = file
        self.definitions = definitions or {}
        self.used: set[str] = set()
        self._expanding: list[str] = []
        self._bound: list[dict[str, ir.IR]] = []

    def error(self, message: str, pos: A.Pos, code: str = "P.TYPE", suggestion: str | None = None) -> PackError:
        return PackError(message, self.file, pos.line, pos.col, code=code, suggestion=suggestion)

    def _in_file(self, file: str, check, *args):
        """Check a piece written in another file (a definition's body, an override), errors located there."""
        saved = self.file
        self.file = file
        try:
            return check(*args)
        finally:
            self.file = saved

    # ----------------------------------------------------------------- rules
    def rule(self, rule: A.Rule) -> ir.CheckedRule:
        if rule.severity not in SEVERITIES:
            raise self.error(
                f"严重级别应为 error、warning 或 info，而不是“{rule.severity}”", rule.severity_pos or rule.pos
            )
        if not rule.title.strip():
            raise self.error("规则标题不能为空", rule.pos)
        if rule.status not in STATUSES:
            raise self.error(
                f"状态应为 stable、preview 或 deprecated，而不是“{rule.status}”",
                rule.status_pos or rule.pos,
                suggestion=nearest(rule.status, STATUSES),
            )
        if rule.replaced_by is not None and rule.status != "deprecated":
            raise self.error("只有 deprecated（已弃用）的规则才能写替代规则", rule.status_pos or rule.pos)
        if rule.id in rule.covers:
            raise self.error("covers 不能写规则自身", rule.covers_pos or rule.pos)
        scope: dict[str, VarInfo] = {}
        clauses: list[ir.Binder | ir.Check] = []
        tables: list[str] = []
        has_assert = False
        for clause in rule.clauses:
            if isinstance(clause, A.Assert):
                expr = self.expr(clause.expr, scope)
                if expr.type != BOOL:
                    raise self.error(f"assert 需要一个条件（比较或判断），而这里是{expr.type}", clause.pos)
                clauses.append(ir.Check(expr, clause.pos))
                has_assert = True
            elif isinstance(clause, A.Let):
                value = self.expr(clause.expr, scope)
                self._bind(scope, clause.name, VarInfo(value.type, getattr(value, "ctx", None)), clause.pos)
                clauses.append(ir.Binder("let", clause.name, clause.pos, value))
            else:
                clauses.append(self.quantifier(clause, scope))
        if not has_assert:
            raise self.error(f"规则 {rule.id} 没有 assert 断言", rule.pos)
        for spec in self._tables_in(clauses):
            if spec not in tables:
                tables.append(spec)
        message = None
        if rule.message:
            message = self._in_file(
                rule.message_file or self.file, self.message, rule.message, rule.message_pos, scope, rule.message_exprs
            )
        at = self._at(rule.at, scope) if rule.at is not None else None
        return ir.CheckedRule(
            rule.id,
            rule.title,
            rule.severity,
            rule.ref,
            rule.tolerance,
            message,
            rule.doc,
            rule.file,
            rule.pos,
            rule.source,
            clauses,
            tables,
            at=at,
            status=rule.status,
            replaced_by=rule.replaced_by,
            since=rule.since,
            covers=tuple(rule.covers),
        )

    def _at(self, node: A.Node, scope: dict[str, VarInfo]) -> ir.IR:
        """``at x``: where a finding points. A cell or number, a row, a table, a mention or a text capture."""
        if isinstance(node, A.Name) and (info := scope.get(node.id)) is not None and info.capture:
            return ir.CaptureLoc(TEXT, node.pos, node.id, name=node.id)
        value = self.expr(node, scope)
        if value.type not in (NUM, ROW, TABLE, MENTION):
            raise self.error(f"at 应指向单元格、数值、行、表、提及或文本捕获，而这里是{value.type}", node.pos)
        return value

    def _tables_in(self, clauses: list) -> list[str]:
        found: list[str] = []

        def walk(node) -> None:
            ctx = getattr(node, "ctx", None)
            if isinstance(ctx, TableCtx) and ctx.spec.id not in found:
                found.append(ctx.spec.id)
            for name in (
                "source",
                "where",
                "expr",
                "table",
                "key",
                "row",
                "rows",
                "left",
                "right",
                "operand",
                "start",
                "end",
                "mention",
            ):
                child = getattr(node, name, None)
                if child is not None and not isinstance(child, str):
                    walk(child)
            for child in getattr(node, "args", None) or getattr(node, "items", None) or []:
                walk(child)

        for c in clauses:
            walk(c)
        return found

    def _bind(self, scope: dict[str, VarInfo], name: str, info: VarInfo, pos: A.Pos) -> None:
        if name in scope:
            raise self.error(f"变量“{name}”重复定义", pos)
        if self.env.table(name) is not None:
            raise self.error(f"变量名“{name}”与表名相同", pos)
        scope[name] = info

    def quantifier(self, q: A.Quantifier, scope: dict[str, VarInfo]) -> ir.Binder:
        if q.kind == "when":
            cond = self.expr(q.where, scope)
            if cond.type != BOOL:
                raise self.error("when 需要一个条件", q.pos)
            return ir.Binder("when", "", q.pos, where=cond)
        if q.kind == "row":
            source = self.rows_source(q.source, scope)
            self._bind(scope, q.var, VarInfo(ROW, source.ctx), q.pos)
            where = self.condition(q.where, scope)
            return ir.Binder("row", q.var, q.pos, source, where, ctx=source.ctx)
        if q.kind == "column":
            columns, ctx = self.column_source(q.source, scope)
            self._bind(scope, q.var, VarInfo(COLUMN, ctx, columns), q.pos)
            return ir.Binder("column", q.var, q.pos, columns=columns, ctx=ctx)
        if q.kind == "table":
            source = self.expr(q.source, scope)
            if source.type not in (TABLES, TABLE):
                raise self.error("for table 需要表的列表，例如 [公开07表, 公开08表]", q.source.pos)
            self._bind(scope, q.var, VarInfo(TABLE), q.pos)
            where = self.condition(q.where, scope)
            return ir.Binder("table", q.var, q.pos, source, where)
        if q.kind in ("match", "regex"):
            pattern = self._pattern(q)
            for cap in {c.name: c for c in pattern.captures}.values():
                text = cap.kind in TEXT_KINDS
                self._bind(scope, cap.name, VarInfo(TEXT if text else NUM, capture=text), q.pattern.pos)
            for name in MATCH_SPECIALS:
                scope[name] = VarInfo(TEXT)
            where = self.condition(q.where, scope)
            headings = q.scope is not None and q.scope.kind == "headings"
            return ir.Binder(
                "match",
                "",
                q.pos,
                where=where,
                pattern=pattern,
                sections=self._sections(q),
                headings=headings,
                prose=self._prose(q),
            )
        if q.kind == "mention":
            if not isinstance(q.source, A.Attr):
                raise self.error("for mention 需要“表.标签列”，例如 公开06表.科目名称", q.source.pos)
            table = self.expr(q.source.obj, scope)
            if table.type != TABLE:
                raise self.error("for mention 的来源应为表", q.source.obj.pos)
            if q.source.name not in ("科目名称", "项目"):
                raise self.error(
                    f"标签列应为 科目名称 或 项目，而不是“{q.source.name}”",
                    q.source.name_pos,
                    suggestion=nearest(q.source.name, ("科目名称", "项目")),
                )
            pattern = self._pattern(q)
            kinds = {c.name: TEXT if c.kind in TEXT_KINDS else NUM for c in pattern.captures}
            self._bind(scope, q.var, VarInfo(MENTION, table.ctx, list(kinds), kinds), q.pos)
            for name in MATCH_SPECIALS:
                scope[name] = VarInfo(TEXT)
            where = self.condition(q.where, scope)
            return ir.Binder(
                "mention",
                q.var,
                q.pos,
                table,
                where,
                pattern=pattern,
                sections=self._sections(q),
                ctx=table.ctx,
                columns=[q.source.name],
                prose=self._prose(q),
            )
        raise self.error(f"未知的子句 {q.kind}", q.pos)  # pragma: no cover - grammar limits kinds

    def _pattern(self, q: A.Quantifier) -> ir.Pattern:
        text, file, pos = self.pattern_text(q.pattern)
        if q.kind == "regex":
            return self._compiled(compile_regex, text, file, pos)
        return self._compiled(compile_pattern, self._word_lists(text, pos), file, pos)

    def _compiled(self, compile_fn, text: str, file: str, pos: A.Pos) -> ir.Pattern:
        """A pattern or regular expression compiled; one nested too deeply to compile is a located error."""
        try:
            return compile_fn(text, file, pos.line, pos.col)
        except RecursionError:
            raise PackError("模式嵌套过深，无法编译", file, pos.line, pos.col, code="P.TOO-DEEP") from None

    def pattern_text(self, node: A.Node) -> tuple[str, str, A.Pos]:
        """A pattern: a string, a ``define``d string, or such pieces joined with ``+``; with where it was written."""
        if isinstance(node, A.Str):
            return node.value, self.file, node.pos
        if isinstance(node, A.Name) and (defn := self.definitions.get(node.id)) is not None and defn.params is None:
            self.used.add(node.id)
            return self._in_file(defn.file, self.pattern_text, defn.expr)
        if isinstance(node, A.BinOp) and node.op == "+":
            left, file, pos = self.pattern_text(node.left)
            right = self.pattern_text(node.right)[0]
            return left + right, file, pos
        raise self.error("模式应为字符串、字符串定义，或用 + 连接的它们", node.pos)

    def _word_lists(self, text: str, pos: A.Pos) -> str:
        """``{方向:增减用语}`` where 增减用语 is a ``define``d word list: a capture of one of its words."""

        def words(m: re.Match[str]) -> str:
            defn = self.definitions.get(m.group(2).strip())
            if defn is None or defn.params is not None or not isinstance(defn.expr, A.ListExpr):
                return m.group(0)
            items = defn.expr.items
            if not items or not all(isinstance(i, A.Str) and i.value and not set(i.value) & set("|{}") for i in items):
                raise self.error(f"词表“{defn.name}”应为不含 | {{ }} 的非空文字列表，才能用于捕获", pos)
            self.used.add(defn.name)
            return "{" + m.group(1) + ":" + "|".join(i.value for i in items) + "}"

        return _CAPTURE_TYPE.sub(words, text)

    @staticmethod
    def _sections(q: A.Quantifier) -> list[str]:
        return list(q.scope.sections) if q.scope and q.scope.kind == "section" else []

    @staticmethod
    def _prose(q: A.Quantifier) -> bool:
        return q.scope is not None and q.scope.kind == "prose"

    def condition(self, node: A.Node | None, scope: dict[str, VarInfo]) -> ir.IR | None:
        if node is None:
            return None
        cond = self.expr(node, scope)
        if cond.type != BOOL:
            raise self.error(f"where 需要一个条件，而这里是{cond.type}", node.pos)
        return cond

    def rows_source(self, node: A.Node, scope: dict[str, VarInfo]) -> ir.IR:
        return self._as_rows(self.expr(node, scope), node)

    def _as_rows(self, value: ir.IR, node: A.Node) -> ir.IR:
        if value.type == TABLE:
            return ir.RowsOf(ROWS, value.pos, value.text, table=value, ctx=value.ctx)
        if value.type == ROWS:
            return value
        raise self.error(f"for row 需要一个表或行集，而这里是{value.type}", node.pos)

    def column_source(self, node: A.Node, scope: dict[str, VarInfo]) -> tuple[list[str], TableCtx | None]:
        if isinstance(node, A.ListExpr):
            names = []
            for item in node.items:
                if not isinstance(item, (A.Name, A.Str)):
                    raise self.error("列清单只能包含列名", item.pos)
                names.append(item.id if isinstance(item, A.Name) else item.value)
            if not names:
                raise self.error("列清单不能为空", node.pos)
            return names, None
        value = self.expr(node, scope)
        if value.type != TABLE:
            raise self.error("for column 需要一个表或列名清单", node.pos)
        return value.ctx.columns(), value.ctx

    # ----------------------------------------------------------- expressions
    def expr(self, node: A.Node, scope: dict[str, VarInfo]) -> ir.IR:
        method = getattr(self, f"_{type(node).__name__}")
        return method(node, scope)

    def _Num(self, node: A.Num, scope: dict[str, VarInfo]) -> ir.IR:
        return ir.Const(NUM, node.pos, str(node.value), value=(node.value, node.decimals))

    def _Str(self, node: A.Str, scope: dict[str, VarInfo]) -> ir.IR:
        return ir.Const(TEXT, node.pos, f"“{node.value}”", value=node.value)

    def _Name(self, node: A.Name, scope: dict[str, VarInfo]) -> ir.IR:
        if self._bound and node.id in self._bound[-1]:
            return self._bound[-1][node.id]
        if node.id in ("true", "false") and node.id not in scope:
            return ir.Const(BOOL, node.pos, node.id, value=node.id == "true")
        info = scope.get(node.id)
        if info is not None:
            return ir.Var(info.type, node.pos, node.id, name=info.runtime or node.id, ctx=info.ctx)
        defn = self.definitions.get(node.id)
        if defn is not None:
            if defn.params is not None:
                raise self.error(f"定义“{node.id}”需要括号和参数，例如 {node.id}(…)", node.pos)
            return self._expand(defn, [], scope, node.pos)
        spec = self.env.table(node.id)
        if spec is not None:
            return ir.TableRef(TABLE, node.pos, spec.code or spec.id, ctx=TableCtx(spec))
        if node.id in FUNCTIONS:
            raise self.error(f"函数“{node.id}”需要括号和参数，例如 {node.id}(r)", node.pos)
        near = nearest(node.id, [*scope, *self.definitions, *(n for t in self.env.specs.values() for n in t.names())])
        known = "、".join(list(scope)[:8])
        hint = f"（已定义的变量：{known}）" if known else ""
        raise self.error(
            f"未知的名称“{node.id}”：既不是变量，也不是本规则包中的表或定义{did_you_mean(near)}{hint}",
            node.pos,
            code="P.UNKNOWN-NAME",
            suggestion=near,
        )

    def _expand(self, defn: A.Define, args: list[ir.IR], scope: dict[str, VarInfo], pos: A.Pos) -> ir.IR:
        """A ``define`` used in a rule: its body, with the arguments (checked where they are written) bound.

        The body sees its parameters, other definitions and the tables, never the variables of the rule
        that uses it, so a definition means the same wherever it is used.
        """
        if defn.name in self._expanding:
            raise self.error(f"定义“{defn.name}”直接或间接引用了自身", pos)
        self.used.add(defn.name)
        use = f"{self.file}:{pos.line}:{pos.col}"
        self._expanding.append(defn.name)
        self._bound.append(dict(zip(defn.params or [], args, strict=True)))
        try:
            value = self._in_file(defn.file, self.expr, defn.expr, {})
        except PackError as exc:
            if exc.path == defn.file and "（使用于" not in exc.message:
                exc.message += f"（使用于 {use}）"
            raise
        finally:
            self._expanding.pop()
            self._bound.pop()
        shown = defn.name if defn.params is None else f"{defn.name}({', '.join(a.text for a in args)})"
        value.text = shown if not isinstance(value, ir.Const) or value.type != NUM else value.text
        return value

    def _Foreign(self, node: A.Foreign, scope: dict[str, VarInfo]) -> ir.IR:
        return self._in_file(node.file, self.expr, node.expr, scope)

    def _ListExpr(self, node: A.ListExpr, scope: dict[str, VarInfo]) -> ir.IR:
        items = [self.expr(i, scope) for i in node.items]
        kind = LIST
        if items and all(i.type == TABLE for i in items):
            kind = TABLES
        elif items and all(i.type == NUM for i in items):
            kind = NUMS
        return ir.ListOf(kind, node.pos, "[" + ", ".join(i.text for i in items) + "]", items=items)

    def _Attr(self, node: A.Attr, scope: dict[str, VarInfo]) -> ir.IR:
        obj = self.expr(node.obj, scope)
        name = node.name
        if obj.type == TABLE:
            ctx: TableCtx = obj.ctx
            spec = ctx.spec
            if ctx.block is None and spec.has_blocks():
                block = spec.block(name)
                if block is not None:
                    return ir.TableRef(TABLE, node.pos, f"{obj.text}.{block.name}", ctx=TableCtx(spec, block.name))
            if spec.blocks[0].key == "无" and name in ctx.columns():
                return ir.SingleCell(NUM, node.pos, f"{obj.text}.{name}", table=obj, column=name, ctx=ctx)
            if spec.has_blocks() and ctx.block is None:
                names = [b.name for b in spec.blocks if b.name]
                near = nearest(name, names)
                shown = "、".join(names)
                raise self.error(
                    f"{spec.code or spec.id} 没有名为“{name}”的分区{did_you_mean(near)}（可用分区：{shown}）",
                    node.name_pos,
                    code="P.UNKNOWN-BLOCK",
                    suggestion=near,
                )
            raise self.error(f"{ctx.label()} 需要先选择行，例如 {ctx.label()}[合计].{name}", node.name_pos)
        if obj.type == ROW:
            return self._row_attr(obj, name, node, scope)
        if obj.type == ROWS:
            column, column_var = self._column(obj.ctx, name, node, scope)
            shown = name if column_var is None else f"〈{name}〉"
            return ir.Project(
                NUMS, node.pos, f"{obj.text}.{shown}", rows=obj, column=column, column_var=column_var, ctx=obj.ctx
            )
        if obj.type == MENTION:
            info = scope[obj.name]
            if name in info.kinds:
                return ir.MentionAttr(info.kinds[name], node.pos, name, mention=obj, attr=name, ctx=obj.ctx)
            if name in ("row", "行"):
                return ir.MentionAttr(ROW, node.pos, f"{obj.text}.{name}", mention=obj, attr="row", ctx=obj.ctx)
            if name in ("label", "名称", "text"):
                return ir.MentionAttr(TEXT, node.pos, f"{obj.text}.{name}", mention=obj, attr="label", ctx=obj.ctx)
            caps = "、".join([*info.columns, "row", "label"])
            raise self.error(f"提及变量没有“{name}”（可用：{caps}）", node.name_pos)
        raise self.error(f"{obj.type}没有属性“{name}”", node.name_pos)

    def _column(
        self, ctx: TableCtx | None, name: str, node: A.Attr, scope: dict[str, VarInfo]
    ) -> tuple[str, str | None]:
        info = scope.get(name)
        if info is not None and info.type == COLUMN:
            if ctx is not None:
                valid = ctx.columns()
                bad = [c for c in info.columns if c not in valid]
                if bad:
                    raise self.error(f"{ctx.label()} 没有列“{bad[0]}”（列变量 {name} 的取值）", node.name_pos)
            return "", name
        if ctx is not None:
            m = re.match(r"^栏次?\s*(\d+)$", name)
            if m:
                number = int(m.group(1))
                for b in ctx.spec.blocks:
                    if ctx.block in (None, b.name):
                        for c in b.columns:
                            if c.number == number:
                                return c.name, None
                raise self.error(f"{ctx.label()} 没有栏次 {number}", node.name_pos)
            if name not in ctx.columns():
                columns = [*ctx.columns(), *ctx.spec.text_fields()]
                near = nearest(name, columns)
                raise self.error(
                    f"{ctx.label()} 没有名为“{name}”的列{did_you_mean(near)}（可用列：{'、'.join(columns)}）",
                    node.name_pos,
                    code="P.UNKNOWN-COLUMN",
                    suggestion=near,
                )
        return name, None

    def _row_attr(self, obj: ir.IR, name: str, node: A.Attr, scope: dict[str, VarInfo]) -> ir.IR:
        text_fields = obj.ctx.spec.text_fields() if obj.ctx is not None else ()
        if (name in KEY_LABELS or name in text_fields) and (scope.get(name) is None):
            kind = NUM if name == "行次" else TEXT
            return ir.LabelOf(kind, node.pos, name, row=obj, label=name)
        column, column_var = self._column(obj.ctx, name, node, scope)
        shown = name if column_var is None else f"〈{name}〉"
        if not isinstance(obj, ir.Var):
            shown = f"{obj.text}.{shown}"
        return ir.CellOf(NUM, node.pos, shown, row=obj, column=column, column_var=column_var, ctx=obj.ctx)

    def _Index(self, node: A.Index, scope: dict[str, VarInfo]) -> ir.IR:
        table = self.expr(node.obj, scope)
        if table.type != TABLE:
            raise self.error(f"[…] 只能用于表，而这里是{table.type}", node.obj.pos)
        if isinstance(node.selector, A.Range):
            start = self._key(node.selector.start, scope)
            end = self._key(node.selector.end, scope)
            return ir.RowRange(
                ROWS,
                node.pos,
                f"{table.text}[{start.text} .. {end.text}]",
                table=table,
                start=start,
                end=end,
                ctx=table.ctx,
            )
        key = self._key(node.selector, scope)
        return ir.RowLookup(ROW, node.pos, f"{table.text}[{key.text}]", table=table, key=key, ctx=table.ctx)

    def _key(self, node: A.Node, scope: dict[str, VarInfo]) -> ir.IR:
        """A row selector: literal key/name/code, 行次N, a row variable, or a text expression."""
        parameter = bool(self._bound) and isinstance(node, A.Name) and node.id in self._bound[-1]
        if isinstance(node, A.Name) and node.id not in scope and not parameter:
            m = _LINE_KEY.match(node.id)
            if m:
                return ir.Const(TEXT, node.pos, node.id, value=("line", int(m.group(1))))
            return ir.Const(TEXT, node.pos, node.id, value=("key", node.id))
        if isinstance(node, A.Num):
            return ir.Const(TEXT, node.pos, str(node.value), value=("key", str(node.value)))
        if isinstance(node, A.Str):
            return ir.Const(TEXT, node.pos, node.value, value=("key", node.value))
        value = self.expr(node, scope)
        if value.type not in (ROW, TEXT, NUM, COLUMN):
            raise self.error(f"行选择器应为行名、科目代码、行次、行变量或列变量，而这里是{value.type}", node.pos)
        return value

    def _Call(self, node: A.Call, scope: dict[str, VarInfo]) -> ir.IR:
        defn = self.definitions.get(node.func)
        if defn is not None:
            params = defn.params or []
            if defn.params is None:
                raise self.error(f"“{node.func}”是定义的值，不是函数，不需要括号", node.pos)
            if len(node.args) != len(params):
                raise self.error(f"{node.func} 需要 {len(params)} 个参数，实际给了 {len(node.args)} 个", node.pos)
            args = [self.expr(a, scope) for a in node.args]
            return self._expand(defn, args, scope, node.pos)
        if node.func not in FUNCTIONS:
            candidates = [*FUNCTIONS, *(d.name for d in self.definitions.values() if d.params is not None)]
            near = nearest(node.func, candidates)
            names = "、".join(sorted(FUNCTIONS))
            raise self.error(
                f"未知函数“{node.func}”{did_you_mean(near)}（可用函数：{names}）",
                node.pos,
                code="P.UNKNOWN-FUNCTION",
                suggestion=near,
            )
        accepted, result = FUNCTIONS[node.func]
        if len(node.args) != len(accepted):
            raise self.error(f"函数 {node.func} 需要 {len(accepted)} 个参数，实际给了 {len(node.args)} 个", node.pos)
        if node.func in ("captures", "amounts_after"):
            return self._captures(node, scope)
        args = []
        for arg, types in zip(node.args, accepted, strict=True):
            value = self.expr(arg, scope)
            if types is not None and value.type not in types:
                raise self.error(f"函数 {node.func} 的参数应为{'或'.join(types)}，而这里是{value.type}", arg.pos)
            args.append(value)
        if node.func == "if":
            if args[1].type != args[2].type:
                raise self.error(f"if 的两个分支类型不同：{args[1].type} 与 {args[2].type}", node.pos)
            result = args[1].type
        ctx = next((a.ctx for a in args if getattr(a, "ctx", None) is not None), None)
        text = _call_text(node.func, args)
        return ir.Func(result, node.pos, text, name=node.func, args=args, ctx=ctx)

    def _captures(self, node: A.Call, scope: dict[str, VarInfo]) -> ir.IR:
        """``captures("在编{人数}人", "机构设置情况")``: the first capture of every match in a section;
        ``amounts_after(类名, "[（类）]…决算[为]{决算数}万元", "…具体情况")``: the same, where the
        pattern follows the given label. The pattern is compiled here, so its errors stop the pack."""
        *label, pattern_node, section_node = node.args
        if not isinstance(section_node, A.Str):
            raise self.error(f"{node.func} 的章节须为字符串常量", section_node.pos)
        text, file, pos = self.pattern_text(pattern_node)
        pattern = self._compiled(compile_pattern, self._word_lists(text, pos), file, pos)
        numeric = {c.name for c in pattern.captures if c.kind not in TEXT_KINDS}
        if len(numeric) != 1:
            raise self.error(f"{node.func} 的模式须恰有一个数值捕获", pattern_node.pos)
        args = [
            ir.Const(TEXT, pattern_node.pos, text, value=pattern),
            ir.Const(TEXT, section_node.pos, section_node.value, value=section_node.value),
        ]
        if label:
            value = self.expr(label[0], scope)
            if value.type != TEXT:
                raise self.error(f"函数 {node.func} 的第一个参数应为{TEXT}，而这里是{value.type}", label[0].pos)
            args.insert(0, value)
        return ir.Func(NUMS, node.pos, f"说明中的{numeric.pop()}", name=node.func, args=args)

    def _Comprehension(self, node: A.Comprehension, scope: dict[str, VarInfo]) -> ir.IR:
        inner = dict(scope)
        if node.var in inner:
            raise self.error(f"变量“{node.var}”重复定义", node.pos)
        value = self.expr(node.source, scope)
        # Inside a definition the variable gets a name no rule can write, so it never hides a variable of
        # the rule that an argument refers to.
        runtime = f"{node.var}@{'/'.join(self._expanding)}" if self._expanding else None
        if value.type in (NUMS, LIST):
            source = value
            inner[node.var] = VarInfo(NUM if value.type == NUMS else TEXT, runtime=runtime)
        else:
            source = self._as_rows(value, node.source)
            inner[node.var] = VarInfo(ROW, source.ctx, runtime=runtime)
        expr = self.expr(node.expr, inner)
        where = self.condition(node.where, inner)
        kind = NUMS if expr.type == NUM else LIST
        text = f"{source.text}{_rows_text(where)}的{expr.text}"
        return ir.Comp(kind, node.pos, text, expr=expr, var=runtime or node.var, source=source, where=where)

    def _BinOp(self, node: A.BinOp, scope: dict[str, VarInfo]) -> ir.IR:
        left = self.expr(node.left, scope)
        right = self.expr(node.right, scope)
        if node.op == "+" and left.type == TEXT and right.type == TEXT:
            # Joined text, e.g. a 科目代码 built from the 类、款、项 codes a sentence names.
            return ir.Arith(TEXT, node.pos, f"{left.text} + {right.text}", op="join", left=left, right=right)
        for side, part in ((left, node.left), (right, node.right)):
            if side.type != NUM:
                raise self.error(f"算术运算 {node.op} 需要数值，而这里是{side.type}", part.pos)
        return ir.Arith(NUM, node.pos, f"{left.text} {node.op} {right.text}", op=node.op, left=left, right=right)

    def _Neg(self, node: A.Neg, scope: dict[str, VarInfo]) -> ir.IR:
        operand = self.expr(node.operand, scope)
        if operand.type != NUM:
            raise self.error(f"负号需要数值，而这里是{operand.type}", node.pos)
        return ir.Arith(NUM, node.pos, f"-{operand.text}", op="neg", left=operand, right=None)

    def _Compare(self, node: A.Compare, scope: dict[str, VarInfo]) -> ir.IR:
        left = self.expr(node.left, scope)
        right = self.expr(node.right, scope)
        if node.op == "~":
            if left.type != TEXT or right.type != TEXT:
                raise self.error("~ 用于文本与正则表达式的匹配", node.pos)
            if isinstance(right, ir.Const):
                try:
                    matching.compile(str(right.value))
                except matching.error as exc:
                    raise self.error(f"正则表达式无效：{exc}", node.right.pos) from None
                except RecursionError:
                    raise self.error("正则表达式嵌套过深", node.right.pos, code="P.TOO-DEEP") from None
        elif (left.type, right.type) == (NUM, NUM) or (
            {left.type, right.type} <= {TEXT, COLUMN} and node.op in ("==", "!=")
        ):
            pass
        else:
            raise self.error(f"无法比较{left.type}与{right.type}", node.pos)
        return ir.Cmp(BOOL, node.pos, f"{left.text} {node.op} {right.text}", op=node.op, left=left, right=right)

    def _BoolOp(self, node: A.BoolOp, scope: dict[str, VarInfo]) -> ir.IR:
        left = self.expr(node.left, scope)
        right = self.expr(node.right, scope)
        for side, part in ((left, node.left), (right, node.right)):
            if side.type != BOOL:
                raise self.error(f"{node.op} 两侧应为条件，而这里是{side.type}", part.pos)
        return ir.Logic(BOOL, node.pos, f"{left.text} {node.op} {right.text}", op=node.op, left=left, right=right)

    def _Not(self, node: A.Not, scope: dict[str, VarInfo]) -> ir.IR:
        operand = self.expr(node.operand, scope)
        if operand.type != BOOL:
            raise self.error("not 需要一个条件", node.pos)
        return ir.Negate(BOOL, node.pos, f"not {operand.text}", operand=operand)

    def _Range(self, node: A.Range, scope: dict[str, VarInfo]) -> ir.IR:
        raise self.error("区间 a .. b 只能写在表的 [...] 中", node.pos)

    # -------------------------------------------------------------- messages
    def message(
        self, text: str, pos: A.Pos | None, scope: dict[str, VarInfo], parsed: list[A.Node] | None = None
    ) -> list[ir.MessagePart]:
        """Split ``{expr}`` interpolations out of a message and type-check each (``parsed``: the
        parser's reading of them, where it made one)."""
        inner = dict(scope)
        for name, kind in MESSAGE_NAMES.items():
            inner.setdefault(name, VarInfo(kind))
        try:
            pieces = message_pieces(text, pos)
        except ValueError as exc:
            line, col = (pos.line, pos.col) if pos else (1, 1)
            raise PackError("消息中的 { 没有对应的 }", self.file, line, col + 1 + exc.args[0]) from None
        parts: list[ir.MessagePart] = []
        exprs = iter(parsed or ())
        for piece, at in pieces:
            if at is None:
                parts.append(ir.MessagePart(piece))
                continue
            if parsed is not None:
                node = next(exprs)
            else:
                from .parser import parse_expr  # parts the parser could not read: this says why

                node = parse_expr(piece, self.file, *at)
            parts.append(ir.MessagePart("", self.expr(node, inner)))
        return parts


def _rows_text(where: ir.IR | None) -> str:
    """Which rows a comprehension takes, in words: messages never show a rule's conditions."""
    if where is None:
        return "各行"
    if re.fullmatch(r"级次\(\w+\) == 1", where.text):
        return "各类"
    if re.fullmatch(r"key\(\w+\) != “合计”", where.text):
        return "除合计外各行"
    return "中选定各行"


def _call_text(func: str, args: list[ir.IR]) -> str:
    shown = {"children": "下级科目", "above": "上方各行", "below": "下方各行", "parent": "上级科目", "level": "级次"}
    if func in shown and len(args) == 1:
        return shown[func] if func != "level" else f"{shown[func]}({args[0].text})"
    aggregate = {"sum": "{}之和", "count": "{}的个数", "min": "{}中的最小值", "max": "{}中的最大值"}
    if func in aggregate and len(args) == 1:
        return aggregate[func].format(args[0].text)
    return f"{func}({', '.join(a.text for a in args)})"
