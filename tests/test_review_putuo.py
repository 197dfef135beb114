"""The review outputs of a published PDF: 上海市普陀区财政局 2024 决算 (tests/corpus), whose 情况说明 has
two known defects on page 21: a 财政拨款收入支出总计 of 0.3 万元, and a 类 share of 71.73 %.
The report in a real browser is in test_review_browser.py."""

from __future__ import annotations

import hashlib
import json

import openpyxl
import pdfplumber
import pytest
from pypdf import PdfReader
from review_support import DEFECTS, PUTUO, articles, chars_at, write
from workflow_support import cli

from disclosure_lint import lint
from disclosure_lint.formatters import get


def test_the_two_narrative_defects_are_boxed_over_their_phrase(putuo):
    diagnostics, _ = putuo
    assert [(d.rule, d.loc.page) for d in diagnostics] == [(r, p) for r, p, _, _ in DEFECTS]
    for d, (_, page, phrase, before) in zip(diagnostics, DEFECTS, strict=True):
        inside, left = chars_at(PUTUO, page, d.loc.bbox)
        assert inside == phrase
        assert left.endswith(before)


def test_json_gives_each_box_and_related_box(putuo):
    diagnostics, ctx = putuo
    found = json.loads(get("json")(diagnostics, ctx))
    for d, f in zip(diagnostics, found, strict=True):
        assert f["page"] == d.loc.page
        assert f["bbox"] == pytest.approx(list(d.loc.bbox), abs=0.005)
        assert [(r["page"], r["message"]) for r in f["related"]] == [(r.loc.page, r.message) for r in d.related]
        assert all(len(r["bbox"]) == 4 for r in f["related"])
    assert [r["page"] for r in found[0]["related"]] == [13]


def test_html_report_pictures_page_21_with_the_phrase_boxed(putuo):
    diagnostics, ctx = putuo
    html = get("html")(diagnostics, ctx)
    assert len(html.encode("utf-8")) < 1_000_000
    for article, (rule, page, _, _) in zip(articles(html), DEFECTS, strict=True):
        assert f'data-rule="{rule}"' in article
        first = article.index("<figure")
        assert article[first:].startswith(f'<figure class="page" data-page="{page}"')
        assert article.count('data-role="primary"') == 1
        assert article.count("data:image/png;base64,") == 2


def test_ledger_row_per_finding_with_the_department(putuo, tmp_path):
    diagnostics, ctx = putuo
    sheet = openpyxl.load_workbook(write("xlsx", diagnostics, ctx, tmp_path / "l.xlsx"))["问题清单"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in rows] == [
        ("上海市普陀区财政局", 2024, "决算", "第 21 页", rule) for rule, _, _, _ in DEFECTS
    ]


def test_annotated_copy_has_a_highlight_per_boxed_finding(putuo, tmp_path):
    diagnostics, _ = putuo
    before = hashlib.sha256(PUTUO.read_bytes()).hexdigest()
    target = tmp_path / "putuo.checked.pdf"
    result = cli("annotate", str(PUTUO), "-o", str(target))
    assert result.exit_code == 1
    assert "2 处高亮" in result.stdout
    assert hashlib.sha256(PUTUO.read_bytes()).hexdigest() == before
    reader = PdfReader(target)
    assert len(reader.pages) == 25
    highlights = []
    for number, page in enumerate(reader.pages, 1):
        x0, y0, x1, y1 = (float(v) for v in page.cropbox)
        for ref in page.get("/Annots") or []:
            a = ref.get_object()
            rect = [float(v) for v in a["/Rect"]]
            assert x0 <= rect[0] < rect[2] <= x1 and y0 <= rect[1] < rect[3] <= y1, (number, rect)
            if a["/Subtype"] == "/Highlight":
                highlights.append((number, a))
                assert a["/Popup"].get_object()["/Parent"].get_object() == a
    boxed = [d for d in diagnostics if d.loc.bbox]
    assert len(highlights) == len(boxed) == 2
    for (number, a), d in zip(highlights, boxed, strict=True):
        assert number == d.loc.page
        text = a["/Contents"]
        assert text.startswith(d.rule) and d.message in text and "期望值" in text
    assert "期望值：2,961.68" in highlights[0][1]["/Contents"]
    with pdfplumber.open(target) as pdf:
        page = pdf.pages[20]
        assert "财政拨款收入支出总计" in page.extract_text()
        notes = [a for a in page.annots if a["contents"]]
        assert [n["contents"].split(" ", 1)[0] for n in notes] == [r for r, _, _, _ in DEFECTS]
    again = lint(target)
    assert [(d.rule, d.loc.page, d.message) for d in again.diagnostics] == [
        (d.rule, d.loc.page, d.message) for d in diagnostics
    ]
