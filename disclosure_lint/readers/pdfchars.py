"""The glyphs of a PDF page as positioned characters, with fake-bold duplicates removed.

Coordinates are pdfplumber's: points from the top-left of the page as displayed. A character's
box spans its advance along the baseline and its font size across it (ascent 0.88, descent
0.12 of the size), measured from the baseline, not from the font's own metrics: producers set
the digits of a Chinese sentence in a Latin font whose descent differs, and boxes built from
each font's metrics would put those digits half a line lower than the text around them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

Box = tuple[float, float, float, float]
_ASCENT, _DESCENT = 0.88, 0.12


class Char(NamedTuple):
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    font: str
    space_before: bool = False


def page_chars(raw: list[dict[str, Any]]) -> list[Char]:
    """pdfplumber's ``page.chars`` as Chars. A blank drawn right before a glyph is kept as that
    glyph's ``space_before`` (the line decides whether it counts), not as a glyph of its own."""
    out: list[Char] = []
    space_end: float | None = None
    for ch in raw:
        text = ch["text"]
        if len(text) == 1 and text.isspace():
            space_end = ch["x1"]
            continue
        if len(text) != 1 or not text.isprintable():
            space_end = None
            continue
        size = ch["size"]
        top, bottom = ch["top"], ch["bottom"]
        if ch.get("upright", True):
            baseline = bottom - (ch["matrix"][5] - ch["y0"])
            top, bottom = baseline - _ASCENT * size, baseline + _DESCENT * size
        spaced = space_end is not None and abs(space_end - ch["x0"]) < 0.5 * size
        out.append(Char(text, ch["x0"], top, ch["x1"], bottom, size, ch.get("fontname", ""), spaced))
        space_end = None
    return out


def dedupe(chars: list[Char], tolerance: float = 1.0) -> list[Char]:
    """Drop a glyph drawn again at (nearly) the same place, as producers do to fake bold.

    Same rule as pdfplumber's ``dedupe_chars`` (same text, font and size within ``tolerance``
    points), hashed on a grid so it stays linear in the number of characters.
    """
    seen: dict[tuple[str, str, int], dict[tuple[int, int], list[Char]]] = {}
    out: list[Char] = []
    for ch in chars:
        gx, gy = int(ch.x0 // tolerance), int(ch.top // tolerance)
        cells = seen.setdefault((ch.text, ch.font, round(ch.size)), {})
        if cells and _near(cells, gx, gy, ch, tolerance):
            continue
        cells.setdefault((gx, gy), []).append(ch)
        out.append(ch)
    return out


def _near(cells: dict[tuple[int, int], list[Char]], gx: int, gy: int, ch: Char, tolerance: float) -> bool:
    """Whether a glyph like ``ch`` was drawn within ``tolerance`` of it (looked for in the 3 x 3 cells around)."""
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            for other in cells.get((gx + dx, gy + dy), ()):
                if abs(other.x0 - ch.x0) <= tolerance and abs(other.top - ch.top) <= tolerance:
                    return True
    return False
