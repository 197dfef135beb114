"""Rule source -> AST, with syntax errors reported as ``file:line:col`` and what was expected."""

from __future__ import annotations

import re
from dataclasses import fields
from decimal import Decimal
from functools import cache

from lark import Lark, Token, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError
from lark.visitors import Transformer_NonRecursive

from ..errors import PackError
from ..numbers import MAX_DIGITS
from . import ast as A
from .interpolation import message_pieces
from .tables import load_parser

_ESCAPE = re.compile(r'\\(["\\])')
_KEYWORD_NAMES = {
    "NAME": "名称",
    "STRING": "字符串",
    "RULE_ID": "规则编号（如 T03.ROW-SUM）",
    "NUMBER": "数字",
    "COMPARE": "比较运算符",
    "ADDOP": "+ 或 -",
    "MULOP": "* 或 /",
    "COLON": "冒号",
    "$END": "文件结束",
}
# Deeper expressions (a sum of hundreds of terms, a chain of a thousand ``and``) are refused with a
# located error: every later stage walks expressions recursively.
MAX_NESTING = 100


@cache
def _parser() -> Lark:
    return load_parser()


def _pos(meta) -> A.Pos:
    return A.Pos(meta.line, meta.column, meta.end_line, meta.end_column)


def _tok_pos(tok: Token) -> A.Pos:
    return A.Pos(tok.line, tok.column, tok.end_line or tok.line, tok.end_column or tok.column + len(tok))


def _unquote(tok: Token) -> str:
    """A string literal's text. Only \\" and \\\\ are escapes, so regexes keep their backslashes (\\d)."""
    return _ESCAPE.sub(r"\1", str(tok)[1:-1])


