"""AST of the rule language. Every node keeps its source position for pack errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Pos:
    line: int
    col: int
    end_line: int
    end_col: int


@dataclass(slots=True)
class Node:
    pos: Pos


@dataclass(slots=True)
class Num(Node):
    value: Decimal
    decimals: int


@dataclass(slots=True)
class Str(Node):
    value: str


@dataclass(slots=True)
class Name(Node):
    id: str


@dataclass(slots=True)
class Attr(Node):
    obj: Node
    name: str
    name_pos: Pos


@dataclass(slots=True)
class Index(Node):
    obj: Node
    selector: Node


@dataclass(slots=True)
class Range(Node):
    start: Node
    end: Node


@dataclass(slots=True)
class Call(Node):
    func: str
    args: list[Node]


@dataclass(slots=True)
class Comprehension(Node):
    expr: Node
    var: str
    source: Node
    where: Node | None


@dataclass(slots=True)
class ListExpr(Node):
    items: list[Node]


@dataclass(slots=True)
class BinOp(Node):
    op: str
    left: Node
    right: Node


@dataclass(slots=True)
class Compare(Node):
    op: str
    left: Node
    right: Node


@dataclass(slots=True)
class BoolOp(Node):
    op: str
    left: Node
    right: Node


@dataclass(slots=True)
class Not(Node):
    operand: Node


@dataclass(slots=True)
class Neg(Node):
    operand: Node


@dataclass(slots=True)
class Foreign(Node):
    """An expression written in another file than the rule around it (an override's ``where``)."""

    file: str
    expr: Node


@dataclass(slots=True)
class Scope:
    # "section" | "document" | "headings" (the document with its headings) | "prose" (whole paragraphs
    # of running text) | "default"
    kind: str
    sections: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Quantifier(Node):
    """``for row/column/table/mention`` or ``match``; binds ``var`` (or a pattern's captures)."""

    kind: str
    var: str
    source: Node | None
    where: Node | None = None
    pattern: Node | None = None
    scope: Scope | None = None


@dataclass(slots=True)
class Let(Node):
    name: str
    expr: Node


@dataclass(slots=True)
class Assert(Node):
    expr: Node


@dataclass(slots=True)
class Rule(Node):
    id: str
    title: str
    file: str
    source: str = ""
    severity: str = "error"
    severity_pos: Pos | None = None
    ref: str = ""
    tolerance: Decimal | None = None
    message: str | None = None
    message_pos: Pos | None = None
    doc: str = ""
    clauses: list[Node] = field(default_factory=list)
    status: str = "stable"
    status_pos: Pos | None = None
    replaced_by: str | None = None
    since: str = ""
    # Rules whose finding about a sentence this rule also reports is the same defect (``covers``).
    covers: list[str] = field(default_factory=list)
    covers_pos: Pos | None = None
    at: Node | None = None
    message_file: str | None = None
    overrides: list[Override] = field(default_factory=list)
    message_exprs: list[Node] | None = None


@dataclass(slots=True)
class Define(Node):
    """``define 名称 = expr`` or ``define 名称(a, b) = expr``: a pack-wide named expression."""

    name: str
    params: list[str] | None
    expr: Node
    file: str
    source: str = ""


@dataclass(slots=True)
class Override(Node):
    """``override RULE-ID`` in a child pack: new severity, tolerance, message or one ``where``."""

    rule_id: str
    file: str
    source: str = ""
    severity: str | None = None
    severity_pos: Pos | None = None
    tolerance: Decimal | None = None
    message: str | None = None
    message_pos: Pos | None = None
    message_exprs: list[Node] | None = None
    where_target: str | None = None
    where: Node | None = None
    where_pos: Pos | None = None
