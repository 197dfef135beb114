"""The 目录 fact table and the rules that hold the document to it (S.TOC-MISSING, S.TOC-ORDER), and the
required topics of the 情况说明 (S.REQUIRED-TOPIC): on the text example, the published PDFs and
typeset PDFs with a part left out and two tables swapped."""

from __future__ import annotations

import pdfplumber
import pytest
from conftest import EXAMPLE, ROOT
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from disclosure_lint import lint
from disclosure_lint.readers.text import parse_text
from disclosure_lint.recognize.toc import _split_line, read_entries

CORPUS = ROOT / "tests" / "corpus"
RULES = ("S.TOC-MISSING", "S.TOC-ORDER", "S.REQUIRED-TOPIC")


def _entries(result) -> list[tuple[str, str, str]]:
    return [(r.labels["序号"], r.labels["名称"], r.labels["状态"]) for r in result.report.facts["目录"].rows]


def _short_example() -> list[str]:
    """The text example without its attachment forms (the 附件 heading stays, as its 目录 lists it)."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    return lines[: lines.index("## 第五部分 附件") + 1]


def _section(lines: list[str], heading: str) -> tuple[int, int]:
    start = lines.index(heading)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("## "))
    return start, end


def _page_of(path, text: str, after: int = 1, whole: bool = True) -> int:
    """The first page after ``after`` with a line that is (or, not ``whole``, contains) ``text``."""
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages[after:], after + 1):
            lines = [line.replace(" ", "") for line in (page.extract_text() or "").splitlines()]
            if any(line == text if whole else text in line for line in lines):
                return n
    raise AssertionError(f"{text} is not printed after page {after}")


def test_the_text_example_lists_27_entries_each_printed_in_order(pack):
    result = lint(EXAMPLE, pack)
    rows = result.report.facts["目录"].rows
    assert len(rows) == 27
    assert rows[0].labels["序号"] == "第一部分" and rows[0].labels["名称"] == "概况"
    assert rows[4].labels["类别"] == "必备表格" and rows[4].labels["表号"] == "公开01表"
    assert [int(r.cells["页码"].amount) for r in rows[:6]] == [1, 1, 1, 3, 3, 5]
    assert {r.labels["状态"] for r in rows} == {"已印出"}
    places = [r.cells["位置"].amount for r in rows]
    assert places == sorted(places)
    assert not [d for d in result.diagnostics if d.rule in RULES]


def test_a_pdf_line_with_several_entries_and_entries_without_leaders():
    assert _split_line("3. 2025年部门支出预算总表……………4．2025年部门财政拨款收支预算总表………") == [
        ("3.2025年部门支出预算总表", None, True),
        ("4.2025年部门财政拨款收支预算总表", None, True),
    ]
    assert _split_line("一、收入支出决算总表……3") == [("一、收入支出决算总表", 3, True)]
    assert _split_line("二、收入决算表 5") == [("二、收入决算表", 5, False)]


def test_an_attachment_part_printed_without_its_heading_is_not_called_missing(pack):
    text = (
        "示例市数据局2024年度部门决算\n\n# 目录\n\n第一部分 概况……1\n\n第二部分 附件……2\n\n"
        "## 第一部分 概况\n\n示例市数据局负责全市数据资源管理工作。\n\n示例市项目支出绩效自评表\n"
    )
    result = lint(EXAMPLE, pack, data=text.encode("utf-8"))
    assert _entries(result) == [("第一部分", "概况", "已印出"), ("第二部分", "附件", "无法判断")]
    assert not [d for d in result.diagnostics if d.rule == "S.TOC-MISSING"]


def test_a_wrapped_entry_is_one_entry():
    doc = parse_text(
        "示例市数据局2024年度部门决算\n\n# 目录\n\n一、一般公共预算财政拨款基本支出决算明细\n\n表……10\n\n"
        "二、政府性基金预算财政拨款收入支出决算表……12\n\n## 第一部分 概况\n\n正文。\n",
        "wrapped.md",
    )
    entries, after = read_entries(doc)
    assert [(e.name, e.page) for e in entries] == [
        ("一般公共预算财政拨款基本支出决算明细表", 10),
        ("政府性基金预算财政拨款收入支出决算表", 12),
    ]
    assert doc.blocks[after].text == "第一部分 概况"


@pytest.mark.parametrize(
    "name",
    [
        "shanghai-putuo-finance-bureau-2024-final.pdf",
        "shanghai-putuo-government-office-2025-budget.pdf",
    ],
)
def test_published_pdfs_follow_their_toc(name):
    """The 目录 of a 决算 (two pages, no page numbers) and of a budget whose PDF line holds seven entries."""
    result = lint(CORPUS / name)
    entries = _entries(result)
    assert len(entries) in (26, 16)
    assert ("九、", "国有资本经营预算财政拨款收入支出决算表", "已印出") in entries or (
        "9.",
        "2025年部门“三公”经费和机关运行经费预算表",
        "已印出",
    ) in entries
    assert "未印出" not in {state for _, _, state in entries}
    assert not [d for d in result.diagnostics if d.rule in RULES]


def test_typeset_report_without_a_listed_table_and_a_listed_part(make_pdf, pack):
    lines = _short_example()
    start, end = _section(lines, "## 第四部分 名词解释")
    del lines[start:end]
    start, end = _section(lines, "## 收入决算表")
    del lines[start:end]
    path = make_pdf("\n".join(lines) + "\n")
    result = lint(path, pack)
    entries = _entries(result)
    assert ("二、", "收入决算表", "未印出") in entries
    assert ("第四部分", "名词解释", "未印出") in entries
    [missing] = [d for d in result.diagnostics if d.rule == "S.TOC-MISSING"]
    assert "第四部分名词解释" in missing.message
    assert missing.loc.page == _page_of(path, "第四部分名词解释", after=0, whole=False)
    # The missing table is reported once, by the rule for required tables.
    assert [d.table for d in result.diagnostics if d.rule == "S.REQUIRED-TABLE"] == ["公开02表"]


def test_typeset_report_with_two_tables_swapped(make_pdf, pack):
    lines = _short_example()
    a, b = _section(lines, "## 收入决算表")
    _, c = _section(lines, "## 支出决算表")
    lines[a:c] = lines[b:c] + lines[a:b]
    path = make_pdf("\n".join(lines) + "\n")
    result = lint(path, pack)
    [order] = [d for d in result.diagnostics if d.rule == "S.TOC-ORDER"]
    assert order.severity == "warning"
    assert "“三、支出决算表”排在“二、收入决算表”之后" in order.message
    assert order.loc.page == _page_of(path, "支出决算表")
    assert not [d for d in result.diagnostics if d.rule in ("S.TOC-MISSING", "S.REQUIRED-TABLE")]


def test_a_topic_stated_only_in_a_heading_or_in_prose_counts_and_a_missing_one_is_named(pack):
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    assert not [d for d in lint(EXAMPLE, pack).diagnostics if d.rule == "S.REQUIRED-TOPIC"]
    start = lines.index("### （二）政府采购情况说明")
    end = lines.index("### （四）预算绩效情况说明")
    text = "\n".join(lines[:start] + lines[end:]) + "\n"
    [finding] = [d for d in lint(EXAMPLE, pack, data=text.encode("utf-8")).diagnostics if d.rule == "S.REQUIRED-TOPIC"]
    assert "“政府采购”“国有资产”" in finding.message and "机关运行经费" not in finding.message


def _drawn_pdf(path, pages: list[list[tuple[int, str]]], image_page: int | None = None):
    """Each page's lines as (font size, text), headings larger; ``image_page`` holds only a picture."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    for number, lines in enumerate(pages, start=1):
        if number == image_page:
            c.drawImage(ImageReader(Image.new("RGB", (60, 80), "white")), 0, 0, width=A4[0], height=A4[1])
        y = A4[1] - 100
        for size, text in lines:
            c.setFont("STSong-Light", size)
            c.drawString(72, y, text)
            y -= size * 3
        c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("scanned", [False, True])
