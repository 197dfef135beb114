"""The review outputs on text and XLSX reports and on batches: where each finding is in JSON, the HTML
report's evidence, index and self-containment, the inspection ledger, and the annotate command's
refusals. The published PDF is in test_review_putuo.py; real browsers in test_review_browser.py."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from html import escape, unescape
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE, edited
from pypdf import PdfReader
from review_support import articles, check, write
from workflow_support import BAD_CELL, BAD_LINE, cli, write_report

from disclosure_lint.formatters import RenderContext, get
from disclosure_lint.formatters.ledger import FINDING_COLUMNS
from disclosure_lint.formatters.summary import FAMILIES, family
from disclosure_lint.model import CheckedFile, Diagnostic, Location, Meta, Related
from disclosure_lint.pages.annotate import annotate

LEDGER_HEADER = ["文件", "部门", "年度", "类型", "页/行", "规则", "级别", "问题描述", "期望值", "实际值", "规则依据"]


@pytest.fixture(scope="module")
def published():
    """The bundled example as published, checked once."""
    return check(EXAMPLE)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """A batch: the example with a broken 合计, a Markdown file that is no report, and a missing file."""
    folder = tmp_path_factory.mktemp("batch")
    broken = write_report(folder / "broken.txt")
    (folder / "notes.md").write_text("# 会议纪要\n\n下周讨论。\n", encoding="utf-8")
    return check(broken, folder / "notes.md", folder / "gone.txt")


def test_json_gives_boxes_cells_and_related_places():
    diags = [
        Diagnostic(
            "T03.ROW-SUM",
            "error",
            "m",
            Location("r.pdf", page=3, bbox=(1.004, 2.0, 3.0, 4.5)),
            related=[Related("基本支出", Location("r.pdf", page=4, bbox=(5.0, 6.0, 7.0, 8.0)))],
        ),
        Diagnostic("E.CELL", "warning", "m", Location("r.xlsx", sheet="公开03表", cell="C7")),
    ]
    pdf, xlsx = json.loads(get("json")(diags, RenderContext()))
    assert (pdf["page"], pdf["bbox"], pdf["sheet"], pdf["cell"]) == (3, [1.0, 2.0, 3.0, 4.5], None, None)
    [related] = pdf["related"]
    assert related == {
        "message": "基本支出",
        "path": "r.pdf",
        "line": None,
        "column": None,
        "end_line": None,
        "end_column": None,
        "page": 4,
        "bbox": [5.0, 6.0, 7.0, 8.0],
        "sheet": None,
        "cell": None,
    }
    assert (xlsx["sheet"], xlsx["cell"], xlsx["bbox"], xlsx["related"]) == ("公开03表", "C7", None, [])
    assert [json.loads(line) for line in get("json-lines")(diags, RenderContext()).splitlines()] == [pdf, xlsx]


def test_html_marks_each_phrase_of_a_text_report_in_its_lines(published):
    diagnostics, ctx = published
    html = get("html")(diagnostics, ctx)
    found = articles(html)
    assert len(found) == len(diagnostics) == 25
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for d, article in zip(diagnostics, found, strict=True):
        assert f'data-rule="{d.rule}"' in article
        assert f'data-severity="{d.severity}"' in article
        assert escape(d.message) in article
        phrase = lines[d.loc.line - 1][d.loc.col - 1 : d.loc.end_col - 1]
        assert phrase
        marked = re.findall(rf'<mark class="mark {d.severity}"[^>]*>(.*?)</mark>', article)
        assert [unescape(m) for m in marked] == [phrase]
        context = re.search(r'<table class="lines">.*?</table>', article).group(0)
        numbers = [int(n) for n in re.findall(r"<tr(?: class=\"hit\")?><th>(\d+)</th>", context)]
        assert numbers == list(range(d.loc.line - 2, d.loc.line + 3))
        assert f'<tr class="hit"><th>{d.loc.line}</th>' in context
        for r in d.related:
            assert f"<th>{r.loc.line}</th>" in article
    double = next(a for d, a in zip(diagnostics, found, strict=True) if d.rule == "H.DOUBLE-PUNCT")
    assert ">。。</mark>" in double


def test_html_is_one_file_that_loads_nothing(published):
    html = get("html")(*published)
    assert not re.search(r"<link|@import|url\(|\ssrc=\"(?!data:)", html)
    assert re.findall(r"<script>", html) == ["<script>"]
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in policy and "img-src data:" in policy
    script = re.search(r"<script>(.*)</script>", html, flags=re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    assert f"script-src 'sha256-{digest}'" in policy
    links = re.findall(r'<a class="rule" href="([^"]+)"', html)
    assert len(links) == 25
    assert all(re.fullmatch(r"https://\S+/docs/rules/cn-final-accounts-2024\.md#[A-Z0-9.-]+", u) for u in links)


def test_html_summary_and_filters_count_by_severity_and_family(published):
    diagnostics, ctx = published
    html = get("html")(diagnostics, ctx)
    assert '<b class="total">25</b>' in html
    assert re.search(r'data-severity="error"><b>4</b>', html)
    assert re.search(r'data-severity="warning"><b>4</b>', html)
    assert re.search(r'data-severity="info"><b>17</b>', html)
    assert "cn-final-accounts-2024" in re.search(r'<span class="packs">(.*?)</span>', html).group(1)
    families = re.findall(r'name="family" value="([A-Z]+)"', html)
    assert families == [f for f in FAMILIES if any(family(d.rule) == f for d in diagnostics)]
    assert families == ["N", "H", "A"]


def test_html_of_a_workbook_shows_the_cells_around_the_finding(make_xlsx, example_text):
    broken = make_xlsx(text=edited(example_text, [BAD_CELL]))
    diagnostics, ctx = check(broken.path)
    finding = next(d for d in diagnostics if d.rule == "T03.ROW-SUM")
    article = next(a for a in articles(get("html")(diagnostics, ctx)) if 'data-rule="T03.ROW-SUM"' in a)
    grid = re.search(r'<table class="grid" data-sheet="([^"]+)">.*?</table>', article, flags=re.S)
    assert grid.group(1) == finding.loc.sheet
    [own] = re.findall(r'<td class="mark error"[^>]*>([^<]*)</td>', grid.group(0))
    assert own == "4394.83"
    related = re.findall(r'<td class="mark related"[^>]*>([^<]*)</td>', grid.group(0))
    assert {"3860.71", "524.12"} <= set(related)
    row = re.search(r"(\d+)$", finding.loc.cell).group(1)
    assert f"<th>{row}</th>" in grid.group(0)


def test_batch_report_indexes_every_file_with_its_status(batch):
    diagnostics, ctx = batch
    html = get("html")(diagnostics, ctx)
    index = re.search(r'<table class="files">.*?</table>', html, flags=re.S).group(0)
    rows = re.findall(r"<tr><td><a href=\"#(file-\d+)\">([^<]+)</a>(.*?)</tr>", index, flags=re.S)
    assert [Path(name).name for _, name, _ in rows] == ["broken.txt", "notes.md", "gone.txt"]
    for anchor, name, _ in rows:
        assert f'<section class="file" id="{anchor}" data-path="{name}">' in html
    broken, notes, gone = (cells for _, _, cells in rows)
    assert "阳泉市数据局" in broken and "cn-final-accounts-2024" in broken and "有错误" in broken
    assert "无法检查" in notes and "无法检查" in gone and "文件不存在" in gone
    chart = re.search(r'<svg class="chart".*?</svg>', html, flags=re.S).group(0)
    bars = dict(re.findall(r'<g class="rule-bar" data-rule="([^"]+)">.*?<text [^>]*>(\d+)</text></g>', chart))
    expected: dict[str, str] = {}
    for d in diagnostics:
        expected[d.rule] = str(int(expected.get(d.rule, "0")) + 1)
    assert bars == expected
    assert bars["E.INPUT"] == "2"


def test_ledger_has_one_row_per_finding_with_the_report_meta(batch, tmp_path):
    diagnostics, ctx = batch
    book = openpyxl.load_workbook(write("xlsx", diagnostics, ctx, tmp_path / "台账.xlsx"))
    sheet = book["问题清单"]
    header = [c.value for c in sheet[1]]
    assert header[: len(LEDGER_HEADER)] == LEDGER_HEADER
    assert [name for name, _ in FINDING_COLUMNS] == header
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)]
    assert len(rows) == len(diagnostics)
    for d, row in zip(diagnostics, rows, strict=True):
        assert (row["规则"], row["问题描述"]) == (d.rule, d.message)
    first = next(r for r in rows if r["规则"] == "T03.ROW-SUM")
    assert (first["部门"], first["年度"], first["类型"]) == ("阳泉市数据局", 2024, "决算")
    assert (first["页/行"], first["级别"]) == (f"第 {BAD_LINE} 行第 5 列", "错误")
    assert (first["期望值"], first["实际值"]) == (pytest.approx(4384.83), pytest.approx(4394.83))
    assert first["规则依据"].startswith("财预")
    # The findings merged into it are listed as its related places.
    assert "因此不平：" in first["相关位置"] and f"第 {BAD_LINE} 行" in first["相关位置"]
    unread = [r for r in rows if r["规则"] == "E.INPUT"]
    assert len(unread) == 2 and all(r["部门"] is None for r in unread)
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == ws.dimensions
    files = list(book["文件汇总"].iter_rows(min_row=2, values_only=True))
    assert [Path(f[0]).name for f in files] == ["broken.txt", "notes.md", "gone.txt"]
    assert [f[5] for f in files] == ["有错误", "无法检查", "无法检查"]
    assert files[2][9] == "文件不存在"
    counted = 0
    for code in FAMILIES:
        [ws] = [ws for ws in book.worksheets if ws.title.startswith(f"{code} ")]
        head = [c.value for c in ws[1]]
        totals = [r[-1] for r in ws.iter_rows(min_row=2, values_only=True)]
        assert len(totals) == 3
        assert sum(totals) == sum(1 for d in diagnostics if family(d.rule) == code)
        for rule in head[2:-1]:
            column = head.index(rule)
            per_file = [r[column] for r in ws.iter_rows(min_row=2, values_only=True)]
            assert sum(per_file) == sum(1 for d in diagnostics if d.rule == rule)
        counted += sum(totals)
    assert counted == len(diagnostics)


def test_ledger_stores_formula_like_text_as_text(tmp_path):
    evil = ['=HYPERLINK("http://example.invalid","点击")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "＝1+1"]
    files = [CheckedFile(f"{evil[0]}.pdf", Meta(department=evil[1], year=2024, kind="决算"), "cn-final-accounts-2024")]
    diags = [Diagnostic("N.X", "error", text, Location(files[0].path, page=1)) for text in evil[2:]]
    diags.append(Diagnostic("N.Y", "warning", "含控制字符\x07的说明", Location(files[0].path, page=2)))
    ctx = RenderContext(files=1, paths=[files[0].path], checked=files)
    book = openpyxl.load_workbook(io.BytesIO(get("xlsx")(diags, ctx)))
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    sheet = book["问题清单"]
    rows = list(sheet.iter_rows(min_row=2))
    assert [r[7].value for r in rows] == [*evil[2:], "含控制字符的说明"]
    for r in rows[: len(evil) - 2]:
        assert r[7].data_type == "s" and r[7].quotePrefix
    assert (rows[0][0].value, rows[0][1].value) == (f"{evil[0]}.pdf", evil[1])
    assert rows[0][0].quotePrefix and rows[0][1].quotePrefix
    assert not rows[-1][7].quotePrefix


def test_review_formats_through_the_cli(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_report(tmp_path / "a.txt")
    refused = cli("check", "a.txt", "--format", "xlsx")
    assert refused.exit_code == 2
    assert "xlsx 格式须用 -o 指定输出文件" in refused.stderr
    ledger = cli("check", "a.txt", "--format", "xlsx", "-o", "台账.xlsx")
    report = cli("check", "a.txt", "--format", "html", "-o", "report.html")
    assert (ledger.exit_code, report.exit_code) == (1, 1)
    assert (ledger.stdout, report.stdout) == ("", "")
    found = json.loads(cli("check", "a.txt", "--format", "json").stdout)
    assert openpyxl.load_workbook(tmp_path / "台账.xlsx")["问题清单"].max_row == len(found) + 1
    assert len(articles((tmp_path / "report.html").read_text(encoding="utf-8"))) == len(found)


def test_annotate_refuses_what_it_cannot_annotate(tmp_path):
    write_report(tmp_path / "a.txt")
    text = cli("annotate", str(tmp_path / "a.txt"))
    assert text.exit_code == 2 and "只能为 PDF 报告生成批注副本" in text.stderr
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(_letter())
    itself = cli("annotate", str(letter), "-o", str(tmp_path / "." / "letter.pdf"))
    assert itself.exit_code == 2 and "不能覆盖原文件" in itself.stderr
    missing = cli("annotate", str(tmp_path / "gone.pdf"))
    assert missing.exit_code == 2 and "文件不存在" in missing.stderr
    unread = cli("annotate", str(letter))
    assert unread.exit_code == 1
    assert "E.INPUT" in unread.stderr
    assert not (tmp_path / "letter.checked.pdf").exists()


def _letter() -> bytes:
    """A PDF with text that is no disclosure."""
    from pdfgen import FONT
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setFont(FONT, 12)
    c.drawString(72, 720, "关于召开年度工作会议的通知")
    c.save()
    return out.getvalue()


def test_findings_without_a_box_become_page_notes(tmp_path):
    source = tmp_path / "letter.pdf"
    source.write_bytes(_letter())
    diags = [
        Diagnostic("S.TABLE", "error", "缺少公开08表", Location(str(source), page=1)),
        Diagnostic("S.ALL", "warning", "整份报告的问题", Location(str(source))),
    ]
    done = annotate(source, tmp_path / "out.pdf", diags, lambda d: f"{d.rule} {d.message}")
    assert (done.highlights, done.notes) == (0, 2)
    page = PdfReader(tmp_path / "out.pdf").pages[0]
    notes = [a.get_object() for a in page["/Annots"]]
    assert [n["/Subtype"] for n in notes] == ["/Text", "/Text"]
    assert [n["/Contents"] for n in notes] == ["S.TABLE 缺少公开08表", "S.ALL 整份报告的问题"]
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    for n in notes:
        a, b, c, d = (float(v) for v in n["/Rect"])
        assert x0 <= a < c <= x1 and y0 <= b < d <= y1
        assert d > y1 - 40
