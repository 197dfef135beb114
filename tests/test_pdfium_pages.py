"""Pages read through pdfium give exactly the findings of the pdfplumber reading, which stays the reference.

The comparison runs both readings of the same code in the same test, so it holds whatever the
readers learn later; boxes may differ in the sixth digit (pdfium computes in single precision).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import ROOT
from pdfgen import Variant
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from disclosure_lint.api import lint
from disclosure_lint.batch.cache import diagnostic_dict
from disclosure_lint.errors import LintError
from disclosure_lint.forked import SPARE_ENV, Split
from disclosure_lint.formatters import RenderContext, get
from disclosure_lint.readers.pdf import READER_ENV, PdfSource, read_pdf
from disclosure_lint.readers.pdfium import PdfiumPage, open_document
from disclosure_lint.recognize.meta import cover_complete

# The corpus copies in tests/corpus, and the full shared corpus where it sits beside the checkout.
CORPUS = sorted(
    {
        p.name: p
        for folder in (
            ROOT / "tests" / "corpus",
            ROOT.parent / "shared" / "corpus",
            ROOT.parent.parent / "shared" / "corpus",
        )
        for p in folder.glob("*.pdf")
    }.values()
)


def _findings(path: Path) -> tuple[str, str, list[dict]]:
    try:
        diagnostics = lint(path).diagnostics
    except LintError as exc:
        return exc.one_line(), "", []
    ctx = RenderContext(files=1, paths=[str(path)])
    return get("text")(diagnostics, ctx), get("json")(diagnostics, ctx), [diagnostic_dict(d) for d in diagnostics]


def _blocks(path: Path) -> list:
    out = []
    for block in read_pdf(path).blocks:
        rows = getattr(block, "rows", None)
        out.append([[c.text for c in r] for r in rows] if rows is not None else block.text)
    return out


def _boxes_apart(a, b) -> float:
    """The largest difference between two findings' boxes, after checking every other field is equal."""
    worst = 0.0
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            worst = max(worst, _boxes_apart(a[k], b[k]))
    elif isinstance(a, list) and a and all(isinstance(v, float) for v in a):
        worst = max(abs(x - y) for x, y in zip(a, b, strict=True))
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            worst = max(worst, _boxes_apart(x, y))
    else:
        assert a == b
    return worst


def assert_same_as_reference(path: Path, monkeypatch) -> None:
    fast = _findings(path), _blocks(path)
    monkeypatch.setenv(READER_ENV, "pdfplumber")
    reference = _findings(path), _blocks(path)
    monkeypatch.delenv(READER_ENV)
    (text, json_out, dicts), blocks = fast
    (ref_text, ref_json, ref_dicts), ref_blocks = reference
    assert text == ref_text
    assert blocks == ref_blocks
    assert _boxes_apart(dicts, ref_dicts) < 0.01
    # The JSON prints boxes to two decimals: a box 0.00001 pt apart may round to the next hundredth.
    assert _boxes_apart(json.loads(json_out or "[]"), json.loads(ref_json or "[]")) <= 0.011


def _pdfium_pages(path: Path) -> tuple[int, int]:
    doc = open_document(path.read_bytes())
    assert doc is not None
    try:
        return sum(PdfiumPage.safe(doc[i]) is not None for i in range(len(doc))), len(doc)
    finally:
        doc.close()


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_findings_are_those_of_the_reference_reader(path, monkeypatch):
    read_fast, pages = _pdfium_pages(path)
    assert read_fast >= 0.9 * pages  # fonts embedded: the fast reading is what is compared
    assert_same_as_reference(path, monkeypatch)


def test_generated_pdfs_with_a_font_that_is_not_embedded_stay_with_the_reference(make_pdf, example_text, monkeypatch):
    path = make_pdf(example_text, Variant(unruled=("公开05表", "公开07表"), bold_twice=True))
    assert _pdfium_pages(path)[0] == 0  # STSong-Light is not embedded: pdfium may drop glyphs
    fast = _findings(path)
    monkeypatch.setenv(READER_ENV, "pdfplumber")
    assert _findings(path) == fast


def test_pages_with_embedded_fonts_read_like_the_reference_next_to_pages_without(tmp_path, monkeypatch):
    pdfmetrics.registerFont(TTFont("Vera", str(Path(pdfmetrics.__file__).parent.parent / "fonts" / "Vera.ttf")))
    path = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for page, font in enumerate(["Vera", "STSong-Light", "Vera"]):
        c.setFont(font, 11)
        c.drawString(72, 780, f"Report {2024 + page}  total 1,234.50  ratio 12.5%")
        x0, top = 72, 740
        widths = [150, 90, 90]
        for r, row in enumerate(
            [["Item", "Budget", "Actual"], ["Salaries", "1,000.25", "998.10"], ["Total", "1,000.25", "998.10"]]
        ):
            y = top - 18 * r
            x = x0
            for w, text in zip(widths, row, strict=True):
                c.rect(x, y - 14, w, 18)
                c.drawString(x + 3, y - 9, text)
                x += w
        c.showPage()
    c.save()
    assert _pdfium_pages(path) == (2, 3)
    fast = _blocks(path)
    assert sum(isinstance(b, list) for b in fast) == 3  # the three tables
    monkeypatch.setenv(READER_ENV, "pdfplumber")
    assert _blocks(path) == fast


def test_pages_read_in_two_processes_come_back_the_same(monkeypatch):
    path = CORPUS[0]
    alone = read_pdf(path)
    monkeypatch.setenv(SPARE_ENV, "2")
    with PdfSource(path) as source:
        split = source._split
        assert isinstance(split, Split)  # started when the file was opened
        cover = source.cover(cover_complete)
        time.sleep(0.3)  # as the pack loads: the other process reads meanwhile
        assert source.document() == alone
    assert cover.blocks and {b.loc.page for b in cover.blocks} == {1}  # the cover page alone
    assert split.theirs  # some pages came from the other process
