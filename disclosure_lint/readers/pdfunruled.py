"""Tables printed without ruling lines, found from how their text lines up.

A run of lines that break into several far-apart pieces, some of them amounts, is the body of
such a table; lines just above it in the same type size are its header. Its columns are the
gutters: x ranges that no body line puts a character in (header text may span a gutter, as a
merged header does). pdfplumber then builds the cells from those text-derived lines with its
``explicit`` strategy. pdfplumber's own ``text`` strategy is not used: it draws a column edge
wherever several words end at the same x, so the right edge of the 3-digit codes ``201``,
``206``… cuts ``合计`` and ``栏次`` in two.
"""

from __future__ import annotations

import re
from itertools import pairwise

from .pdfchars import Box
from .pdflines import Line, split_runs
from .pdftables import Grid, TableSource, grid_of

# Pieces of a row are at least this many font sizes apart; a gutter is at least this wide.
COLUMN_GAP_EM = 1.5
GUTTER_EM = 0.8
_MIN_ROWS = 3
_AMOUNT = re.compile(r"^[+\-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")


def _pieces(line: Line) -> list[Line]:
    return split_runs(line, COLUMN_GAP_EM)


def _numeric(line: Line) -> bool:
    return any(_AMOUNT.match(piece.text) for piece in _pieces(line))


def regions(lines: list[Line]) -> list[tuple[list[int], list[int]]]:
    """(header line indices, body line indices) of each unruled table among ``lines`` (top to bottom)."""
    found: list[tuple[list[int], list[int]]] = []
    body: list[int] = []

    def close() -> None:
        if len(body) >= _MIN_ROWS and sum(_numeric(lines[i]) for i in body) >= 2:
            found.append((_header(lines, body), list(body)))
        body.clear()

    for i, line in enumerate(lines):
        several = len(_pieces(line)) >= 2
        near = bool(body) and line.top - lines[body[-1]].bottom < 2 * line.size
        if several and (near or not body):
            body.append(i)
            continue
        close()
        if several:
            body.append(i)
    close()
    return found


def _header(lines: list[Line], body: list[int]) -> list[int]:
    """Lines right above the body, set in its type size and within its width."""
    first = lines[body[0]]
    left = min(lines[i].x0 for i in body)
    right = max(lines[i].x1 for i in body)
    out: list[int] = []
    top = first.top
    j = body[0] - 1
    while j >= 0:
        ln = lines[j]
        if abs(ln.size - first.size) > 0.5 or top - ln.bottom > 2 * first.size or ln.x0 < left - 1 or ln.x1 > right + 1:
            break
        out.insert(0, j)
        top = ln.top
        j -= 1
    return out


def _gutters(body: list[Line]) -> list[float]:
    """Column edges in the x ranges no body line puts a character in.

    A header is usually wider than the body text below it and aligned like it: a label column is
    cut just before the next column's text (its header, left-aligned, may run into the gutter),
    an amount column is right-aligned, so it is cut just after the text on its left.
    """
    spans = sorted((ch.x0, ch.x1) for ln in body for ch in ln.chars)
    size = min(ln.size for ln in body)
    cuts: list[float] = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= GUTTER_EM * size:
            starts = [p.x0 for ln in body for p in _pieces(ln) if reach < p.x0 and p.x0 - x0 < size]
            left_aligned = bool(starts) and max(starts) - min(starts) <= 1
            cuts.append(x0 - 1 if left_aligned else reach + 1)
        reach = max(reach, x1)
    return cuts


def text_grid(page: TableSource, header: list[Line], body: list[Line]) -> Grid | None:
    """The grid of an unruled table: columns at the gutters, one row per text line."""
    cuts = _gutters(body)
    if not cuts:
        return None
    rows = header + body
    box: Box = (min(ln.x0 for ln in rows) - 1, rows[0].top - 1, max(ln.x1 for ln in rows) + 1, rows[-1].bottom + 1)
    ys = [box[1], *((a.bottom + b.top) / 2 for a, b in pairwise(rows)), box[3]]
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": [box[0], *cuts, box[2]],
        "explicit_horizontal_lines": ys,
    }
    grids = [g for g in (grid_of(t) for t in page.find_tables(settings)) if g is not None]
    return max(grids, key=lambda g: len(g.rows), default=None)
