"""Document facts that rules read like tables: 页面 (PDF pages), 标题 (headings), 表格 (printed tables)."""

from __future__ import annotations

from conftest import EXAMPLE
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from disclosure_lint import lint


def test_headings_and_printed_tables_in_print_order(pack):
    facts = lint(EXAMPLE, pack).report.facts
    assert "页面" not in facts  # a text report has no pages
    headings = [r.labels["标题"] for r in facts["标题"].rows]
    assert headings.index("收入支出决算总表") < headings.index("收入决算表") < headings.index("支出决算表")
    assert [r.cells["次序"].amount for r in facts["标题"].rows] == list(range(1, len(headings) + 1))
    printed = facts["表格"].rows
    assert [r.labels["表号"] for r in printed] == [f"公开{n:02d}表" for n in range(1, 11)]
    assert printed[3].labels["表题"] == "财政拨款收入支出决算总表"
    assert {r.labels["名称"] for r in printed} == {"阳泉市数据局"}
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    assert all("阳泉市数据局" in lines[r.loc.line - 1] for r in printed)


def test_pages_count_text_and_drawings_and_a_blank_page_is_found(tmp_path, pack):
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "pages.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    c.drawString(72, 720, "示例市数据局2024年度部门决算")
    c.showPage()
    c.showPage()
    c.setFont("STSong-Light", 12)
    c.drawString(72, 720, "第二部分 部门决算表")
    c.line(72, 700, 300, 700)
    c.showPage()
    c.save()
    result = lint(path, pack)
    pages = result.report.facts["页面"].rows
    assert [r.cells["页码"].amount for r in pages] == [1, 2, 3]
    assert [r.cells["文字数"].amount > 0 for r in pages] == [True, False, True]
    assert pages[1].cells["图形数"].amount == 0 and pages[2].cells["图形数"].amount >= 1
    [blank] = [d for d in result.diagnostics if d.rule == "S.BLANK-PAGE"]
    assert blank.loc.page == 2
    [count] = [d for d in result.diagnostics if d.rule == "S.PAGE-COUNT"]
    assert count.severity == "info" and "3 页" in count.message
