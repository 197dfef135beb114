"""Table grids of a PDF page: pdfplumber finds the cells, our glyphs fill them.

Ruled tables come from pdfplumber's ``lines`` strategy (tables printed without rules: see
``pdfunruled``). A grid keeps pdfplumber's shape: a cell spanning several columns or rows holds
its text at its top-left slot and leaves empty cells in the slots it covers, as the text reader
does for merged headers.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Protocol

from pdfplumber.table import Table

from ..model import Cell, Location, RawTable
from .pdfchars import Box, Char
from .pdflines import group_lines, join_text

LINE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_EPS = 0.5


@dataclass(slots=True)
class Grid:
    """Table slots: ``rows[r][c]`` is the box of the cell starting there, None where a spanning cell covers it."""

    bbox: Box
    xs: list[float]
    rows: list[list[Box | None]]
    row_spans: list[tuple[float, float]]


def grid_of(table: Table) -> Grid | None:
    """pdfplumber Table -> Grid; single-column boxes (frames around text) are not tables."""
    cells = table.cells
    xs = sorted({c[0] for c in cells})
    if len(xs) < 2:
        return None
    rows = []
    spans = []
    for row in table.rows:
        rows.append(list(row.cells))
        spans.append((row.bbox[1], row.bbox[3]))
    return Grid(table.bbox, xs, rows, spans)


class TableSource(Protocol):
    """A page as the PDF reader uses it: read by pdfplumber (``pdf.PlumberPage``) or pdfium (``pdfium.PdfiumPage``)."""

    width: float
    height: float

    def chars(self) -> list[Char]: ...

    def draws_paths(self) -> bool: ...

    def drawing_count(self) -> int: ...

    def scanned(self) -> bool: ...

    def find_tables(self, settings: dict[str, Any]) -> list[Table]: ...


def ruled_grids(page: TableSource) -> list[Grid]:
    return [g for g in (grid_of(t) for t in page.find_tables(LINE_SETTINGS)) if g is not None]


def _slot_owner(grid: Grid) -> dict[tuple[int, int], tuple[int, int]]:
    """Every slot -> the slot where the cell covering it starts."""
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    tops = [a for a, _ in grid.row_spans]
    for r, row in enumerate(grid.rows):
        for c, box in enumerate(row):
            if box is None:
                continue
            rr = r
            while rr < len(tops) and (rr == r or tops[rr] < box[3] - _EPS):
                cc = c
                while cc < len(grid.xs) and (cc == c or grid.xs[cc] < box[2] - _EPS):
                    owner.setdefault((rr, cc), (r, c))
                    cc += 1
                rr += 1
    return owner


def fill(grid: Grid, chars: list[Char], path: str, page_no: int) -> RawTable:
    """The grid's cells with the text of the glyphs that fall in them."""
    owner = _slot_owner(grid)
    tops = [a for a, _ in grid.row_spans]
    found: dict[tuple[int, int], list[Char]] = {}
    for ch in chars:
        r = bisect_right(tops, (ch.top + ch.bottom) / 2) - 1
        c = bisect_right(grid.xs, _anchor_x(ch)) - 1
        slot = owner.get((r, c))
        if r >= 0 and c >= 0 and slot is not None:
            found.setdefault(slot, []).append(ch)
    x_end = grid.bbox[2]
    rows: list[list[Cell]] = []
    for r, row in enumerate(grid.rows):
        top, bottom = grid.row_spans[r]
        cells: list[Cell] = []
        for c, box in enumerate(row):
            if box is None:
                right = grid.xs[c + 1] if c + 1 < len(grid.xs) else x_end
                cells.append(Cell("", Location(path, page=page_no, bbox=(grid.xs[c], top, right, bottom))))
                continue
            text = join_text([ln.text for ln in group_lines(found.get((r, c), []))])
            cells.append(Cell(text, Location(path, page=page_no, bbox=tuple(box))))
        rows.append(cells)
    return RawTable(rows, Location(path, page=page_no, bbox=tuple(grid.bbox)))


def _anchor_x(ch: Char) -> float:
    """Where a glyph is placed across: just right of its start, not its centre, because CJK
    punctuation may hang past the right edge of a cell (``指挥、`` with ``、`` over the rule)."""
    return ch.x0 + min(1.0, (ch.x1 - ch.x0) / 4)


def inside(ch: Char, box: Box) -> bool:
    cx, cy = _anchor_x(ch), (ch.top + ch.bottom) / 2
    return box[0] <= cx < box[2] and box[1] <= cy < box[3]
