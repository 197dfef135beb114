"""Boxes on PDF pages: pdfplumber's boxes -> user space for annotations, -> pixels for page pictures.

The checks use pdfium as the independent party: its text layer says which characters lie inside an
annotation's rectangle, and its rendering of an annotated copy shows where a highlight really lands.
Pages are rotated (/Rotate 90, 180, 270), their MediaBox moved off the origin and a CropBox set,
the cases where the two coordinate systems part.
"""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from conftest import edited
from pdfgen import FONT
from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import NameObject, NumberObject, RectangleObject
from reportlab.pdfgen import canvas

from disclosure_lint import lint
from disclosure_lint.model import Diagnostic, Location
from disclosure_lint.pages.annotate import annotate
from disclosure_lint.pages.picture import PageRenderer
from disclosure_lint.pages.space import PageSpace

WORD = "2946.25"
BOXES = [
    ((0, 0, 600, 800), None),
    ((50, 100, 600, 800), (60, 120, 590, 780)),
    ((-30, -40, 570, 760), (-20, -20, 560, 740)),
]


def _one_word_page() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(600, 800))
    c.setFont(FONT, 14)
    c.drawString(150, 300, f"收入合计 {WORD} 万元")
    c.drawString(150, 500, "另一行文字 123.45")
    c.save()
    return buf.getvalue()


def _reboxed(raw: bytes, mediabox, cropbox, rotation: int, path: Path) -> Path:
    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(raw)).pages[0])
    page = writer.pages[0]
    page.mediabox = RectangleObject(mediabox)
    if cropbox:
        page.cropbox = RectangleObject(cropbox)
    if rotation:
        page[NameObject("/Rotate")] = NumberObject(rotation)
    writer.write(path)
    return path


def _word_box(path: Path, word: str, page: int = 1) -> tuple[float, float, float, float]:
    """The box of ``word`` from its characters in drawing order (on a page turned upside down, reading
    order would run backwards)."""
    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[page - 1].chars
    at = "".join(c["text"] for c in chars).index(word)
    picked = chars[at : at + len(word)]
    return (
        min(c["x0"] for c in picked),
        min(c["top"] for c in picked),
        max(c["x1"] for c in picked),
        max(c["bottom"] for c in picked),
    )


def _annotation_rects(path: Path, page: int = 1) -> list[tuple[float, ...]]:
    annots = [a.get_object() for a in PdfReader(path).pages[page - 1].get("/Annots") or []]
    return [tuple(float(v) for v in a["/Rect"]) for a in annots if a["/Subtype"] == "/Highlight"]


def _pdfium_text_in(path: Path, rect, page: int = 1) -> str:
    doc = pypdfium2.PdfDocument(path)
    try:
        text = doc[page - 1].get_textpage()
        return text.get_text_bounded(*rect).strip()
    finally:
        doc.close()


def _drawn_highlight(annotated: Path, page: int, bbox) -> tuple[tuple[int, int, int, int] | None, tuple]:
    """Where pdfium drew the (red, on a black and white page) highlight in the picture of ``bbox``, and
    where the picture says the box is."""
    renderer = PageRenderer()
    try:
        picture = renderer.picture(str(annotated), page, [bbox])
    finally:
        renderer.close()
    r, g, _ = Image.open(io.BytesIO(picture.png)).convert("RGB").split()
    tinted = ImageChops.subtract(r, g).point(lambda v: 255 if v > 25 else 0).getbbox()
    left, top, right, bottom = picture.place(bbox)
    return tinted, (left * picture.width, top * picture.height, right * picture.width, bottom * picture.height)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("boxes", BOXES, ids=["plain", "offset-crop", "negative-origin"])
