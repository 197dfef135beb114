"""Contradictions inside a report: comparison words against their amounts, notes against their tables,
the 三公 table's own sums, and claims that must still be checked when a clause is inserted."""

from __future__ import annotations

import pytest
from conftest import edited

from disclosure_lint.api import lint

NEW_RULES = {
    "T09.TOTAL",
    "T09.VEHICLE",
    "T09.NEGATIVE",
    "T04.FUND-CARRYOVER",
    "T03.NEGATIVE",
    "T05.NEGATIVE",
    "N.SHARE-RANGE",
    "N.SHARE-RANGE-SHORT",
    "H.PERCENT-DECIMALS",
    "N.COMPARE-BUDGET-WORD",
    "N.COMPARE-ADJUSTED-WORD",
    "N.COMPARE-YOY-WORD",
    "N.REASON-DIRECTION",
    "N.BUDGET-COMPLETION-ZERO-BASE",
    "N.THREE-PUBLIC-RESTATED",
    "S.NOTE-CONTRADICTS-DATA",
    "S.NOTE-OTHER-TABLE",
    "N.CLASS-RESTATED",
    "N.CLASS-RESTATED-NEXT",
    "N.GPB-TOTAL-RESTATED",
}

COMPLETION = """示例市数据局2024年度部门决算

## 五、一般公共预算财政拨款支出决算情况说明

### （三）一般公共预算财政拨款支出决算具体情况

信息化建设（项）年初预算为{base}万元，{inserted}支出决算为144.30万元，完成年初预算的96.20%。
"""

# The empty 三公 table of the example, with figures typed in under its “说明：本表无数据”.
HEADER_ROW = "1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12\n"
FIGURES = "5.00\t\t4.00\t\t4.00\t1.00\t4.90\t\t3.60\t\t3.60\t0.49\n"


def _outcome(tmp_path, text: str, rule: str):
    path = tmp_path / "report.md"
    path.write_text(text, encoding="utf-8")
    result = lint(path)
    return result.outcomes[rule], [d for d in result.diagnostics if d.rule == rule]


def test_an_inserted_clause_does_not_hide_a_completion_claim(tmp_path):
    plain, found = _outcome(tmp_path, COMPLETION.format(base="150.00", inserted=""), "N.BUDGET-COMPLETION")
    assert (plain.passed, found) == (1, [])
    inserted = "调整预算为150.00万元，"
    _, found = _outcome(tmp_path, COMPLETION.format(base="120.00", inserted=inserted), "N.BUDGET-COMPLETION")
    assert len(found) == 1 and "96.2" in found[0].message and "120.25" in found[0].message


def test_a_zero_base_is_found_behind_an_inserted_clause(tmp_path):
    text = COMPLETION.format(base="0", inserted="调整预算为150.00万元，")
    _, found = _outcome(tmp_path, text, "N.BUDGET-COMPLETION-ZERO-BASE")
    assert len(found) == 1 and found[0].severity == "error"
    assert "年初预算为 0 万元" in found[0].message
    outcome, found = _outcome(tmp_path, COMPLETION.format(base="150.00", inserted=""), "N.BUDGET-COMPLETION-ZERO-BASE")
    assert (outcome.passed, found) == (1, [])


def test_the_published_example_gives_no_new_finding(example_text, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(example_text, encoding="utf-8")
    result = lint(path)
    assert [d for d in result.diagnostics if d.rule in NEW_RULES] == []
    assessed = {rid for rid in NEW_RULES if result.outcomes[rid].passed}
    assert {"T04.FUND-CARRYOVER", "T09.TOTAL", "N.REASON-DIRECTION", "S.NOTE-CONTRADICTS-DATA"} <= assessed
    assert {"N.CLASS-RESTATED", "N.GPB-TOTAL-RESTATED"} <= assessed


def test_a_note_that_denies_the_tables_figures_is_found_in_a_pdf(make_pdf, example_text):
    anchor = "\n注：本表反映部门本年度“三公”"
    text = edited(example_text, [(HEADER_ROW + anchor, HEADER_ROW + FIGURES + anchor)])
    result = lint(make_pdf(text))
    by_rule = {d.rule: d for d in result.diagnostics}
    note, total = by_rule["S.NOTE-CONTRADICTS-DATA"], by_rule["T09.TOTAL"]
    assert "本表无数据" in note.message and "公开09表" in note.message
    assert total.loc.page is not None and (str(total.actual), str(total.expected)) == ("4.90", "4.09")
    clean = lint(make_pdf(example_text))
    assert not {"S.NOTE-CONTRADICTS-DATA", "T09.TOTAL"} & {d.rule for d in clean.diagnostics}


def test_a_completion_claim_is_checked_past_a_comparison_with_the_year_before(tmp_path):
    inserted = "较上年决算增加10.00万元，"
    outcome, found = _outcome(tmp_path, COMPLETION.format(base="150.00", inserted=inserted), "N.BUDGET-COMPLETION")
    assert (outcome.passed, found) == (1, [])
    _, found = _outcome(tmp_path, COMPLETION.format(base="120.00", inserted=inserted), "N.BUDGET-COMPLETION")
    assert len(found) == 1 and "120.25" in found[0].message


@pytest.mark.parametrize(
    "sentence",
    [
        # the 年初预算 inside a clause about the 全年预算
        "信息化建设（项）全年预算为150.00万元（年初预算为120.00万元，追加30.00万元），支出决算为144.30万元，"
        "完成年初预算的96.20%。",
        # the year before's 年初预算, and a 决算 that includes the year before's balance
        "信息化建设（项）上年年初预算为120.00万元，支出决算为144.30万元，完成年初预算的96.20%。",
        "信息化建设（项）年初预算为120.00万元，上年结转30.00万元，支出决算为144.30万元，完成年初预算的96.20%。",
    ],
)
def test_a_completion_claim_that_cannot_be_read_surely_is_not_judged(tmp_path, sentence):
    text = COMPLETION.split("信息化建设")[0] + sentence + "\n"
    for rule in ("N.BUDGET-COMPLETION", "N.BUDGET-COMPLETION-ZERO-BASE"):
        outcome, found = _outcome(tmp_path, text, rule)
        assert (outcome.passed, outcome.failed, found) == (0, 0, [])


CLASS_DETAIL = "一般公共服务支出年初预算241.86万元，支出决算250.21万元，完成年初预算的103.45%"


def test_a_class_stated_with_two_amounts_is_an_error(example_text, tmp_path):
    text = edited(example_text, [(CLASS_DETAIL, CLASS_DETAIL.replace("250.21", "205.21"))])
    _, found = _outcome(tmp_path, text, "N.CLASS-RESTATED")
    assert len(found) == 1 and found[0].severity == "error"
    assert "一般公共服务支出（类）为 250.21 万元" in found[0].message and "205.21" in found[0].message


def test_a_subject_below_the_class_is_not_compared_with_the_class(example_text, tmp_path):
    """A 项 of the class stated with its own 决算数 is another item, whatever its amount."""
    item = "一般公共服务支出（类）统计信息事务（款）信息事务（项）年初预算241.86万元，支出决算249.28万元"
    text = edited(example_text, [(CLASS_DETAIL.split("，完成")[0], item)])
    outcome, found = _outcome(tmp_path, text, "N.CLASS-RESTATED")
    assert found == [] and outcome.passed == 4
