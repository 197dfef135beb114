"""Pictures of page regions for the review report, rendered with pdfium (pypdfium2, which pdfplumber
itself uses to draw pages).

A picture is a band across the page's full width, from above the highest box to below the lowest, so
the reader sees the row label and the column of a cell, or the sentence around a phrase. pdfium draws
the CropBox as displayed, which is pdfplumber's frame shifted: a box's place in the picture is its
offset from the CropBox's corner times the scale.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from dataclasses import dataclass

import pypdfium2
from PIL import Image

from .space import Box, PageSpace

SCALE = 2.0
"""144 dpi: 10.5 pt body text is 21 pixels high, readable without zooming."""
MARGIN = 40.0
"""Points of context above and below the boxes."""
MIN_HEIGHT = 150.0
COLOURS = 16
"""Palette size: a printed page is black text, rules and a few tints."""
_KEPT_PAGES = 3


@dataclass(frozen=True, slots=True)
class Picture:
    """A PNG of ``region`` (a pdfplumber box on ``page``) and where given boxes sit in it."""

    png: bytes
    width: int
    height: int
    page: int
    region: Box

    def place(self, box: Box) -> Box:
        """``box`` as fractions (left, top, right, bottom) of the picture, clipped to it."""
        x0, top, x1, bottom = self.region
        w, h = x1 - x0, bottom - top

        def clip(v: float) -> float:
            return min(max(v, 0.0), 1.0)

        return clip((box[0] - x0) / w), clip((box[1] - top) / h), clip((box[2] - x0) / w), clip((box[3] - top) / h)


class PageRenderer:
    """Draws regions of one PDF after another; the last few pages drawn are kept, since findings
    come sorted by page."""

    def __init__(self, scale: float = SCALE) -> None:
        self.scale = scale
        self._path: str | None = None
        self._doc: pypdfium2.PdfDocument | None = None
        self._pages: OrderedDict[int, tuple[Image.Image, Box]] = OrderedDict()

    def picture(self, path: str, page: int, boxes: list[Box]) -> Picture | None:
        """The band of ``page`` holding ``boxes`` (the whole page without any); None when the file or
        page cannot be drawn."""
        drawn = self._page(path, page)
        if drawn is None:
            return None
        image, frame = drawn
        region = band(boxes, frame) if boxes else frame
        px = image.width / (frame[2] - frame[0])
        py = image.height / (frame[3] - frame[1])
        crop = image.crop(
            (
                round((region[0] - frame[0]) * px),
                round((region[1] - frame[1]) * py),
                round((region[2] - frame[0]) * px),
                round((region[3] - frame[1]) * py),
            )
        )
        return Picture(png(crop), crop.width, crop.height, page, region)

    def _page(self, path: str, number: int) -> tuple[Image.Image, Box] | None:
        if path != self._path:
            self.close()
            self._path = path
            try:
                self._doc = pypdfium2.PdfDocument(path)
            except (pypdfium2.PdfiumError, OSError, ValueError):
                self._doc = None
        if self._doc is None or not 1 <= number <= len(self._doc):
            return None
        if number not in self._pages:
            page = self._doc[number - 1]
            space = PageSpace.of(page.get_mediabox(), page.get_rotation())
            frame = space.from_user(page.get_cropbox())
            image = page.render(scale=self.scale).to_pil().convert("RGB")
            page.close()
            self._pages[number] = (image, frame)
            if len(self._pages) > _KEPT_PAGES:
                self._pages.popitem(last=False)
        self._pages.move_to_end(number)
        return self._pages[number]

    def close(self) -> None:
        self._pages.clear()
        if self._doc is not None:
            self._doc.close()
        self._doc = None
        self._path = None


def band(boxes: list[Box], frame: Box) -> Box:
    """The page's width from ``MARGIN`` above the boxes to ``MARGIN`` below, at least ``MIN_HEIGHT``
    high, kept inside the page (``frame``)."""
    top = min(b[1] for b in boxes) - MARGIN
    bottom = max(b[3] for b in boxes) + MARGIN
    if bottom - top < MIN_HEIGHT:
        grow = (MIN_HEIGHT - (bottom - top)) / 2
        top, bottom = top - grow, bottom + grow
    if top < frame[1]:
        top, bottom = frame[1], bottom + (frame[1] - top)
    if bottom > frame[3]:
        top, bottom = top - (bottom - frame[3]), frame[3]
    return frame[0], max(top, frame[1]), frame[2], min(bottom, frame[3])


def png(image: Image.Image) -> bytes:
    """A palette PNG: text stays sharp, and a band of a page is some tens of kilobytes. zlib's default
    level; the slowest level saves 3 % for ten times the time."""
    out = io.BytesIO()
    image.quantize(COLOURS, method=Image.Quantize.FASTOCTREE).save(out, "PNG", compress_level=6)
    return out.getvalue()