@v_args(meta=True)
class _ToAst(Transformer_NonRecursive):
    def __init__(self, file: str, text: str) -> None:
        super().__init__()
        self.file = file
        self.lines = text.splitlines()

    def _source(self, meta) -> str:
        if meta.empty or meta.line is None:
            return ""
        return "\n".join(self.lines[meta.line - 1 : meta.end_line])

    def start(self, meta, items):
        return list(items)

    def rule(self, meta, children):
        rid, title, *clauses = children
        rule = A.Rule(_pos(meta), str(rid), _unquote(title), self.file)
        rule.source = self._source(meta)
        for c in clauses:
            kind, value, pos = c if isinstance(c, tuple) else (None, c, None)
            if kind == "severity":
                rule.severity, rule.severity_pos = value, pos
            elif kind == "ref":
                rule.ref = value
            elif kind == "tolerance":
                rule.tolerance = value.value
            elif kind == "message":
                rule.message, rule.message_pos = value, pos
                rule.message_exprs = self._message_exprs(value, pos)
            elif kind == "doc":
                rule.doc = value
            elif kind == "status":
                (rule.status, rule.replaced_by), rule.status_pos = value, pos
            elif kind == "since":
                rule.since = value
            elif kind == "covers":
                rule.covers.extend(value)
                rule.covers_pos = rule.covers_pos or pos
            elif kind == "at":
                rule.at = value
            else:
                rule.clauses.append(value)
        return rule

    def _message_exprs(self, text: str, pos: A.Pos | None) -> list[A.Node] | None:
        """The message's ``{expr}`` parts parsed here, so that a pack loaded from the parse cache
        need not parse them again; None leaves them to the checker, which reports what is wrong."""
        try:
            return [parse_expr(piece, self.file, *at) for piece, at in message_pieces(text, pos) if at is not None]
        except PackError:
            return None

    def define(self, meta, c):
        name, params, expr = c
        return A.Define(_pos(meta), str(name), params, expr, self.file, self._source(meta))

    def params(self, meta, c):
        return [str(t) for t in c if t is not None]

    def override(self, meta, children):
        rid, *clauses = children
        out = A.Override(_pos(meta), str(rid), self.file, self._source(meta))
        for kind, value, pos in clauses:
            if kind == "severity":
                out.severity, out.severity_pos = value, pos
            elif kind == "tolerance":
                out.tolerance = value.value
            elif kind == "message":
                out.message, out.message_pos = value, pos
                out.message_exprs = self._message_exprs(value, pos)
            else:
                (out.where_target, out.where), out.where_pos = value, pos
        return out

    def override_where(self, meta, c):
        return ("where", (c[0], c[1]), _pos(meta))

    def where_target(self, meta, c):
        return str(c[0])

    def status(self, meta, c):
        return ("status", (str(c[0]), str(c[1]) if c[1] is not None else None), _tok_pos(c[0]))

    def covers(self, meta, c):
        return ("covers", [str(t) for t in c], _tok_pos(c[0]))

    def since(self, meta, c):
        tok = c[0]
        return ("since", _unquote(tok) if tok.type == "STRING" else str(tok), _pos(meta))

    def at(self, meta, c):
        return ("at", c[0], _pos(meta))

    def severity(self, meta, c):
        return ("severity", str(c[0]), _tok_pos(c[0]))

    def ref(self, meta, c):
        return ("ref", _unquote(c[0]), _pos(meta))

    def tolerance(self, meta, c):
        return ("tolerance", c[0], _pos(meta))

    def message(self, meta, c):
        return ("message", _unquote(c[0]), _tok_pos(c[0]))

    def doc(self, meta, c):
        return ("doc", _unquote(c[0]), _pos(meta))

    def let(self, meta, c):
        return A.Let(_pos(meta), str(c[0]), c[1])

    def when(self, meta, c):
        return A.Quantifier(_pos(meta), "when", "", None, c[0])

    def assert_(self, meta, c):
        return A.Assert(_pos(meta), c[0])

    def where(self, meta, c):
        return c[0]

    def for_row(self, meta, c):
        return A.Quantifier(_pos(meta), "row", str(c[0]), c[1], c[2])

    def for_column(self, meta, c):
        return A.Quantifier(_pos(meta), "column", str(c[0]), c[1])

    def for_table(self, meta, c):
        return A.Quantifier(_pos(meta), "table", str(c[0]), c[1], c[2])

    def for_mention(self, meta, c):
        var, source, pattern, scope, where = c
        return A.Quantifier(_pos(meta), "mention", str(var), source, where, pattern, scope)

    def match(self, meta, c):
        _, regex, pattern, scope, where = c
        kind = "regex" if regex is not None else "match"
        return A.Quantifier(_pos(meta), kind, "", None, where, pattern, scope)

    def scope_section(self, meta, c):
        return A.Scope("section", [_unquote(t) for t in c])

    def scope_headings(self, meta, c):
        return A.Scope("headings")

    def scope_prose(self, meta, c):
        return A.Scope("prose")

    def scope_document(self, meta, c):
        return A.Scope("document")

    def scope_default(self, meta, c):
        return A.Scope("default")

    def or_(self, meta, c):
        return A.BoolOp(_pos(meta), "or", c[0], c[1])

    def and_(self, meta, c):
        return A.BoolOp(_pos(meta), "and", c[0], c[1])

    def not_(self, meta, c):
        return A.Not(_pos(meta), c[0])

    def compare(self, meta, c):
        op = str(c[1])
        op = {"=": "==", "≠": "!=", "≤": "<=", "≥": ">="}.get(op, op)
        return A.Compare(_pos(meta), op, c[0], c[2])

    def binop(self, meta, c):
        op = {"×": "*", "÷": "/"}.get(str(c[1]), str(c[1]))
        return A.BinOp(_pos(meta), op, c[0], c[2])

    def neg(self, meta, c):
        return A.Neg(_pos(meta), c[0])

    def attr(self, meta, c):
        tok = c[1]
        name = _unquote(tok) if tok.type == "STRING" else str(tok)
        return A.Attr(_pos(meta), c[0], name, _tok_pos(tok))

    def index(self, meta, c):
        return A.Index(_pos(meta), c[0], c[1])

    def range(self, meta, c):
        return A.Range(_pos(meta), c[0], c[1])

    def number(self, meta, c):
        text = str(c[0])
        if sum(ch.isdigit() for ch in text) > MAX_DIGITS:
            shown = text if len(text) <= 24 else text[:20] + "…"
            raise PackError(f"数字 {shown} 位数过多（最多 {MAX_DIGITS} 位）", self.file, meta.line, meta.column)
        return A.Num(_pos(meta), Decimal(text), len(text.split(".")[1]) if "." in text else 0)

    def string(self, meta, c):
        return A.Str(_pos(meta), _unquote(c[0]))

    def name(self, meta, c):
        return A.Name(_pos(meta), str(c[0]))

    def call(self, meta, c):
        args = c[1] if c[1] is not None else []
        return A.Call(_pos(meta), str(c[0]), args)

    def arglist(self, meta, c):
        return list(c)

    def comprehension(self, meta, c):
        return A.Comprehension(_pos(meta), c[0], str(c[1]), c[2], c[3])

    def list_(self, meta, c):
        return A.ListExpr(_pos(meta), [x for x in c if x is not None])


def _describe_expected(names: set[str]) -> str:
    terminals = {t.name: t for t in _parser().terminals}
    shown = []
    for n in sorted(names):
        if n in _KEYWORD_NAMES:
            shown.append(_KEYWORD_NAMES[n])
        elif n in terminals and terminals[n].pattern.type == "str":
            shown.append(f"'{terminals[n].pattern.value}'")
        else:
            shown.append(n)
    shown = list(dict.fromkeys(shown))
    if len(shown) > 8:
        shown = [*shown[:8], "…"]
    return "、".join(shown)


