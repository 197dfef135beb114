"""The evidence beside each finding of the review report: the page region of a PDF with the boxes
drawn over it, the lines of a text report with the phrase marked, or the cells around a workbook cell.

The source file is read again here, so a report read from standard input, or a file that has gone,
is shown without its evidence rather than failing the report.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from pathlib import Path

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_from_string

from ..errors import LintError
from ..model import Diagnostic, Location
from ..pages.picture import PageRenderer, Picture
from ..readers.numfmt import format_number
from ..readers.text import decode
from ..readers.xlsx_file import open_workbooks

CONTEXT_LINES = 2
GRID_ROWS = 2
GRID_COLUMNS = 3
MAX_PAGES = 3
"""Pages shown per finding: its own, then the pages of its related places."""
MAX_RELATED_SNIPPETS = 3
MAX_CELL_TEXT = 24
MAX_LINE_TEXT = 240
LINE_CONTEXT = 80
"""Characters shown before and after the marks of a long line."""
DISPLAY_SCALE = 4 / 3
"""CSS pixels per point: pages appear at their printed size on a 96 dpi screen."""


@dataclass(frozen=True, slots=True)
class Mark:
    """A place to point at: the finding's own (``primary``) or one of its related places."""

    loc: Location
    role: str
    label: str


def marks(d: Diagnostic) -> list[Mark]:
    own = [Mark(d.loc, "primary", "问题所在")]
    return own + [Mark(r.loc, "related", r.message) for r in d.related if r.loc.path == d.loc.path]


class Evidence:
    """Renders the evidence of findings one after another, keeping each source open while its
    findings are drawn."""

    def __init__(self) -> None:
        self.pages = PageRenderer()
        self._texts: dict[str, list[str] | None] = {}
        self._books: dict[str, object | None] = {}

    def close(self) -> None:
        self.pages.close()
        self._texts.clear()
        self._books.clear()

    def html(self, d: Diagnostic) -> str:
        loc = d.loc
        if loc.page is not None:
            return self._pdf(d)
        if loc.sheet is not None and loc.cell:
            return self._sheet(d)
        if loc.line is not None:
            return self._text(d)
        return ""

    # PDF

    def _pdf(self, d: Diagnostic) -> str:
        ms = [m for m in marks(d) if m.loc.page is not None]
        # Its own page, boxed or not (then shown whole), and the pages of related terms with a box.
        others = [m.loc.page for m in ms if m.loc.bbox and m.loc.page != d.loc.page]
        pages = list(dict.fromkeys([d.loc.page, *others]))[:MAX_PAGES]
        out = []
        for page in pages:
            here = [m for m in ms if m.loc.page == page and m.loc.bbox]
            picture = self.pages.picture(d.loc.path, page, [m.loc.bbox for m in here])
            if picture is None:
                out.append(f'<p class="no-evidence">第 {page} 页的图像无法生成</p>')
                continue
            out.append(_figure(picture, here, d.severity))
        return "".join(out)

    # Text

    def _lines(self, path: str) -> list[str] | None:
        if path not in self._texts:
            try:
                self._texts[path] = decode(Path(path).read_bytes(), path).splitlines()
            except (OSError, LintError):
                self._texts[path] = None
        return self._texts[path]

    def _text(self, d: Diagnostic) -> str:
        lines = self._lines(d.loc.path)
        if lines is None:
            return '<p class="no-evidence">原文不可用</p>'
        ms = [m for m in marks(d) if m.loc.line is not None]
        first = max(1, d.loc.line - CONTEXT_LINES)
        last = min(len(lines), (d.loc.end_line or d.loc.line) + CONTEXT_LINES)
        blocks = [_lines_html(lines, first, last, ms, d.severity)]
        far = [m for m in ms if m.role == "related" and not first <= m.loc.line <= last]
        for m in far[:MAX_RELATED_SNIPPETS]:
            if m.loc.line <= len(lines):
                blocks.append(_lines_html(lines, m.loc.line, m.loc.line, [m], d.severity))
        return "".join(blocks)

    # XLSX

    def _book(self, path: str):
        if path not in self._books:
            try:
                self._books[path] = open_workbooks(Path(path))[0]
            except LintError:
                self._books[path] = None
        return self._books[path]

    def _sheet(self, d: Diagnostic) -> str:
        book = self._book(d.loc.path)
        if book is None or d.loc.sheet not in book.sheetnames:
            return '<p class="no-evidence">原工作表不可用</p>'
        ws = book[d.loc.sheet]
        roles = {}
        for m in reversed(marks(d)):
            if m.loc.sheet == d.loc.sheet and (where := _cell_position(m.loc.cell)):
                roles[where] = m
        if not (where := _cell_position(d.loc.cell)):
            return ""
        col, row = where
        rows = range(max(1, row - GRID_ROWS), row + GRID_ROWS + 1)
        cols: list[int | None] = list(range(max(1, col - GRID_COLUMNS), col + GRID_COLUMNS + 1))
        if cols[0] != 1:
            # The first column holds the row's label (科目代码, 项目): keep it in view.
            cols = [1, None, *cols] if cols[0] > 2 else [1, *cols]
        head = "".join(f"<th>{get_column_letter(c)}</th>" if c else "<th>…</th>" for c in cols)
        body = []
        for r in rows:
            cells = []
            for c in cols:
                if c is None:
                    cells.append('<td class="gap">…</td>')
                    continue
                m = roles.get((c, r))
                cls = f' class="{_mark_class(m.role, d.severity)}" title="{escape(m.label)}"' if m else ""
                cells.append(f"<td{cls}>{escape(_shown(ws.cell(r, c)))}</td>")
            body.append(f"<tr><th>{r}</th>{''.join(cells)}</tr>")
        return (
            f'<table class="grid" data-sheet="{escape(d.loc.sheet)}"><caption>{escape(d.loc.sheet)}</caption>'
            f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )


