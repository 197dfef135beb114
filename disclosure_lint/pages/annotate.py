"""The checked copy of a PDF: the original pages with one highlight per finding (pypdf).

Each finding with a box gets a Highlight annotation over it in the severity's colour, with the rule,
the message and the expected value as its note and a Popup to show the note in. A finding placed
only on a page gets a sticky note in the page's top-left corner, one placed nowhere a note on page 1,
so nothing found is missing from the copy. Highlights carry their own appearance stream, so viewers
that do not draw annotations from their type alone still show them. The source file is only read.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Highlight, Popup, Text
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    RectangleObject,
    TextStringObject,
)

from ..errors import InputError
from ..model import Diagnostic
from .space import Box, PageSpace, normal

AUTHOR = "disclosure-lint"
COLOURS = {"error": "e53935", "warning": "ffa000", "info": "42a5f5"}
OPACITY = 0.4
POPUP_SIZE = (220.0, 110.0)
NOTE_SIZE = 18.0


@dataclass
class Annotated:
    """How many findings became highlights, and how many sticky notes (no box to highlight)."""

    highlights: int = 0
    notes: int = 0


def annotate(
    source: Path, target: Path, diagnostics: list[Diagnostic], describe: Callable[[Diagnostic], str]
) -> Annotated:
    """Write ``target``: ``source`` with a note per finding; ``describe`` gives each note's text."""
    try:
        writer = PdfWriter(clone_from=PdfReader(source))
    except (PyPdfError, OSError, ValueError) as exc:
        raise InputError(f"PDF 无法复制以添加批注（{type(exc).__name__}）", str(source)) from None
    done = Annotated()
    for d in diagnostics:
        number = d.loc.page or 1
        if not 1 <= number <= len(writer.pages):
            continue
        page = writer.pages[number - 1]
        space = PageSpace.of(tuple(page.mediabox), page.rotation)
        crop = normal(tuple(page.cropbox))
        if d.loc.page is not None and d.loc.bbox:
            rect = _inside(space.to_user(d.loc.bbox), crop)
            _highlight(writer, page, rect, crop, d, describe(d))
            done.highlights += 1
        else:
            _note(writer, page, space, crop, d, describe(d))
            done.notes += 1
    out = io.BytesIO()
    writer.write(out)
    target.write_bytes(out.getvalue())
    return done


def _highlight(writer: PdfWriter, page, rect: Box, crop: Box, d: Diagnostic, text: str) -> None:
    x0, y0, x1, y1 = rect
    quad = ArrayObject(FloatObject(v) for v in (x0, y1, x1, y1, x0, y0, x1, y0))
    colour = COLOURS.get(d.severity, COLOURS["warning"])
    annotation = Highlight(rect=rect, quad_points=quad, highlight_color=colour, printing=True, title_bar=AUTHOR)
    annotation[NameObject("/Contents")] = TextStringObject(text)
    annotation[NameObject("/Subj")] = TextStringObject(d.rule)
    annotation[NameObject("/CA")] = FloatObject(OPACITY)
    # A stream must be an indirect object; pypdf registers its own appearance streams this way.
    appearance = writer._add_object(_appearance(rect, colour))
    annotation[NameObject("/AP")] = DictionaryObject({NameObject("/N"): appearance})
    added = writer.add_annotation(page, annotation)
    w, h = POPUP_SIZE
    popup_rect = _inside((x1, y1 - h, x1 + w, y1), crop)
    popup = writer.add_annotation(page, Popup(rect=popup_rect, parent=added, open=False))
    added[NameObject("/Popup")] = popup.indirect_reference


def _note(writer: PdfWriter, page, space: PageSpace, crop: Box, d: Diagnostic, text: str) -> None:
    """A sticky note at the top-left corner of the page as displayed."""
    frame = space.from_user(crop)
    corner = (frame[0] + 6, frame[1] + 6, frame[0] + 6 + NOTE_SIZE, frame[1] + 6 + NOTE_SIZE)
    note = Text(rect=_inside(space.to_user(corner), crop), text=text, title_bar=AUTHOR)
    note[NameObject("/Subj")] = TextStringObject(d.rule)
    note[NameObject("/C")] = ArrayObject(FloatObject(int(COLOURS[d.severity][i : i + 2], 16) / 255) for i in (0, 2, 4))
    note[NameObject("/F")] = NumberObject(4)
    writer.add_annotation(page, note)


def _appearance(rect: Box, colour: str) -> DecodedStreamObject:
    """A translucent, multiplied fill of ``rect``: what viewers draw for a highlight."""
    x0, y0, x1, y1 = rect
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    stream = DecodedStreamObject()
    stream.set_data(f"/GS0 gs {r:.3f} {g:.3f} {b:.3f} rg {x0:.2f} {y0:.2f} {x1 - x0:.2f} {y1 - y0:.2f} re f".encode())
    state = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/ExtGState"),
            NameObject("/BM"): NameObject("/Multiply"),
            NameObject("/ca"): FloatObject(OPACITY),
            NameObject("/CA"): FloatObject(OPACITY),
        }
    )
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): RectangleObject(rect),
            NameObject("/Resources"): DictionaryObject(
                {NameObject("/ExtGState"): DictionaryObject({NameObject("/GS0"): state})}
            ),
        }
    )
    return stream


def _inside(rect: Box, crop: Box) -> Box:
    """``rect`` moved (and if need be shrunk) to lie within the visible page."""
    x0, y0, x1, y1 = rect
    w, h = min(x1 - x0, crop[2] - crop[0]), min(y1 - y0, crop[3] - crop[1])
    x0 = min(max(x0, crop[0]), crop[2] - w)
    y0 = min(max(y0, crop[1]), crop[3] - h)
    return x0, y0, x0 + w, y0 + h