def syntax_error(exc: UnexpectedInput, file: str, text: str, line_offset: int = 0, col_offset: int = 0) -> PackError:
    """One-line, located description of a Lark error."""
    line = (exc.line if exc.line and exc.line > 0 else len(text.splitlines()) or 1) + line_offset
    col = (exc.column if exc.column and exc.column > 0 else 1) + (col_offset if line_offset == 0 else 0)
    if isinstance(exc, UnexpectedCharacters):
        ch = text[exc.pos_in_stream] if exc.pos_in_stream < len(text) else "?"
        msg = f"语法错误：无法识别的字符 {ch!r}"
    elif isinstance(exc, UnexpectedEOF):
        msg = f"语法错误：规则不完整，此处应为 {_describe_expected(set(exc.expected))}"
    elif isinstance(exc, UnexpectedToken):
        got = "文件结束" if exc.token.type == "$END" else repr(str(exc.token))
        msg = f"语法错误：意外的 {got}，此处应为 {_describe_expected(set(exc.expected))}"
    else:  # pragma: no cover - Lark has no other input errors
        msg = f"语法错误：{exc}"
    return PackError(msg, file, line, col, code="P.SYNTAX")


def _check_nesting(tree: Tree, file: str, line_offset: int = 0, col_offset: int = 0) -> None:
    """Refuse, at its place, an expression nested deeper than MAX_NESTING (counted without recursion)."""
    stack: list[tuple[Tree, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            meta = node.meta
            line = (meta.line or 1) + line_offset
            col = (meta.column or 1) + (col_offset if (meta.line or 1) == 1 else 0)
            raise PackError(
                f"表达式嵌套过深（超过 {MAX_NESTING} 层，例如上百项相加或上百个 and）：请用 let 分段"
                "，或用 sum(...) 汇总",
                file,
                line,
                col,
                code="P.TOO-DEEP",
            )
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))


def parse_source(text: str, file: str) -> list[A.Rule | A.Define | A.Override]:
    """Parse a .rules file into rules, definitions and overrides; the first syntax error becomes a PackError."""
    try:
        tree = _parser().parse(text, start="start")
    except UnexpectedInput as exc:
        raise syntax_error(exc, file, text) from None
    _check_nesting(tree, file)
    result = _transform(_ToAst(file, text), tree)
    return result if isinstance(result, list) else []


def parse_rules(text: str, file: str) -> list[A.Rule]:
    """The rules of a .rules file (its definitions and overrides left out)."""
    return [r for r in parse_source(text, file) if isinstance(r, A.Rule)]


def _transform(transformer: _ToAst, tree: Tree):
    """Lark wraps what a transformer raises; a PackError about a literal is reported as it is."""
    try:
        return transformer.transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, PackError):
            raise exc.orig_exc from None
        raise


def parse_expr(text: str, file: str, line: int, col: int) -> A.Node:
    """Parse an interpolated ``{expr}`` of a message; positions are shifted to where it sits."""
    try:
        tree = _parser().parse(text, start="expr")
    except UnexpectedInput as exc:
        raise syntax_error(exc, file, text, line - 1, col - 1) from None
    _check_nesting(tree, file, line - 1, col - 1)
    node = _transform(_ToAst(file, text), tree)
    assert not isinstance(node, (Tree, Token))
    return _shift(node, line - 1, col - 1)


def _shift(node, dl: int, dc: int):
    """Move a parsed fragment's positions to its place inside the enclosing string."""
    if isinstance(node, A.Pos):
        return A.Pos(
            node.line + dl,
            node.col + (dc if node.line == 1 else 0),
            node.end_line + dl,
            node.end_col + (dc if node.end_line == 1 else 0),
        )
    if isinstance(node, list):
        return [_shift(x, dl, dc) for x in node]
    if isinstance(node, A.Node):
        for f in fields(node):
            setattr(node, f.name, _shift(getattr(node, f.name), dl, dc))
    return node


@cache
def _token_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(t.pattern.to_regexp()) for t in _parser().terminals if not t.name.startswith("__"))


def token_end(line: str, col: int) -> int:
    """End column (1-based, exclusive) of the grammar token that starts at ``col`` of ``line``.

    Errors carry only where they start; an editor underlines the whole offending token. Where no
    token starts (a stray character, a blank), the span is one character.
    """
    start = col - 1
    longest = max((m.end() for p in _token_patterns() if (m := p.match(line, start))), default=start)
    return max(longest, start + 1) + 1


def keywords() -> list[str]:
    """The rule language's keywords, read from the grammar so completion never falls out of step."""
    return sorted(t.pattern.value for t in _parser().terminals if t.pattern.type == "str" and t.pattern.value.isalpha())


@cache
def name_pattern() -> re.Pattern[str]:
    """The grammar's NAME token: table, column, variable and function names."""
    return next(re.compile(t.pattern.to_regexp()) for t in _parser().terminals if t.name == "NAME")