def test_annotation_lands_on_the_word_in_any_page_frame(tmp_path, rotation, boxes):
    mediabox, cropbox = boxes
    source = _reboxed(_one_word_page(), mediabox, cropbox, rotation, tmp_path / "page.pdf")
    before = source.read_bytes()
    bbox = _word_box(source, WORD)
    space = PageSpace.of(mediabox, rotation)
    assert space.from_user(space.to_user(bbox)) == pytest.approx(bbox)
    finding = Diagnostic("T01.X", "error", "m", Location(str(source), page=1, bbox=bbox), expected=None)
    target = tmp_path / "page.checked.pdf"
    done = annotate(source, target, [finding], lambda d: "T01.X m")
    assert (done.highlights, done.notes) == (1, 0)
    assert source.read_bytes() == before
    [rect] = _annotation_rects(target)
    assert _pdfium_text_in(target, rect) == WORD
    drawn, expected = _drawn_highlight(target, 1, bbox)
    assert drawn is not None
    assert drawn == pytest.approx(expected, abs=3)


def test_picture_is_the_page_band_around_the_boxes(tmp_path):
    source = _reboxed(_one_word_page(), (0, 0, 600, 800), None, 90, tmp_path / "turned.pdf")
    bbox = _word_box(source, WORD)
    renderer = PageRenderer()
    try:
        picture = renderer.picture(str(source), 1, [bbox])
        whole = renderer.picture(str(source), 1, [])
    finally:
        renderer.close()
    # Turned a quarter clockwise, the 600 x 800 page is displayed 800 wide and 600 high.
    assert (whole.width, whole.height) == (1600, 1200)
    assert picture.width == 1600
    assert 150 * 2 <= picture.height < whole.height
    region = picture.region
    assert region[1] < bbox[1] and bbox[3] < region[3]
    left, top, right, bottom = picture.place(bbox)
    assert 0 < left < right < 1 and 0 < top < bottom < 1


def _has(page: pypdfium2.PdfPage, text: str) -> bool:
    return text in page.get_textpage().get_text_range()


@pytest.fixture(scope="module")
def turned_report(tmp_path_factory, example_text, pack, make_pdf):
    """A generated report whose landscape 公开06表 page is stored portrait and turned by /Rotate 90,
    its MediaBox moved off the origin and a CropBox set, with a wrong 款 that breaks its 类."""
    text = edited(example_text, [("30102\t津贴补贴\t49.29", "30102\t津贴补贴\t59.29")])
    flat = make_pdf(text)
    doc = pypdfium2.PdfDocument(flat)
    try:
        pages = [doc[i] for i in range(len(doc))]
        [number] = [i + 1 for i, p in enumerate(pages) if p.get_width() > p.get_height() and _has(p, "30102")]
    finally:
        doc.close()
    writer = PdfWriter(clone_from=PdfReader(flat))
    page = writer.pages[number - 1]
    width, height = (float(v) for v in page.mediabox[2:])
    assert width > height
    # Draw the landscape content sideways on a portrait page: user (x, y) -> (height - y + 30, x + 40).
    page.add_transformation(Transformation((0, 1, -1, 0, height + 30, 40)))
    page.mediabox = RectangleObject((30, 40, height + 30, width + 40))
    page.cropbox = RectangleObject((35, 45, height + 25, width + 35))
    page[NameObject("/Rotate")] = NumberObject(90)
    path = tmp_path_factory.mktemp("turned") / "turned.pdf"
    writer.write(path)
    return path, number


def test_turned_landscape_page_is_annotated_over_the_cell(turned_report, pack, tmp_path):
    path, page = turned_report
    with pdfplumber.open(path) as pdf:
        assert pdf.pages[page - 1].rotation == 90
        assert pdf.pages[page - 1].width > pdf.pages[page - 1].height
    [finding] = [d for d in lint(path, pack).diagnostics if d.rule == "T06.ROLLUP"]
    assert finding.loc.page == page
    with pdfplumber.open(path) as pdf:
        cell_text = pdf.pages[page - 1].within_bbox(finding.loc.bbox).extract_text().strip()
    assert cell_text == "440.62"
    target = tmp_path / "turned.checked.pdf"
    done = annotate(path, target, [finding], lambda d: d.message)
    assert done.highlights == 1
    [rect] = _annotation_rects(target, page)
    assert _pdfium_text_in(target, rect, page) == cell_text
    drawn, expected = _drawn_highlight(target, page, finding.loc.bbox)
    assert drawn == pytest.approx(expected, abs=3)
