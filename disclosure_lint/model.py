"""Plain data passed between the pipeline stages: reader -> recognizer -> engine -> formatter.

Nothing here knows about any file format or any rule; each stage depends only on these classes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Location:
    """Where a piece of text sits in its source: line/col for text, page/bbox for PDF, sheet/cell for XLSX.

    Lines, columns and pages are 1-based; ``end_col`` is exclusive.
    """

    path: str
    line: int | None = None
    col: int | None = None
    end_line: int | None = None
    end_col: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    sheet: str | None = None
    cell: str | None = None

    def describe(self) -> str:
        """A short human form used in messages: ``line 12``, ``page 3`` or ``Sheet1!B4``."""
        if self.sheet is not None:
            return f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        if self.page is not None:
            return f"page {self.page}"
        if self.line is not None:
            return f"line {self.line}" + (f", column {self.col}" if self.col else "")
        return "?"


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of characters of a paragraph that are contiguous in the source.

    ``start``/``end`` are offsets into the paragraph text. Text sources give the line/col of the
    first character; PDF sources give per-character boxes so a sub-range gets a tight bbox.
    """

    start: int
    end: int
    loc: Location
    boxes: tuple[tuple[float, float, float, float], ...] | None = None

    def locate(self, start: int, end: int) -> Location:
        """Location of paragraph offsets [start, end) that fall inside this segment."""
        a = max(start, self.start) - self.start
        b = min(end, self.end) - self.start
        loc = self.loc
        if loc.line is not None and loc.col is not None:
            return replace(loc, col=loc.col + a, end_line=loc.line, end_col=loc.col + max(b, a + 1))
        if self.boxes:
            picked = self.boxes[a : max(b, a + 1)] or self.boxes[-1:]
            return replace(
                loc,
                bbox=(
                    min(x[0] for x in picked),
                    min(x[1] for x in picked),
                    max(x[2] for x in picked),
                    max(x[3] for x in picked),
                ),
            )
        return loc


@dataclass(slots=True)
class Heading:
    text: str
    level: int
    loc: Location


@dataclass(slots=True)
class Paragraph:
    """A run of prose. Segments map offsets in ``text`` back to the source.

    ``role`` says what the text is printed as: running ``prose``, the text of a table ``cell`` or a
    ``caption`` printed inside a table's frame. ``end_unsure`` is set by a reader that cannot tell
    whether the paragraph ends where it stops or its last line wraps into the next block (a PDF line
    running to the margin, then a blank gap): rules about how a paragraph ends leave it alone.
    """

    text: str
    loc: Location
    segments: list[Segment] = field(default_factory=list)
    role: Literal["prose", "cell", "caption"] = "prose"
    end_unsure: bool = False

    def locate(self, start: int, end: int) -> Location:
        """Source location of ``text[start:end]``; falls back to the paragraph start."""
        for seg in self.segments:
            if seg.start <= start < seg.end:
                return seg.locate(start, end)
        return self.loc


@dataclass(slots=True)
class Cell:
    text: str
    loc: Location


@dataclass(slots=True)
class RawTable:
    """A grid as the reader saw it. Rows may be ragged; merged cells repeat ``None``-free blanks."""

    rows: list[list[Cell]]
    loc: Location


Block = Heading | Paragraph | RawTable


@dataclass(slots=True)
class Problem:
    """Something a reader or the recognizer could not take at face value, e.g. a formula with no
    cached value or a non-numeric text in an amount column. Reported as a diagnostic, never fatal."""

    code: str
    message: str
    loc: Location


@dataclass(slots=True)
class Comment:
    """An HTML comment of a text source. Kept out of prose; suppression directives are read from these."""

    text: str
    loc: Location


@dataclass(frozen=True, slots=True)
class PageFact:
    """What a PDF page holds, for structure rules: characters of text and drawn objects (paths, images)."""

    number: int
    chars: int
    drawings: int


@dataclass(slots=True)
class Document:
    path: str
    format: str
    blocks: list[Block]
    problems: list[Problem] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    # Text repeated at the top or bottom of the pages (a running header), once, where first printed.
    running: list[Paragraph] = field(default_factory=list)
    pages: list[PageFact] = field(default_factory=list)
    size: int | None = None


@dataclass(frozen=True, slots=True)
class Value:
    """A printed amount. ``decimals`` is its printed precision; blanks are exact zero. ``unreadable``
    marks a cell whose number could not be read (a formula without a saved result): rules that need
    it are not assessable rather than treating it as zero."""

    amount: Decimal
    decimals: int
    raw: str
    loc: Location
    blank: bool = False
    unreadable: bool = False


