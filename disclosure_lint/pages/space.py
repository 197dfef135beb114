"""pdfplumber's page boxes <-> PDF user space.

Findings carry pdfplumber boxes: ``(x0, top, x1, bottom)`` on the page as displayed (``/Rotate``
applied), measured the way pdfminer lays the page out from its MediaBox. Annotations are placed in
the page's user space, and a rendered page shows its CropBox as displayed, so both directions are
derived here from the two inputs pdfminer itself uses: the MediaBox and the rotation.
"""

from __future__ import annotations

from dataclasses import dataclass

Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class PageSpace:
    """One page's MediaBox ``(x0, y0, x1, y1)`` in user space and its clockwise rotation in degrees."""

    mediabox: Box
    rotation: int = 0

    @classmethod
    def of(cls, mediabox: Box, rotation: int) -> PageSpace:
        return cls(normal(mediabox), int(rotation) % 360)

    def to_user(self, bbox: Box) -> Box:
        """The user-space rectangle ``(x0, y0, x1, y1)`` of a pdfplumber box."""
        a = self._user(*self._unplumb(bbox[0], bbox[1]))
        b = self._user(*self._unplumb(bbox[2], bbox[3]))
        return normal((*a, *b))

    def from_user(self, rect: Box) -> Box:
        """The pdfplumber box ``(x0, top, x1, bottom)`` of a user-space rectangle (e.g. the CropBox)."""
        a = self._plumb(*self._layout(rect[0], rect[1]))
        b = self._plumb(*self._layout(rect[2], rect[3]))
        return normal((*a, *b))

    def _frame(self) -> tuple[float, float, float]:
        """The MediaBox edges pdfplumber measures from, in layout orientation: left, bottom, top."""
        mx0, my0, mx1, my1 = self.mediabox
        return (my0, mx0, mx1) if self.rotation in (90, 270) else (mx0, my0, my1)

    def _plumb(self, lx: float, ly: float) -> tuple[float, float]:
        """Layout space -> pdfplumber: x gets the left edge back, ``top`` counts from its flipped MediaBox."""
        left, bottom, top = self._frame()
        return lx + left, (top - bottom) - bottom - ly

    def _unplumb(self, x: float, top_: float) -> tuple[float, float]:
        left, bottom, top = self._frame()
        return x - left, (top - bottom) - bottom - top_

    def _layout(self, x: float, y: float) -> tuple[float, float]:
        """pdfminer's page matrix for the rotation: user space -> layout space."""
        mx0, my0, mx1, my1 = self.mediabox
        if self.rotation == 90:
            return y - my0, mx1 - x
        if self.rotation == 180:
            return mx1 - x, my1 - y
        if self.rotation == 270:
            return my1 - y, x - mx0
        return x - mx0, y - my0

    def _user(self, lx: float, ly: float) -> tuple[float, float]:
        mx0, my0, mx1, my1 = self.mediabox
        if self.rotation == 90:
            return mx1 - ly, lx + my0
        if self.rotation == 180:
            return mx1 - lx, my1 - ly
        if self.rotation == 270:
            return ly + mx0, my1 - lx
        return lx + mx0, ly + my0


def normal(box: Box) -> Box:
    """A rectangle with its corners in order, as floats (PDF allows any two opposite corners)."""
    x0, x1 = sorted((float(box[0]), float(box[2])))
    y0, y1 = sorted((float(box[1]), float(box[3])))
    return x0, y0, x1, y1