def test_a_part_not_found_is_missing_only_when_no_page_is_a_scan(tmp_path, pack, scanned):
    pages = [
        [(22, "示例市数据局"), (22, "2024年度部门决算")],
        [(18, "目录"), (12, "第一部分 概况……3"), (12, "第二部分 情况说明……4")],
        [(16, "第一部分 概况"), (12, "示例市数据局负责全市数据资源管理工作。")],
        [],
    ]
    path = _drawn_pdf(tmp_path / "toc.pdf", pages, image_page=4 if scanned else None)
    result = lint(path, pack)
    assert _entries(result) == [
        ("第一部分", "概况", "已印出"),
        ("第二部分", "情况说明", "无法判断" if scanned else "未印出"),
    ]
    assert [r.cells["未读出"].amount for r in result.report.facts["页面"].rows] == [0, 0, 0, int(scanned)]
    missing = [(d.loc.page, d.message) for d in result.diagnostics if d.rule == "S.TOC-MISSING"]
    assert missing == ([] if scanned else [(2, "目录列出了“第二部分情况说明”，但正文中没有这一部分")])
    # Without any 情况说明 the topics are not judged: the missing part is S.TOC-MISSING's one finding.
    topic = result.outcomes["S.REQUIRED-TOPIC"]
    assert (topic.passed, topic.failed) == (0, 0)
    assert not [d for d in result.diagnostics if d.rule == "S.REQUIRED-TOPIC"]


