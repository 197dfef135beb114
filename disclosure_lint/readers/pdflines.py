"""Characters -> text lines, rebuilt by vertical overlap and x order.

Producers draw the digits of a Chinese sentence in a Latin font whose baseline sits a little
lower, and quotes a little higher; grouping by baseline (what ``extract_text`` does) then tears
``本年收入合计2946.25万元`` into two lines. Here a glyph joins the line its box overlaps most (at
least half of the smaller height), and the line reads left to right. No space is ever put next to
a CJK character, so text drawn with letter spacing (``因 公 出 国``) reads as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from .pdfchars import Box, Char

# Two glyphs belong to one line when their boxes share at least this part of the smaller height.
_OVERLAP = 0.5
# Between two Latin/digit glyphs, a gap wider than this part of the font size is a space.
_SPACE_GAP = 0.25
# How many recent lines a glyph is compared with (lines come top to bottom; a few suffice).
_WINDOW = 6


def is_wide(ch: str) -> bool:
    """CJK ideographs, kana, full-width forms and the punctuation set with them: never space-separated."""
    o = ord(ch)
    return o >= 0x2E80 or 0x2010 <= o <= 0x206F or 0x3000 <= o <= 0x303F


@dataclass(slots=True)
class Line:
    """One visual line: its glyphs left to right, the text they spell and a box per text character.

    ``pieces`` are the parts a wide gap separates, once the page reader has settled the line
    (``pdfprose.settle``); empty when the line is one piece.
    """

    chars: list[Char]
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str = ""
    boxes: list[Box] = field(default_factory=list)
    pieces: list[Line] = field(default_factory=list)

    @property
    def bbox(self) -> Box:
        return self.x0, self.top, self.x1, self.bottom


def _finish(chars: list[Char]) -> Line:
    chars.sort(key=lambda c: c.x0)
    text, boxes = spell(chars)
    sizes = sorted(c.size for c in chars)
    return Line(
        chars,
        min(c.top for c in chars),
        max(c.bottom for c in chars),
        chars[0].x0,
        max(c.x1 for c in chars),
        sizes[len(sizes) // 2],
        text,
        boxes,
    )


def spell(chars: list[Char]) -> tuple[str, list[Box]]:
    """Text of glyphs already in reading order, with a space only between Latin words (or digits):
    where one was drawn, or where the gap is as wide as one."""
    out: list[str] = []
    boxes: list[Box] = []
    prev: Char | None = None
    for ch in chars:
        if (
            prev is not None
            and not is_wide(prev.text)
            and not is_wide(ch.text)
            and (ch.space_before or ch.x0 - prev.x1 > _SPACE_GAP * min(prev.size, ch.size))
        ):
            out.append(" ")
            boxes.append((prev.x1, min(prev.top, ch.top), ch.x0, max(prev.bottom, ch.bottom)))
        out.append(ch.text)
        boxes.append((ch.x0, ch.top, ch.x1, ch.bottom))
        prev = ch
    return "".join(out), boxes


def group_lines(chars: list[Char]) -> list[Line]:
    """Lines top to bottom. Each line's band is the union of the glyphs placed in it so far."""
    bands: list[list[float]] = []
    members: list[list[Char]] = []
    # Comparisons instead of min() and max(): this loop runs for every glyph against the last bands.
    for ch in sorted(chars, key=lambda c: (c.top + c.bottom, c.x0)):
        c_top, c_bottom = ch.top, ch.bottom
        height = c_bottom - c_top if c_bottom - c_top > 0.01 else 0.01
        best, best_ratio = -1, _OVERLAP
        for i in range(len(bands) - 1, max(-1, len(bands) - 1 - _WINDOW), -1):
            top, bottom = bands[i]
            overlap = (c_bottom if c_bottom < bottom else bottom) - (c_top if c_top > top else top)
            span = bottom - top if bottom - top > 0.01 else 0.01
            ratio = overlap / (span if span < height else height)
            if ratio >= best_ratio:
                best, best_ratio = i, ratio
        if best < 0:
            bands.append([ch.top, ch.bottom])
            members.append([ch])
            continue
        band = bands[best]
        band[0], band[1] = min(band[0], ch.top), max(band[1], ch.bottom)
        members[best].append(ch)
    lines = [_finish(m) for m in members]
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def split_runs(line: Line, gap_em: float) -> list[Line]:
    """Pieces of a line separated by gaps wider than ``gap_em`` font sizes (columns, left/right captions)."""
    pieces: list[list[Char]] = [[line.chars[0]]]
    for prev, ch in pairwise(line.chars):
        if ch.x0 - prev.x1 > gap_em * min(prev.size, ch.size):
            pieces.append([ch])
        else:
            pieces[-1].append(ch)
    if len(pieces) == 1:
        return [line]
    return [_finish(p) for p in pieces]


def breaks_word(left: str, right: str) -> bool:
    """Whether a line break between these two characters stood for a space: only between Latin
    letters. CJK line breaking may also wrap between ``63.76`` and ``%``, which is no space."""
    return left.isascii() and left.isalpha() and right.isascii() and right.isalpha()


def join_text(parts: list[str]) -> str:
    """Lines of one cell joined as they were written: a space only where a Latin word wrapped."""
    out = ""
    for part in parts:
        if out and part and breaks_word(out[-1], part[0]):
            out += " "
        out += part
    return out
