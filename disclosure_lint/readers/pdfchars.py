"""The glyphs of a PDF page, read with pdfium and placed in pdfplumber's page space.

pdfium reads a page's text an order of magnitude faster than pdfminer (which pdfplumber is built
on), so every character comes from here and pdfplumber is only asked for the ruling lines of
table pages. Coordinates are points with the origin at the top-left of the page as displayed
(``/Rotate`` applied), the space pdfplumber reports its tables in; a glyph's box is its advance
along the baseline by the font size across it.
"""

from __future__ import annotations

import math
from ctypes import byref, c_double
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Box = tuple[float, float, float, float]
_UNMAPPED = {0, 0xFFFD, 0xFFFE, 0xFFFF}
# The em square of a glyph, as parts of the font size above and below its baseline.
_ASCENT, _DESCENT = 0.88, 0.12


class Char(NamedTuple):
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


def _visual(box: tuple[float, float, float, float], rotation: int,
            page_box: tuple[float, float, float, float]) -> Box:
    """User-space (left, bottom, right, top) -> displayed (x0, top, x1, bottom), origin top-left."""
    left, bottom, right, top = box
    px0, py0, px1, py1 = page_box
    if rotation == 90:
        return bottom - py0, left - px0, top - py0, right - px0
    if rotation == 180:
        return px1 - right, bottom - py0, px1 - left, top - py0
    if rotation == 270:
        return py1 - top, px1 - right, py1 - bottom, px1 - left
    return left - px0, py1 - top, right - px0, py1 - bottom


def _em_box(ox: float, oy: float, advance: float, size: float,
            m: pdfium_c.FS_MATRIX) -> tuple[float, float, float, float]:
    """User-space box of a glyph's em square: its advance along the baseline, ascent and descent across it.

    Glyph outlines are no good here: fonts that are not embedded have none, and the digits set in
    a Latin font would sit lower or higher than the Chinese text of the same baseline.
    """
    along = math.hypot(m.a, m.b) or 1.0
    across = math.hypot(m.c, m.d) or 1.0
    dx, dy = m.a / along, m.b / along
    nx, ny = m.c / across, m.d / across
    xs = []
    ys = []
    for u in (0.0, advance):
        for v in (-_DESCENT * size, _ASCENT * size):
            xs.append(ox + u * dx + v * nx)
            ys.append(oy + u * dy + v * ny)
    return min(xs), min(ys), max(xs), max(ys)


def page_chars(page: pdfium.PdfPage) -> list[Char]:
    """Every drawn, non-blank character of the page in content order (pdfium's own spaces are dropped)."""
    rotation = page.get_rotation()
    # pdfplumber measures from the MediaBox; pdfium only sees a MediaBox set on the page itself, and
    # its bounding box (MediaBox within CropBox, inherited ones included) otherwise.
    page_box = page.get_mediabox(fallback_ok=False) or page.get_bbox()
    textpage = pdfium_c.FPDFText_LoadPage(page.raw)
    if not textpage:
        return []
    out: list[Char] = []
    ox, oy = c_double(), c_double()
    loose = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    try:
        for k in range(pdfium_c.FPDFText_CountChars(textpage)):
            code = pdfium_c.FPDFText_GetUnicode(textpage, k)
            if code in _UNMAPPED or pdfium_c.FPDFText_IsGenerated(textpage, k) == 1:
                continue
            text = chr(code)
            if text.isspace() or not text.isprintable():
                continue
            if not (pdfium_c.FPDFText_GetCharOrigin(textpage, k, byref(ox), byref(oy))
                    and pdfium_c.FPDFText_GetLooseCharBox(textpage, k, byref(loose))
                    and pdfium_c.FPDFText_GetMatrix(textpage, k, byref(matrix))):
                continue
            # The nominal size (Tf) is scaled by the text and graphics matrices.
            scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
            size = pdfium_c.FPDFText_GetFontSize(textpage, k) * scale
            along = math.hypot(matrix.a, matrix.b) or 1.0
            width, height = abs(loose.right - loose.left), abs(loose.top - loose.bottom)
            advance = (width * abs(matrix.a) + height * abs(matrix.b)) / along
            box = _em_box(ox.value, oy.value, advance, size, matrix)
            x0, y0, x1, y1 = _visual(box, rotation, page_box)
            out.append(Char(text, x0, y0, x1, y1, size))
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)
    return out


def dedupe(chars: list[Char], tolerance: float = 1.0) -> list[Char]:
    """Drop a glyph drawn again at (nearly) the same place, as producers do to fake bold.

    Same rule as pdfplumber's ``dedupe_chars`` (same text and size within ``tolerance`` points),
    hashed on a grid so it stays linear in the number of characters.
    """
    seen: dict[tuple[str, int, int, int], list[Char]] = {}
    out: list[Char] = []
    for ch in chars:
        gx, gy, size = int(ch.x0 // tolerance), int(ch.top // tolerance), round(ch.size)
        near = (other for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                for other in seen.get((ch.text, size, gx + dx, gy + dy), ()))
        if any(abs(o.x0 - ch.x0) <= tolerance and abs(o.top - ch.top) <= tolerance for o in near):
            continue
        seen.setdefault((ch.text, size, gx, gy), []).append(ch)
        out.append(ch)
    return out


def page_has_paths(page: pdfium.PdfPage) -> bool:
    """Whether anything is stroked or filled on the page: only such pages can hold ruled tables."""
    paths = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=3)
    return next(paths, None) is not None