@dataclass(slots=True)
class Row:
    """One logical row of a recognized table.

    ``key`` is the row's lookup key (科目代码 when present, else the normalized 项目 label, else the
    行次). ``labels`` holds the key columns as printed (科目代码, 科目名称, 项目, 行次).
    """

    key: str
    labels: dict[str, str]
    cells: dict[str, Value]
    loc: Location
    block: str | None = None
    code: str | None = None
    line_no: int | None = None


@dataclass(slots=True)
class Table:
    id: str
    title: str
    rows: list[Row]
    loc: Location
    notes: list[Paragraph] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    unit: str | None = None
    reading: Reading | None = None


@dataclass(slots=True)
class Reading:
    """How completely a table was read. A table that is not ``read`` is never judged: every rule
    that needs it is not assessable, and one E.TABLE-UNREAD warning says what could not be read."""

    status: Literal["read", "partial", "unread"] = "read"
    issues: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "read"


@dataclass(slots=True)
class Section:
    """A heading with the prose under it; sub-headings become their own sections."""

    title: str
    level: int
    loc: Location
    paragraphs: list[Paragraph] = field(default_factory=list)
    parent: int | None = None


@dataclass(slots=True)
class Meta:
    """What the cover says the report is. ``level`` is 部门 (a department, often several units
    consolidated) or 单位 (one unit); ``region`` the place the cover names (上海市普陀区)."""

    department: str | None = None
    year: int | None = None
    kind: str | None = None
    unit: str | None = None
    title: str | None = None
    title_loc: Location | None = None
    level: str | None = None
    region: str | None = None


@dataclass(slots=True)
class Report:
    path: str
    format: str
    meta: Meta
    tables: dict[str, Table]
    sections: list[Section]
    paragraphs: list[Paragraph]
    unmatched: list[RawTable] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    # Headings, table captions set as headings, and each running page header once: text that rules
    # on wording and years read too, though it is not narrative.
    headings: list[Paragraph] = field(default_factory=list)
    # Facts about the document as printed (pages, headings, tables in print order), read as tables by rules.
    facts: dict[str, Table] = field(default_factory=dict)


@dataclass(slots=True)
class CheckedFile:
    """One file of a run, as the review report and the ledger list it: what it was recognized as
    (``meta``, the pack used), or why it could not be checked (``error``)."""

    path: str
    meta: Meta | None = None
    pack: str | None = None
    error: str | None = None
    # Amounts and percentages printed in the prose, and how many of them a rule compared.
    stated: tuple[int, int] | None = None


@dataclass(slots=True)
class Related:
    message: str
    loc: Location


@dataclass(slots=True)
class Diagnostic:
    rule: str
    severity: Severity
    message: str
    loc: Location
    table: str | None = None
    row: str | None = None
    column_name: str | None = None
    expected: Decimal | None = None
    actual: Decimal | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None
    related: list[Related] = field(default_factory=list)
    fingerprint: str = ""
    title: str = ""
    help_uri: str | None = None
    # For a built-in finding raised while checking a rule (a rounding difference, a unit mismatch):
    # that rule, so selecting, ignoring or suppressing the rule applies to it too.
    origin: str | None = None
    # The findings this one stands for (consequences of the same wrong cell): a baseline recorded
    # before they were merged still matches, and each rule's examples still see their rule fire.
    absorbed: tuple[Diagnostic, ...] = ()
    # What a failed comparison rests on (engine.consolidate.Evidence); internal, never shown.
    evidence: Any = field(default=None, repr=False, compare=False)
    # The sentence a finding on the prose was made on (paragraph, start, end); internal, never shown.
    sentence: tuple[Location, int, int] | None = field(default=None, repr=False, compare=False)

    def sort_key(self) -> tuple:
        loc = self.loc
        return (loc.path, loc.page or 0, loc.line or 0, loc.col or 0, loc.sheet or "", _cell_order(loc.cell), self.rule)


def _cell_order(cell: str | None) -> tuple[int, int, str]:
    """Sort ``A9`` before ``A10`` and ``Z1`` before ``AA1``: by row, then by column."""
    m = re.fullmatch(r"([A-Z]+)(\d+)", cell or "")
    return (int(m.group(2)), len(m.group(1)), m.group(1)) if m else (0, 0, cell or "")