def _mark_class(role: str, severity: str) -> str:
    return f"mark {severity}" if role == "primary" else "mark related"


def _figure(picture: Picture, here: list[Mark], severity: str) -> str:
    data = base64.b64encode(picture.png).decode("ascii")
    width = round((picture.region[2] - picture.region[0]) * DISPLAY_SCALE)
    boxes = []
    for m in here:
        left, upper, right, lower = picture.place(m.loc.bbox)
        style = (
            f"left:{left * 100:.3f}%;top:{upper * 100:.3f}%;"
            f"width:{(right - left) * 100:.3f}%;height:{(lower - upper) * 100:.3f}%"
        )
        bbox = " ".join(f"{v:.2f}" for v in m.loc.bbox)
        boxes.append(
            f'<span class="box {_mark_class(m.role, severity)}" data-role="{m.role}" data-bbox="{bbox}" '
            f'style="{style}" title="{escape(m.label)}"></span>'
        )
    region = " ".join(f"{v:.2f}" for v in picture.region)
    return (
        f'<figure class="page" data-page="{picture.page}" data-region="{region}">'
        f'<div class="sheet" style="max-width:{width}px">'
        f'<img src="data:image/png;base64,{data}" width="{picture.width}" height="{picture.height}" '
        f'alt="第 {picture.page} 页局部">{"".join(boxes)}</div>'
        f"<figcaption>第 {picture.page} 页</figcaption></figure>"
    )


def _spans(line_no: int, length: int, ms: list[Mark]) -> list[tuple[int, int, Mark]]:
    """The [start, end) columns (0-based) of each mark on this line."""
    out = []
    for m in ms:
        loc = m.loc
        end_line = loc.end_line or loc.line
        if not loc.line <= line_no <= end_line:
            continue
        start = (loc.col or 1) - 1 if line_no == loc.line else 0
        end = (loc.end_col or loc.col or 1) - 1 if line_no == end_line and loc.end_col else length
        out.append((start, max(end, start + 1), m))
    return sorted(out, key=lambda s: (s[0], s[2].role != "primary"))


def _lines_html(lines: list[str], first: int, last: int, ms: list[Mark], severity: str) -> str:
    rows = []
    for no in range(first, last + 1):
        text = lines[no - 1]
        spans = _spans(no, len(text), ms)
        lo, hi = _window(len(text), spans)
        pos, parts = lo, ["…" if lo else ""]
        for start, end, m in spans:
            if start < pos:
                continue
            parts.append(escape(text[pos:start]))
            cls = _mark_class(m.role, severity)
            parts.append(f'<mark class="{cls}" title="{escape(m.label)}">{escape(text[start:end])}</mark>')
            pos = end
        parts.append(escape(text[pos:hi]) + ("…" if hi < len(text) else ""))
        hit = ' class="hit"' if any(m.role == "primary" for _, _, m in spans) else ""
        rows.append(f"<tr{hit}><th>{no}</th><td><code>{''.join(parts)}</code></td></tr>")
    return f'<table class="lines">{"".join(rows)}</table>'


def _window(length: int, spans: list[tuple[int, int, Mark]]) -> tuple[int, int]:
    """The part of a line to show: all of a short line; around the marks of a long one (a paragraph
    converted to one line can run to thousands of characters); the start of a long unmarked one."""
    if length <= MAX_LINE_TEXT:
        return 0, length
    if not spans:
        return 0, MAX_LINE_TEXT
    lo = max(0, min(s[0] for s in spans) - LINE_CONTEXT)
    return lo, min(length, max(max(s[1] for s in spans) + LINE_CONTEXT, lo + MAX_LINE_TEXT))


def _cell_position(cell: str | None) -> tuple[int, int] | None:
    """(column, row) of ``B12``; None for anything that is not one cell."""
    try:
        letters, row = coordinate_from_string(cell or "")
        return column_index_from_string(letters), row
    except ValueError:
        return None


def _shown(cell) -> str:
    """The cell as its sheet prints it, shortened to fit the grid."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        text = format_number(value, cell.number_format)
    else:
        text = str(value).strip()
    return text if len(text) <= MAX_CELL_TEXT else text[: MAX_CELL_TEXT - 1] + "…"
