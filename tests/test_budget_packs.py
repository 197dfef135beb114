"""The 2026 budget packs: their pass/fail examples, pack selection, and the published Putuo budget PDF.

The PDF's findings are pinned one by one: each is a defect of the report as published (see the
comments), and every other rule either holds or does not apply.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from disclosure_lint import lint
from disclosure_lint.cli import main
from disclosure_lint.model import Meta
from disclosure_lint.packs.load import load_pack, select_pack
from disclosure_lint.packs.test import run_pack_tests

NATIONAL = "cn-budget-2026"
SHANGHAI = "cn-budget-2026-shanghai"
SHANGHAI_2025 = "cn-budget-2025-shanghai"
BUDGET = Path(__file__).resolve().parent / "corpus" / "shanghai-putuo-justice-bureau-2026-budget.pdf"
CASES = [(pack_id, rule.id) for pack_id in (NATIONAL, SHANGHAI_2025, SHANGHAI) for rule in load_pack(pack_id).rules]


@pytest.mark.parametrize(("pack_id", "rule_id"), CASES)
def test_rule_examples_pass_and_fail_as_declared(pack_id, rule_id):
    results = run_pack_tests(load_pack(pack_id), only=rule_id)
    details = "\n".join(f"{'ok' if r.ok else 'FAILED'}: {r.detail}" for r in results)
    assert len(results) >= 2, f"{rule_id}:\n{details}"
    assert all(r.ok for r in results), f"{rule_id}:\n{details}"


@pytest.mark.parametrize("pack_id", [NATIONAL, SHANGHAI_2025, SHANGHAI])
def test_every_example_folder_names_a_rule_of_the_pack(pack_id):
    pack = load_pack(pack_id)
    folders = {d.name for d in (pack.path / "examples").iterdir() if d.is_dir()}
    assert folders and folders <= {r.id for r in pack.rules}


def test_shanghai_restates_layout_rules_and_tests_them_on_its_own_examples():
    pack = load_pack(SHANGHAI)
    ids = {r.id for r in pack.rules}
    assert not ids & {"T01.INCOME-TOTAL", "T01.EXPENSE-TOTAL"}
    assert {"T01.INCOME-GRAND", "T01.FISCAL-SPLIT", "X.OPERATING-COST", "N.SH-ITEM-YOY"} <= ids
    # The national examples of T02.ROW-SUM print columns the Shanghai 收入预算表 does not have; the
    # 2026 pack inherits the rule from the 2025 one and restates T01.FISCAL-SPLIT for its row labels.
    base = load_pack(SHANGHAI_2025).path
    assert pack.example_dirs("T02.ROW-SUM") == [base / "examples" / "T02.ROW-SUM"]
    assert pack.example_dirs("T01.FISCAL-SPLIT") == [pack.path / "examples" / "T01.FISCAL-SPLIT"]
    national = load_pack(NATIONAL).path
    assert pack.example_dirs("T02.ROLLUP") == [national / "examples" / "T02.ROLLUP"]
    assert "机关运行经费" in pack.specs["“三公”经费预算表"].column_names()


def test_budget_reports_get_a_budget_pack():
    assert select_pack(Meta(department="上海市普陀区司法局", year=2026, kind="预算"), "x").id == SHANGHAI
    assert select_pack(Meta(department="阳泉市数据局", year=2026, kind="预算"), "x").id == NATIONAL
    assert select_pack(Meta(department="阳泉市数据局", year=2024, kind="决算"), "x").id == "cn-final-accounts-2024"


# ------------------------------------------------------------------ the published budget PDF
@pytest.fixture(scope="module")
def putuo_budget():
    return lint(BUDGET)


def test_pdf_is_checked_with_the_shanghai_budget_pack(putuo_budget):
    meta = putuo_budget.report.meta
    assert putuo_budget.pack.id == SHANGHAI
    assert (meta.kind, meta.year, meta.department) == ("预算", 2026, "上海市普陀区司法局")


def test_pdf_every_table_recognized_and_assigned(putuo_budget):
    report = putuo_budget.report
    specs = putuo_budget.pack.specs
    assert sorted(report.tables) == sorted(tid for tid, s in specs.items() if s.required)
    assert report.unmatched == []
    assert {tid: t.unit for tid, t in report.tables.items() if t.unit != "元"} == {"“三公”经费预算表": "万元"}
    rows = {tid: len(t.rows) for tid, t in report.tables.items()}
    assert rows["支出预算表"] == rows["一般公共预算支出表"] == rows["收入预算表"] == 22
    assert rows["一般公共预算基本支出表"] == 30
    assert all(report.tables[t].notes for t in ("政府性基金预算支出表", "国有资本经营预算支出表"))


def cell(report, table: str, key: str, column: str, block: str | None = None):
    row = next(r for r in report.tables[table].rows if r.key == key and (block is None or r.block == block))
    return row.cells[column]


def test_pdf_cells_in_their_rows_columns_and_pages(putuo_budget):
    report = putuo_budget.report
    value = cell(report, "财务收支预算总表", "财政拨款收入", "预算数", "收入")
    assert (value.amount, value.raw, value.loc.page) == (Decimal("96282213.44"), "96,282,213.44", 10)
    value = cell(report, "支出预算表", "2210201", "合计")  # continued on the next page
    assert (value.amount, value.loc.page) == (Decimal("2087959.00"), 13)
    assert cell(report, "收入预算表", "2040699", "财政拨款收入").amount == Decimal("38454900.00")
    value = cell(report, "财政拨款收支预算总表", "支出总计", "一般公共预算", "支出")
    assert (value.amount, value.loc.page) == (Decimal("96282213.44"), 14)
    value = cell(report, "一般公共预算基本支出表", "30231", "公用经费")
    assert (value.amount, value.loc.page) == (Decimal("99750.00"), 20)
    value = cell(report, "“三公”经费预算表", "", "机关运行经费")
    assert (value.amount, value.loc.page) == (Decimal("217.83"), 21)
    assert cell(report, "“三公”经费预算表", "", "公务用车运行维护费").amount == Decimal("9.98")


# The published report's own defects, (rule, page) -> count:
#   - 编制说明: “比2026年预算增加…”, “与2026年预算持平” compare the 2026 budget with itself (×5);
#   - item 5 ends “…等方面的支出。。”;
#   - item 11 names 210 “医疗卫生与计划生育支出”, renamed 卫生健康支出 in 2018 (N.OLD-SUBJECT-NAME only);
#   - item 12 住房公积金 208.8万元 (the table: 2,087,959.00 元) says “2026年预算安排201.50万元”, and its
#     “增加5.27%” fits 208.80, not 201.50, over 198.34 (against the table, with the item's two amounts
#     differing from each other attached to that finding: one wrong figure, one finding);
#   - item 6 gives the 2025 执行数 as 43269.3万元 and calls 3845.49万元 an increase of 17.62%
#     (3845.49 / 1.1762 = 3269.4: a stray digit): the rate, with the word 增加 attached to it;
#   - item 9 职业年金 77.99 → 91.97万元 is +17.93%, printed as item 8's 17.66%;
#   - the 人民调解 project's 实施周期 is “2025年1月1日-2025年12月31日” in a 2026 budget, and its
#     “…协议书检查”、优秀调解案例”活动” has one left quotation mark for two right ones.
KNOWN = {
    ("N.COMPARE-YEAR", 8): 5,
    ("H.DOUBLE-PUNCT", 8): 1,
    ("N.OLD-SUBJECT-NAME", 9): 1,
    ("N.SH-ITEM-AMOUNT", 9): 1,
    ("N.SH-ITEM-YOY", 9): 3,
    ("N.PERIOD-YEAR", 23): 1,
    ("H.QUOTE-BALANCE", 23): 1,
}


def test_pdf_findings_are_the_reports_own_defects(putuo_budget):
    found = Counter((d.rule, d.loc.page) for d in putuo_budget.diagnostics)
    assert found == KNOWN
    messages = {d.rule: d.message for d in putuo_budget.diagnostics}
    assert "201.50万元" in messages["N.SH-ITEM-AMOUNT"] and "2087959.00元" in messages["N.SH-ITEM-AMOUNT"]
    assert "（差 -7.30万元）" in messages["N.SH-ITEM-AMOUNT"]
    yoy = sorted(d.message for d in putuo_budget.diagnostics if d.rule == "N.SH-ITEM-YOY")
    assert any("43269.3" in m and "= -91.11" in m for m in yoy)
    assert any("变动率 17.66" in m and "= 17.93" in m for m in yoy)
    assert any("变动率 5.27" in m and "201.50" in m for m in yoy)
    absorbed = {a.rule: (d, a) for d in putuo_budget.diagnostics for a in d.absorbed}
    amount, restated = absorbed["N.ITEM-RESTATED"]
    assert amount.rule == "N.SH-ITEM-AMOUNT"
    assert "208.8 万元" in restated.message and "201.50万元" in restated.message
    assert any(r.message == "同一处问题：" + restated.message for r in amount.related)
    rate, word = absorbed["N.COMPARE-YOY-WORD"]
    assert rate.rule == "N.SH-ITEM-YOY" and "43269.3" in rate.message
    assert "3845.49 万元" in word.message and "43269.3 万元" in word.message


def test_pdf_rules_are_assessed_across_units(putuo_budget):
    outcomes = putuo_budget.outcomes
    assessed = [rid for rid, o in outcomes.items() if o.passed]
    assert len(assessed) >= 60
    # Narrative 万元 against tables in 元, and the 三公 table in 万元 against 元 tables.
    for rid in (
        "N.INCOME-TOTAL",
        "N.INCOME-ITEM",
        "N.FISCAL-EXPENSE",
        "N.OPERATING-COST",
        "X.OPERATING-COST",
        "X.T06-T09",
        "N.SH-PERFORMANCE",
        "N.SH-ITEM-AMOUNT",
    ):
        assert outcomes[rid].passed >= 1, rid
    assert outcomes["N.SH-ITEM-AMOUNT"].passed == 25


def test_pdf_check_exits_one_with_a_summary():
    result = CliRunner().invoke(main, ["check", str(BUDGET)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[-1] == "检查了 1 个文件，发现 13 个问题（错误 5，警告 8）；规则包 cn-budget-2026-shanghai。"
    assert any(
        line.startswith(f"{BUDGET}:page 9: error N.SH-ITEM-AMOUNT 说明中“住房公积金”（2210201）") for line in lines
    )


def _messages(pack_id: str, rule_id: str, example: str) -> list[str]:
    pack = load_pack(pack_id)
    result = lint(pack.path / "examples" / rule_id / example, pack)
    return [d.message for d in result.diagnostics if d.rule == rule_id]


def test_messages_show_units_only_where_the_sides_differ():
    assert _messages(NATIONAL, "N.INCOME-TOTAL", "fail.md") == [
        "说明中“收入预算1025.66万元”：金额 1025.66 万元 ≠ 财务收支预算总表.收入[收入总计].预算数 10255600.00 元"
        "（差 0.10 万元，容差 0.005 万元）"
    ]
    assert _messages(NATIONAL, "X.T06-T09", "fail.md") == [
        "一般公共预算基本支出表[30217].合计 20000.00 元 > 公务接待费 1.00 万元（差 1.00 万元，容差 0.005 万元）"
    ]
    assert _messages(NATIONAL, "N.THREE-PUBLIC-TOTAL", "fail.md") == [
        "说明中““三公”经费预算数为12.00万元”：金额 12.00 ≠ 合计 10.00（差 2.00，容差 0.01）"
    ]
