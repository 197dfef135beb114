"""Recognition of the 2024 table set: layouts, keys, values and locations."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import EXAMPLE

from disclosure_lint.readers import read_document
from disclosure_lint.readers.text import parse_text
from disclosure_lint.recognize import recognize


@pytest.fixture(scope="module")
def report(pack):
    return recognize(read_document(EXAMPLE), list(pack.specs.values()))


def cell(report, table, key, column, block=None):
    rows = [r for r in report.tables[table].rows if r.key == key and (block is None or r.block == block)]
    assert rows, f"{table} has no row {key}"
    return rows[0].cells[column]


def test_meta_is_read_from_cover_and_captions(report):
    assert (report.meta.department, report.meta.year, report.meta.kind, report.meta.unit) == (
        "阳泉市数据局",
        2024,
        "决算",
        "万元",
    )


def test_all_ten_tables_are_found(report):
    disclosure = sorted(t for t in report.tables if t.startswith("公开"))
    assert disclosure == [f"公开{n:02d}表" for n in range(1, 11)]


def test_attachment_forms_become_tables(report):
    projects = report.tables["项目支出绩效自评表"]
    assert len(projects.rows) == 7
    tocc = projects.rows[0]
    assert tocc.key.startswith("阳泉市综合交通运行监测与协调指挥中心")
    assert {k: str(v.amount) for k, v in tocc.cells.items()} == {
        "预算金额": "1000",
        "预算市财政": "1000",
        "到位金额": "1000",
        "执行金额": "7.3",
        "执行市财政": "7.3",
        "评价年度": "2024",
        "执行得分": "1",
        "指标得分": "90",
        "总分": "91",
    }
    hired = projects.rows[-1]
    assert hired.cells["执行得分"].amount == 7  # from "预算执行率63.76%，自评得分7分。"
    assert hired.cells["指标得分"].amount == 85
    missing = next(r for r in projects.rows if r.key.startswith("大数据与智能物联网"))
    assert missing.cells["执行金额"].blank
    overall = report.tables["整体支出绩效自评表"].rows[0]
    assert (overall.cells["核定编制数"].amount, overall.cells["在编人数"].amount) == (41, 38)
    assert overall.cells["总分"].amount == overall.cells["执行得分"].amount + overall.cells["指标得分"].amount


def test_title_split_over_lines_is_still_found(report, example_text):
    # "公开02\n\n表" in the source.
    assert "公开02\n\n表" in example_text
    assert report.tables["公开02表"].rows[0].key == "合计"


def test_side_by_side_blocks_of_01(report, example_text):
    t = report.tables["公开01表"]
    assert t.blocks == ["收入", "支出"]
    income_total = cell(report, "公开01表", "总计", "金额", "收入")
    expense_total = cell(report, "公开01表", "总计", "金额", "支出")
    assert income_total.amount == expense_total.amount == Decimal("4384.83")
    assert income_total.loc.line == expense_total.loc.line
    assert income_total.loc.col < expense_total.loc.col
    line = example_text.splitlines()[expense_total.loc.line - 1]
    assert line[expense_total.loc.col - 1 : expense_total.loc.end_col - 1] == "4384.83"
    science = cell(report, "公开01表", "科学技术支出", "金额", "支出")
    assert science.amount == Decimal("3976.12") and science.decimals == 2
    assert cell(report, "公开01表", "事业收入", "金额", "收入").blank


def test_04_expense_block_columns_by_lanci(report):
    row = next(r for r in report.tables["公开04表"].rows if r.key == "本年支出合计" and r.block == "支出")
    assert {k: str(v.amount) for k, v in row.cells.items() if not v.blank} == {
        "合计": "4384.83",
        "一般公共预算财政拨款": "4384.83",
    }
    assert row.line_no == 59


def test_hierarchical_rows_keep_codes_and_names(report):
    rows = {r.key: r for r in report.tables["公开03表"].rows}
    assert rows["2080505"].labels["科目名称"] == "机关事业单位基本养老保险缴费支出"
    assert rows["2080505"].cells["本年支出合计"].amount == Decimal("41.32")
    assert rows["合计"].cells["项目支出"].amount == Decimal("3860.71")


def test_four_block_06_with_totals_in_the_last_column(report):
    t = report.tables["公开06表"]
    assert t.blocks == ["人员经费", "公用经费"]
    people = {r.key for r in t.rows if r.block == "人员经费"}
    public = {r.key for r in t.rows if r.block == "公用经费"}
    assert {"301", "30101", "303", "30309", "人员经费合计"} <= people
    assert {"302", "30299", "307", "309", "310", "31099", "399", "39999", "公用经费合计"} <= public
    total = cell(report, "公开06表", "公用经费合计", "决算数", "公用经费")
    assert total.amount == Decimal("47.11")
    # Printed in the last of the twelve columns, far right of its label.
    label_row = next(r for r in t.rows if r.key == "公用经费合计")
    assert total.loc.line == label_row.loc.line and total.loc.col > label_row.loc.col
    assert cell(report, "公开06表", "30901", "决算数", "公用经费").blank  # printed "——"


def test_multirow_header_09_maps_twelve_columns(report):
    t = report.tables["公开09表"]
    assert t.columns[0] == "预算合计" and t.columns[-1] == "决算公务接待费" and len(t.columns) == 12
    assert t.rows == []
    assert any("本表无数据" in n.text for n in t.notes)


def test_sectioned_10(report):
    t = report.tables["公开10表"]
    assert t.blocks == ["政府采购", "机关运行经费", "国有资产占用"]
    assert cell(report, "公开10表", "服务", "统计数", "政府采购").amount == Decimal("0.30")
    assert cell(report, "公开10表", "行政单位", "统计数", "机关运行经费").amount == Decimal("29.16")
    vehicles = next(r for r in t.rows if r.key == "车辆数合计")
    assert vehicles.line_no == 7 and vehicles.block == "国有资产占用"


def test_sections_follow_numbering_not_markdown_levels(report):
    titles = {s.title: s for s in report.sections}
    part3 = titles["第三部分 情况说明"]
    basic = titles["六、一般公共预算财政拨款基本支出决算情况说明"]  # written as "##" in the source
    first = titles["一、收入支出决算总体情况说明"]  # written as "####"
    assert report.sections[basic.parent] is part3 and report.sections[first.parent] is part3
    assert basic.paragraphs[0].text.startswith("2024年度财政拨款基本支出524.12万元")


TEMPLATE = """# 2024年度部门决算

部门名称：测试局

## 一般公共预算财政拨款支出决算表

金额单位：万元

| 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出 |
|---|---|---|---|---|
| | 合计 | 1,200.00 | 200.00 | 1,000.00 |
| 201 | 一般公共服务支出 | 1,200.00 | 200.00 | 1,000.00 |

- 3 -

| 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出 |
|---|---|---|---|---|
| 20101 | 人大事务 | 1,200.00 | —— | 1,000.00 |
"""


def test_title_match_header_text_and_page_continuation(pack):
    report = recognize(parse_text(TEMPLATE, "t.md"), list(pack.specs.values()))
    t = report.tables["公开05表"]
    assert [r.key for r in t.rows] == ["合计", "201", "20101"]
    last = t.rows[-1]
    assert last.cells["小计"].amount == Decimal("1200.00")
    assert last.cells["基本支出"].blank
    assert report.unmatched == []
