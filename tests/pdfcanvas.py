"""A second typesetter for text-form reports, independent of tests/pdfgen.py.

pdfgen.py lays a report out with reportlab's platypus (flowables, frames, its own CJK line
breaking). This one draws every glyph run and rule itself on a reportlab canvas, the way a
hand-written report generator does: a larger body size, other margins, justified lines, tables
ruled cell by cell and split across pages wherever a page runs out (the header rows repeated),
page numbers in the footer, and optionally a page break forced inside a sentence. A report gives
the same findings through either typesetter only if the reader depends on neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from disclosure_lint.labels import code_of, squash
from disclosure_lint.model import Document, Heading, RawTable
from disclosure_lint.numbers import parse_amount
from disclosure_lint.recognize.grid import header_end

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 64.0, 66.0, 62.0
BODY_SIZE, BODY_LEADING = 12.0, 20.0
HEADING_SIZES = {1: 18.0, 2: 16.0, 3: 15.0}
HEADING_MIN = 14.5
CELL_SIZE, CELL_LEADING, CELL_PAD = 8.0, 10.0, 3.0
# Runs of Latin letters, digits and their separators are never broken across lines.
_TOKEN = re.compile(r"[0-9A-Za-z.,，%％\-]+|.", re.S)
# Punctuation that may not begin a line: it hangs at the end of the line before.
_NO_START = set("，。；：、）”’》％%！？")


@dataclass(frozen=True)
class Layout:
    """``break_after``: phrases of the narrative after which the page ends, mid-sentence."""

    break_after: tuple[str, ...] = ()
    repeat_header: bool = True
    # Printed at the top of every page.
    running_header: str | None = None


def _width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def _wrap(text: str, size: float, width: float, first_indent: float = 0.0) -> list[str]:
    lines: list[str] = []
    line, used, avail = "", 0.0, width - first_indent
    for token in _TOKEN.findall(text):
        w = _width(token, size)
        if line and used + w > avail and token not in _NO_START:
            lines.append(line)
            line, used, avail = "", 0.0, width
        line += token
        used += w
    if line:
        lines.append(line)
    return lines or [""]


class _Pages:
    def __init__(self, out: Path, header: str | None = None) -> None:
        self.canvas = Canvas(str(out), pagesize=A4)
        self.canvas.setTitle("disclosure")
        self.width, self.height = A4
        self.header = header
        self.page = 1
        self.y = self.height - MARGIN_TOP

    @property
    def text_width(self) -> float:
        return self.width - 2 * MARGIN_X

    def room(self, height: float) -> bool:
        return self.y - height >= MARGIN_BOTTOM

    def new_page(self) -> None:
        self.canvas.setFont(FONT, 9)
        self.canvas.drawCentredString(self.width / 2, 30, f"第{self.page}页")
        if self.header:
            self.canvas.drawRightString(self.width - MARGIN_X, self.height - 36, self.header)
        self.canvas.showPage()
        self.page += 1
        self.y = self.height - MARGIN_TOP

    def line(self, text: str, size: float, x: float, justify_to: float | None = None) -> None:
        """One line of text whose top is at ``self.y``; ``justify_to`` stretches it to that width."""
        baseline = self.y - size
        t = self.canvas.beginText(x, baseline)
        t.setFont(FONT, size)
        if justify_to is not None and len(text) > 1:
            t.setCharSpace(max(0.0, (justify_to - _width(text, size)) / (len(text) - 1)))
        t.textOut(text)
        self.canvas.drawText(t)

    def finish(self) -> None:
        self.new_page()
        self.canvas.save()


def _paragraph(pages: _Pages, text: str, breaks: list[str]) -> None:
    """``breaks``: phrases still to break after; the first paragraph that has one takes it."""
    indent = 2 * BODY_SIZE
    pieces = [text]
    for phrase in list(breaks):
        if phrase in text:
            cut = text.index(phrase) + len(phrase)
            pieces = [text[:cut], text[cut:]]
            breaks.remove(phrase)
            break
    first = True
    for k, piece in enumerate(pieces):
        lines = _wrap(piece, BODY_SIZE, pages.text_width, indent if first else 0.0)
        for i, ln in enumerate(lines):
            if not pages.room(BODY_LEADING):
                pages.new_page()
            x = MARGIN_X + (indent if first and i == 0 else 0.0)
            # The line before a forced page break is left ragged, as a page that runs out leaves it;
            # it must still look like running text, not the end of a paragraph.
            ends_piece = i == len(lines) - 1
            if ends_piece and k < len(pieces) - 1 and x + _width(ln, BODY_SIZE) < MARGIN_X + 0.6 * pages.text_width:
                raise ValueError(f"the page break after “{piece[-8:]}” would leave a short line: choose another phrase")
            pages.line(ln, BODY_SIZE, x, None if ends_piece else MARGIN_X + pages.text_width - x)
            pages.y -= BODY_LEADING
        first = False
        if k < len(pieces) - 1:
            pages.new_page()
    pages.y -= 4


def _heading(pages: _Pages, block: Heading) -> None:
    size = HEADING_SIZES.get(block.level, HEADING_MIN)
    lines = _wrap(block.text, size, pages.text_width)
    if not pages.room(len(lines) * size * 1.5 + 3 * BODY_LEADING):
        pages.new_page()
    pages.y -= 6
    for ln in lines:
        pages.line(ln, size, MARGIN_X)
        pages.y -= size * 1.5
    pages.y -= 4


def _column_widths(rows: list[list[str]], avail: float) -> tuple[list[float], float]:
    """Column widths and the type size of a table: no cell's unbreakable run may overflow its
    column (a number running over the rule would be cut by any reader), so a wide table is set smaller."""
    n = max(len(r) for r in rows)
    size = CELL_SIZE
    while True:
        least, want = [], []
        for j in range(n):
            column = [r[j] for r in rows if r[j]]
            runs = max((_width(t, size) for c in column for t in _TOKEN.findall(c)), default=0.0)
            longest = max((_width(c, size) for c in column), default=0.0)
            least.append(max(runs, 2 * size) + 2 * CELL_PAD)
            want.append(max(min(longest, 30 * size) + 2 * CELL_PAD, least[-1]))
        if sum(least) <= avail or size <= 5:
            break
        size -= 0.5
    spare = max(0.0, avail - sum(least))
    extra = sum(w - m for w, m in zip(want, least, strict=True))
    share = min(1.0, spare / extra) if extra else 0.0
    return [m + (w - m) * share for w, m in zip(want, least, strict=True)], size


def _table(pages: _Pages, raw: RawTable, layout: Layout) -> None:
    rows = [[c.text for c in r] for r in raw.rows]
    n = max(len(r) for r in rows)
    rows = [r + [""] * (n - len(r)) for r in rows]
    n_header = min(header_end([[squash(t) for t in r] for r in rows])[0], len(rows))
    widths, size = _column_widths(rows, pages.text_width)
    leading = size * CELL_LEADING / CELL_SIZE
    wrapped = [[_wrap(t, size, w - 2 * CELL_PAD) for t, w in zip(r, widths, strict=True)] for r in rows]
    heights = [max(len(c) for c in r) * leading + 2 * CELL_PAD for r in wrapped]
    # Column headings are repeated on each page; the top rows of a form, which hold figures, are not.
    figures = any(parse_amount(t) is not None and not code_of(t) for r in rows[:n_header] for t in r if t)
    header = list(range(n_header)) if layout.repeat_header and not figures else []
    started = False
    for i in range(len(rows)):
        if not pages.room(heights[i]):
            pages.new_page()
            if started:
                for h in header:
                    _row(pages, rows[h], wrapped[h], widths, heights[h], size)
        _row(pages, rows[i], wrapped[i], widths, heights[i], size)
        started = True
    pages.y -= 10


def _row(
    pages: _Pages, texts: list[str], cells: list[list[str]], widths: list[float], height: float, size: float
) -> None:
    c = pages.canvas
    c.setLineWidth(0.6)
    top, x = pages.y, MARGIN_X
    c.line(x, top, x + sum(widths), top)
    c.line(x, top - height, x + sum(widths), top - height)
    for text, lines, w in zip(texts, cells, widths, strict=True):
        c.line(x, top, x, top - height)
        number = parse_amount(text) is not None and not code_of(text)
        for k, ln in enumerate(lines):
            baseline = top - CELL_PAD - (k + 1) * size * CELL_LEADING / CELL_SIZE + 2
            c.setFont(FONT, size)
            if number:
                c.drawRightString(x + w - CELL_PAD, baseline, ln)
            else:
                c.drawString(x + CELL_PAD, baseline, ln)
        x += w
    c.line(x, top, x, top - height)
    pages.y -= height


def typeset(doc: Document, out: Path, layout: Layout = Layout()) -> Path:
    """Draw ``doc`` (as the text reader gives it) into ``out``."""
    pages = _Pages(out, layout.running_header)
    breaks = list(layout.break_after)
    for block in doc.blocks:
        if isinstance(block, Heading):
            _heading(pages, block)
        elif isinstance(block, RawTable):
            _table(pages, block, layout)
        else:
            _paragraph(pages, block.text, breaks)
    pages.finish()
    if breaks:
        raise ValueError(f"no paragraph has {breaks}")
    return out
