"""The three review outputs on every file of the shared corpus, checked as one batch of the folder:
the HTML report, the ledger, and an annotated copy of each PDF. Slow (about a minute): run with
``-m slow``; the corpus is looked for beside the checkout, or named by DISCLOSURE_LINT_CORPUS."""

from __future__ import annotations

import base64
import io
import os
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from PIL import Image
from pypdf import PdfReader
from review_support import articles, check, write
from workflow_support import cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus() -> Path:
    named = os.environ.get("DISCLOSURE_LINT_CORPUS")
    places = [Path(named)] if named else [ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus"]
    for place in places:
        if place.is_dir():
            return place
    pytest.skip("the shared corpus is not beside this checkout; name it with DISCLOSURE_LINT_CORPUS")


@pytest.fixture(scope="module")
def batch(corpus):
    return check(corpus)


def test_html_report_of_the_corpus_folder(batch, tmp_path):
    diagnostics, ctx = batch
    html = write("html", diagnostics, ctx, tmp_path / "corpus.html").read_text(encoding="utf-8")
    found = articles(html)
    assert len(found) == len(diagnostics) > 0
    for d, article in zip(diagnostics, found, strict=True):
        assert f'data-rule="{d.rule}"' in article
        if d.loc.page is not None:
            pictures = re.findall(r'src="data:image/png;base64,([^"]+)"', article)
            assert pictures, d
            assert Image.open(io.BytesIO(base64.b64decode(pictures[0]))).width > 0
            assert 'data-role="primary"' in article
    rows = re.findall(r'<tr><td><a href="#file-\d+">', html)
    assert len(rows) == len(ctx.checked) == len(ctx.paths)
    for f in ctx.checked:
        if f.error:
            assert f"{f.path}</a>" in html and "无法检查" in html


def test_ledger_of_the_corpus_folder(batch, tmp_path):
    diagnostics, ctx = batch
    book = openpyxl.load_workbook(write("xlsx", diagnostics, ctx, tmp_path / "corpus.xlsx"))
    assert book["问题清单"].max_row == len(diagnostics) + 1
    assert book["文件汇总"].max_row == len(ctx.checked) + 1
    unread = [r for r in book["文件汇总"].iter_rows(min_row=2, values_only=True) if r[5] == "无法检查"]
    assert len(unread) == sum(1 for f in ctx.checked if f.error)


def test_annotated_copy_of_every_corpus_pdf(batch, corpus, tmp_path):
    diagnostics, ctx = batch
    for f in ctx.checked:
        if not f.path.endswith(".pdf"):
            continue
        target = tmp_path / f"{Path(f.path).stem}.checked.pdf"
        result = cli("annotate", f.path, "-o", str(target))
        if f.error:
            assert result.exit_code == 1 and "E.INPUT" in result.stderr
            assert not target.exists()
            continue
        boxed = [d for d in diagnostics if d.loc.path == f.path and d.loc.bbox]
        reader = PdfReader(target)
        highlights = 0
        for page in reader.pages:
            x0, y0, x1, y1 = (float(v) for v in page.cropbox)
            for ref in page.get("/Annots") or []:
                a = ref.get_object()
                r = [float(v) for v in a["/Rect"]]
                assert x0 <= r[0] < r[2] <= x1 and y0 <= r[1] < r[3] <= y1
                highlights += a["/Subtype"] == "/Highlight"
        assert highlights == len(boxed), f.path
