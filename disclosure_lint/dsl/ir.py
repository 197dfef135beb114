"""Typed intermediate form produced by the type checker and consumed by the compiler.

Every name in the IR is already resolved against the pack's table schemas: a table reference
knows its schema, a cell reference knows its column, a row variable knows the table it ranges
over. The compiler never looks anything up by string in the schema again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..packs.schema import TableSpec
from .ast import Pos

# Static types.
NUM, TEXT, BOOL, ROW, ROWS, TABLE, NUMS, COLUMN, TABLES, LIST, MENTION = (
    "数值",
    "文本",
    "布尔",
    "行",
    "行集",
    "表",
    "数值列表",
    "列",
    "表列表",
    "列表",
    "提及",
)


@dataclass(slots=True)
class IR:
    type: str
    pos: Pos
    text: str  # how the expression is shown in messages


@dataclass(slots=True)
class TableCtx:
    """The schema context of a row/rows/table value: which table and, for blocked tables, which block."""

    spec: TableSpec
    block: str | None = None

    def columns(self) -> list[str]:
        return self.spec.column_names(self.block)

    def label(self) -> str:
        return f"{self.spec.code or self.spec.id}" + (f".{self.block}" if self.block else "")


@dataclass(slots=True)
class Const(IR):
    value: object = None


@dataclass(slots=True)
class Var(IR):
    name: str = ""
    ctx: TableCtx | None = None


@dataclass(slots=True)
class TableRef(IR):
    ctx: TableCtx | None = None


@dataclass(slots=True)
class RowLookup(IR):
    table: IR | None = None
    key: IR | None = None
    ctx: TableCtx | None = None


@dataclass(slots=True)
class RowRange(IR):
    table: IR | None = None
    start: IR | None = None
    end: IR | None = None
    ctx: TableCtx | None = None


@dataclass(slots=True)
class RowsOf(IR):
    table: IR | None = None
    ctx: TableCtx | None = None


@dataclass(slots=True)
class CellOf(IR):
    row: IR | None = None
    column: str = ""
    column_var: str | None = None
    ctx: TableCtx | None = None


@dataclass(slots=True)
class LabelOf(IR):
    row: IR | None = None
    label: str = ""


@dataclass(slots=True)
class SingleCell(IR):
    table: IR | None = None
    column: str = ""
    ctx: TableCtx | None = None


@dataclass(slots=True)
class Project(IR):
    rows: IR | None = None
    column: str = ""
    column_var: str | None = None
    ctx: TableCtx | None = None


@dataclass(slots=True)
class MentionAttr(IR):
    mention: IR | None = None
    attr: str = ""
    ctx: TableCtx | None = None


@dataclass(slots=True)
class Func(IR):
    name: str = ""
    args: list[IR] = field(default_factory=list)
    ctx: TableCtx | None = None


@dataclass(slots=True)
class Comp(IR):
    expr: IR | None = None
    var: str = ""
    source: IR | None = None
    where: IR | None = None


@dataclass(slots=True)
class Arith(IR):
    op: str = ""
    left: IR | None = None
    right: IR | None = None


@dataclass(slots=True)
class Cmp(IR):
    op: str = ""
    left: IR | None = None
    right: IR | None = None


@dataclass(slots=True)
class Logic(IR):
    op: str = ""
    left: IR | None = None
    right: IR | None = None


@dataclass(slots=True)
class Negate(IR):
    operand: IR | None = None


@dataclass(slots=True)
class CaptureLoc(IR):
    """Where a text capture of a ``match`` was found: the target of ``at 名称``."""

    name: str = ""


@dataclass(slots=True)
class ListOf(IR):
    items: list[IR] = field(default_factory=list)


@dataclass(slots=True)
class Capture:
    """A typed ``{名称:类型}`` slot of a text pattern."""

    name: str
    kind: str  # amount | percent | year | count | name | text


@dataclass(slots=True)
class Pattern:
    regex: str
    captures: list[Capture]
    source: str


@dataclass(slots=True)
class Binder:
    """A checked quantifier, ``let`` or ``when`` clause."""

    kind: str  # row | column | table | mention | match | let | when
    var: str
    pos: Pos
    source: IR | None = None
    where: IR | None = None
    columns: list[str] = field(default_factory=list)
    pattern: Pattern | None = None
    sections: list[str] = field(default_factory=list)
    # The prose searched includes headings, table captions and running page headers.
    headings: bool = False
    # Only whole paragraphs of running prose are searched (``in prose``).
    prose: bool = False
    ctx: TableCtx | None = None


@dataclass(slots=True)
class Check:
    """A checked ``assert``."""

    expr: IR
    pos: Pos


@dataclass(slots=True)
class MessagePart:
    text: str
    expr: IR | None = None


@dataclass(slots=True)
class CheckedRule:
    id: str
    title: str
    severity: str
    ref: str
    tolerance: Decimal | None
    message: list[MessagePart] | None
    doc: str
    file: str
    pos: Pos
    source: str
    clauses: list[Binder | Check]
    tables: list[str] = field(default_factory=list)
    at: IR | None = None
    status: str = "stable"
    replaced_by: str | None = None
    since: str = ""
    overridden_in: list[str] = field(default_factory=list)
    message_from: str | None = None
    # What this rule reports about a sentence stands for these rules' findings about it (``covers``).
    covers: tuple[str, ...] = ()
