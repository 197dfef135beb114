"""PDF text lines -> Headings and Paragraphs, rebuilt across line and page breaks.

A line continues the paragraph above it unless something on the page says otherwise: the line
above stops short of the right margin, this one is indented or numbered (``一、``, ``（一）``,
``1、``) or starts a note, the font size changes, there is a blank gap, or a table comes between.
Lines set clearly larger than the body text are headings. Running headers and footers (page
numbers such as ``- 3 -`` or ``第3页``, and text repeated at the same place on many pages) are
dropped, so a table continued on the next page is not separated from its first part by prose.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from ..labels import ordinal_rank, squash
from ..model import Block, Heading, Location, Paragraph, RawTable, Segment
from .pdfchars import Box
from .pdflines import Line, breaks_word, split_runs

# Header and footer zones: this part of the page height at the top and at the bottom.
MARGIN_ZONE = 0.08
# Text repeated in a zone on this many pages (and on half of them) is a running header/footer.
_REPEATS = 3
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]\d{1,4}[-—–－]|[-—–－]?\d{1,4}[-—–－]?|第\d{1,4}页(?:[/，,]?共\d{1,4}页)?|\d{1,4}/\d{1,4}"
    r"|(?:page)?\d{1,4}(?:of\d{1,4})?)$",
    re.IGNORECASE,
)
_NOTE = re.compile(r"^(?:注|说明|备注)\s*[\d一二三四五六七八九十]*\s*[:：]")
_SENTENCE_END = re.compile(r"[。！？；.!?;][”’」』）)]*$")
# A line ending in a colon leads into the next one (``主要原因：`` then the reason, even after a
# blank line), unless that one is indented or numbered.
_LEAD_IN = re.compile(r"[：:]$")
# Lines that define a margin: at least this many, of at least this many characters, start (or end) there.
_SHARED = 3
_BODY_CHARS = 10
# Heading lines are at least this much larger than the body text.
_HEADING_RATIO = 1.15
# Gaps wider than this many font sizes split a line into separate captions (left/right of a page).
_CAPTION_GAP_EM = 4.0


@dataclass(slots=True)
class PageText:
    """What the reader found on one page: prose lines and tables, each with its vertical position."""

    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[RawTable] = field(default_factory=list)
    chars: int = 0
    drawings: int = 0


def _is_margin_line(line: Line, page: PageText) -> bool:
    zone = MARGIN_ZONE * page.height
    return line.bottom <= zone or line.top >= page.height - zone


def strip_running_text(pages: list[PageText], path: str) -> list[Paragraph]:
    """Drop page numbers and running headers/footers from the header and footer zones. Each running
    text is returned once, where it is first printed: it is still text the rules on wording and
    years read, and a defect in it is one defect, not one per page."""
    shapes: Counter[str] = Counter()
    for page in pages:
        seen = {re.sub(r"\d+", "#", squash(ln.text)) for ln in page.lines if _is_margin_line(ln, page)}
        shapes.update(seen)
    repeated = {s for s, n in shapes.items() if n >= max(_REPEATS, len(pages) // 2)}
    running: dict[str, Paragraph] = {}
    for page in pages:
        for ln in page.lines:
            text = squash(ln.text)
            shape = re.sub(r"\d+", "#", text)
            if _is_margin_line(ln, page) and not _PAGE_NUMBER.match(text) and shape in repeated:
                loc = Location(path, page=page.number, bbox=ln.bbox)
                running.setdefault(shape, Paragraph(ln.text, loc, [Segment(0, len(ln.text), loc, tuple(ln.boxes))]))
        page.lines = [
            ln
            for ln in page.lines
            if not (
                _is_margin_line(ln, page)
                and (_PAGE_NUMBER.match(squash(ln.text)) or re.sub(r"\d+", "#", squash(ln.text)) in repeated)
            )
        ]
    return list(running.values())


def _body_size(pages: list[PageText]) -> float:
    weights: Counter[float] = Counter()
    for page in pages:
        for ln in page.lines:
            weights[round(ln.size, 1)] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else 12.0


@dataclass(slots=True)
class _Margins:
    left: float
    right: float


def _leading(pages: list[PageText]) -> float:
    """The usual blank space between two lines of a paragraph (documents range from tight to double spacing)."""
    gaps = sorted(
        b.top - a.bottom
        for page in pages
        for a, b in pairwise(page.lines)
        if b.top >= a.bottom and abs(a.size - b.size) < 0.5
    )
    return gaps[len(gaps) // 2] if gaps else 0.0


def _margins(pages: list[PageText]) -> dict[int, _Margins]:
    """Left and right edge of the body text, per page size (portrait and landscape pages differ).

    Only lines long enough to be body text count (captions such as ``单位：万元`` align with the
    tables, not the text). The left edge is the leftmost position several lines start at, so a
    stray line further left does not move it; the right edge is where the third-longest line ends.
    """
    groups: dict[int, list[Line]] = {}
    for page in pages:
        groups.setdefault(round(page.width), []).extend(page.lines)
    by_width: dict[int, _Margins] = {}
    for width, lines in groups.items():
        body = [ln for ln in lines if len(ln.text) >= _BODY_CHARS] or lines
        if not body:
            continue
        xs = sorted(ln.x0 for ln in body)
        left = next((x for i, x in enumerate(xs) if i + _SHARED <= len(xs) and xs[i + _SHARED - 1] - x <= 2), xs[0])
        ends = sorted((ln.x1 for ln in body), reverse=True)
        by_width[width] = _Margins(left, ends[min(_SHARED, len(ends)) - 1])
    return {p.number: by_width.get(round(p.width), _Margins(0.0, p.width)) for p in pages}


@dataclass(slots=True)
class _Open:
    """The block being built: its lines with their page numbers."""

    heading: bool
    lines: list[tuple[int, Line]] = field(default_factory=list)


class _Builder:
    def __init__(self, path: str, body: float, margins: dict[int, _Margins], leading: float) -> None:
        self.path = path
        self.body = body
        self.margins = margins
        self.leading = leading
        self.blocks: list[Block] = []
        self.open: _Open | None = None
        self.headings: list[tuple[Heading, float]] = []

    def is_heading(self, line: Line) -> bool:
        return line.size >= _HEADING_RATIO * self.body

    def standalone(self, page: int, line: Line) -> bool:
        """Centred or right-aligned lines (titles, captions, units) never run on into the next line."""
        m = self.margins[page]
        return line.x0 - m.left >= 4 * line.size

    def continues(self, page: int, line: Line) -> bool | None:
        """Whether ``line`` runs on the open paragraph. None where nothing but a blank gap breaks it
        off: the last line does not stop short enough to end it, and ``line`` starts flush left like a
        wrapped line (not indented, numbered, a note or a heading). Such a gap may be a paragraph
        break or a stray space inside a sentence; both are printed, and the page cannot tell which."""
        block = self.open
        if block is None:
            return False
        prev_page, prev = block.lines[-1]
        if self.is_heading(line) != block.heading or abs(line.size - prev.size) > 0.15 * self.body:
            return False
        gap = line.top - prev.bottom
        m = self.margins[page]
        pm = self.margins[prev_page]
        if ordinal_rank(line.text) is not None or _NOTE.match(line.text):
            return False
        if block.heading:
            # A title runs on only from a line that filled most of the width; two short titles in a
            # row (第二部分… then 收入支出决算总表) stay two headings.
            return prev_page == page and gap < line.size and prev.x1 - prev.x0 >= 0.7 * (pm.right - pm.left)
        if line.x0 - m.left >= line.size or self.standalone(prev_page, prev):
            return False
        if self.ends_paragraph(prev, pm):
            return False
        blank_between = prev_page == page and gap > self.leading + 0.5 * line.size
        return True if not blank_between or _LEAD_IN.search(prev.text) else None

    @staticmethod
    def ends_paragraph(line: Line, m: _Margins) -> bool:
        """A line stopping short of the right margin ends its paragraph if it ends a sentence or is
        less than half the text width, but not if it ends in a colon. Producers that lay out with
        one font and draw digits in another leave full lines ragged by a few characters, so
        shortness alone says nothing."""
        if line.x1 >= m.right - 1.5 * line.size or _LEAD_IN.search(line.text):
            return False
        return bool(_SENTENCE_END.search(line.text)) or line.x1 - m.left < (m.right - m.left) / 2

    def add_line(self, page: int, line: Line) -> None:
        joins = self.continues(page, line)
        if not joins:
            self.close(end_unsure=joins is None)
            self.open = _Open(self.is_heading(line))
        assert self.open is not None
        self.open.lines.append((page, line))

    def close(self, end_unsure: bool = False) -> None:
        block = self.open
        self.open = None
        if block is None:
            return
        text = ""
        segments: list[Segment] = []
        for page, line in block.lines:
            boxes = list(line.boxes)
            body = line.text
            if text and breaks_word(text[-1], body[0]):
                body = " " + body
                boxes.insert(0, boxes[0])
            start = len(text)
            text += body
            segments.append(Segment(start, len(text), Location(self.path, page=page, bbox=line.bbox), tuple(boxes)))
        first_page = block.lines[0][0]
        same = [ln for p, ln in block.lines if p == first_page]
        bbox: Box = (
            min(ln.x0 for ln in same),
            min(ln.top for ln in same),
            max(ln.x1 for ln in same),
            max(ln.bottom for ln in same),
        )
        loc = Location(self.path, page=first_page, bbox=bbox)
        if block.heading:
            heading = Heading(text, 0, loc)
            self.headings.append((heading, block.lines[0][1].size))
            self.blocks.append(heading)
        else:
            self.blocks.append(Paragraph(text, loc, segments, end_unsure=end_unsure))

    def add_table(self, table: RawTable) -> None:
        self.close()
        self.blocks.append(table)


def _levels(headings: list[tuple[Heading, float]]) -> None:
    """Heading level by size: the largest heading size is level 1."""
    sizes = sorted({round(size, 1) for _, size in headings}, reverse=True)
    for heading, size in headings:
        heading.level = min(sizes.index(round(size, 1)) + 1, 6)


def settle(line: Line) -> Line:
    """A prose line as the page reader hands it on: a line of far-apart pieces (``部门名称：…`` at
    the left, ``单位：万元`` at the right) split into them, and no glyphs. Nothing after the page
    needs the glyphs, and they are most of what a page read in another process costs to send back."""
    pieces = split_runs(line, _CAPTION_GAP_EM)
    for piece in pieces:
        piece.chars = []
    line.pieces = pieces if len(pieces) > 1 else []
    return line


def build_blocks(pages: list[PageText], path: str) -> tuple[list[Block], list[Paragraph]]:
    """Blocks in reading order (on each page, lines and tables by their top edge), and the running
    headers and footers, once each."""
    running = strip_running_text(pages, path)
    builder = _Builder(path, _body_size(pages), _margins(pages), _leading(pages))
    for page in pages:
        items: list[tuple[float, float, Line | RawTable]] = []
        for line in page.lines:
            items.extend((line.top, piece.x0, piece) for piece in line.pieces or [line])
        for table in page.tables:
            bbox = table.loc.bbox or (0.0, 0.0, 0.0, 0.0)
            items.append((bbox[1], bbox[0], table))
        items.sort(key=lambda it: (it[0], it[1]))
        for _, _, item in items:
            if isinstance(item, RawTable):
                builder.add_table(item)
            else:
                builder.add_line(page.number, item)
    builder.close()
    _levels(builder.headings)
    return builder.blocks, running