PROJECT = [
    (16, "人民调解项目经费情况说明"),
    (12, "一、项目概述"),
    (12, "保障人民调解工作的开展。"),
    (12, "二、立项依据"),
    (12, "《关于进一步加强人民调解经费保障的意见》。"),
    (12, "三、实施主体"),
    (12, "上海市普陀区示例局"),
    (12, "四、实施方案"),
    (12, "与区人民调解协会签订购买服务合同。"),
    (12, "五、实施周期"),
    (12, "2025年1月1日-2025年12月31日"),
    (12, "六、年度预算安排"),
    (12, "795万元"),
    (12, "七、绩效目标"),
    (12, "完善人民调解经费保障体系。"),
]


@pytest.mark.parametrize("left_out", [(), ("二、立项依据", "七、绩效目标")])
def test_each_project_of_a_shanghai_budget_states_its_seven_items(tmp_path, left_out):
    """The items of a project are numbered paragraphs under an unnumbered title; the second project's
    part ends where the next title starts, so the first project's items are never lent to it."""
    second = [(size, text.replace("人民调解项目", "法律援助专项")) for size, text in PROJECT]
    second = [line for line in second if line[1] not in left_out]
    pages = [
        [(22, "上海市普陀区2025年区级部门预算"), (16, "预算主管部门：上海市普陀区示例局")],
        PROJECT,
        second,
    ]
    path = _drawn_pdf(tmp_path / "projects.pdf", pages)
    result = lint(path, "cn-budget-2025-shanghai")
    outcome = result.outcomes["S.PROJECT-ITEMS"]
    found = [(d.loc.page, d.message) for d in result.diagnostics if d.rule == "S.PROJECT-ITEMS"]
    if not left_out:
        assert (outcome.passed, found) == (2, [])
        return
    assert outcome.passed == 1
    assert found == [
        (
            3,
            "“法律援助专项经费情况说明”中没有写明“立项依据”“绩效目标”：项目经费情况说明应写明项目概述、"
            "立项依据、实施主体、实施方案、实施周期、年度预算安排和绩效目标",
        )
    ]


def test_every_project_of_the_published_budgets_states_its_items():
    counts = {
        "shanghai-putuo-commerce-commission-2025-budget.pdf": 4,
        "shanghai-putuo-government-office-2025-budget.pdf": 1,
        "shanghai-putuo-justice-bureau-2026-budget.pdf": 1,
    }
    for name, projects in counts.items():
        outcome = lint(CORPUS / name).outcomes["S.PROJECT-ITEMS"]
        assert (outcome.passed, outcome.failed, outcome.not_assessable) == (projects, 0, 0), name
