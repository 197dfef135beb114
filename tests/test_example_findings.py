"""The bundled example: its genuine narrative and attachment problems are found, and nothing else.

The four defects the published report really has (a label naming the wrong item, a stale year, a
headcount disagreement, a missing executed amount) plus a doubled full stop. A copy with those
defects corrected must come out completely clean.
"""

from __future__ import annotations

import pytest
from conftest import EXAMPLE

from disclosure_lint import lint


@pytest.fixture(scope="module")
def result(pack):
    return lint(EXAMPLE, pack)


def lines_of(result, rule):
    return [d.loc.line for d in result.diagnostics if d.rule == rule]


def test_wrong_label_names_both_items(result, example_text):
    (d,) = [d for d in result.diagnostics if d.rule == "N.ITEM-AMOUNT"]
    assert d.severity == "error"
    assert "“电费”" in d.message and "“水费”（30205）" in d.message
    line = example_text.splitlines()[d.loc.line - 1]
    assert line[d.loc.col - 1 : d.loc.end_col - 1] == "0.09"


def test_stale_years_are_warnings(result, example_text):
    found = [d for d in result.diagnostics if d.rule == "N.STALE-YEAR"]
    assert [d.severity for d in found] == ["warning", "warning"]
    for d in found:
        assert example_text.splitlines()[d.loc.line - 1][d.loc.col - 1 : d.loc.col + 3] == "2023"
    assert not any("比2023年" in example_text.splitlines()[d.loc.line - 1][d.loc.col - 3 : d.loc.col] for d in found)


def test_headcount_disagreement(result):
    (d,) = [d for d in result.diagnostics if d.rule == "A.STAFF"]
    assert "38" in d.message and "36" in d.message and d.severity == "error"


def test_missing_executed_amount(result, example_text):
    (d,) = [d for d in result.diagnostics if d.rule == "A.EXECUTED-PRESENT"]
    assert "大数据与智能物联网应用基地体验中心运行费" in d.message
    assert "实际执行金额" in example_text.splitlines()[d.loc.line - 1]


def test_no_other_findings(result):
    rules = sorted(d.rule for d in result.diagnostics)
    assert rules == sorted(
        [
            "A.EVAL-YEAR-BLANK",
            "A.EXECUTED-PRESENT",
            "A.STAFF",
            "H.DOUBLE-PUNCT",
            "H.LATIN-WORD",
            "H.PARAGRAPH-END",
            "H.REPEATED-WORD",
            "N.ITEM-AMOUNT",
            "N.STALE-YEAR",
            "N.STALE-YEAR",
        ]
        + ["H.ASCII-COMMA"] * 15
    )


def test_new_wording_and_form_findings_quote_the_defect(result, example_text):
    found = {d.rule: d for d in result.diagnostics}
    assert found["H.REPEATED-WORD"].message == "“方针的方针”中“方针”重复"
    assert "“and”" in found["H.LATIN-WORD"].message
    blank = found["A.EVAL-YEAR-BLANK"]
    assert "阳泉市数字政府（智慧城市）建设项目" in blank.message
    assert "绩效自评评价年度" in example_text.splitlines()[blank.loc.line - 1]
    commas = [d for d in result.diagnostics if d.rule == "H.ASCII-COMMA"]
    assert all("," in example_text.splitlines()[d.loc.line - 1] for d in commas)


def test_the_paragraph_without_a_full_stop_is_the_performance_summary(result, example_text):
    """The 预算绩效管理工作开展情况 paragraph stops after 尽可能节约财政资金; the text typed into the
    自评表 cells without a full stop (自评结论, 指标) is not prose and is not reported."""
    (d,) = [d for d in result.diagnostics if d.rule == "H.PARAGRAPH-END"]
    assert d.severity == "info" and d.message == "段落末尾“尽可能节约财政资金”之后缺少句号“。”"
    line = example_text.splitlines()[d.loc.line - 1]
    assert line.startswith("根据预算绩效管理要求") and line.endswith("尽可能节约财政资金")


def test_corrected_report_is_clean(pack, fixed_example):
    result = lint(fixed_example, pack)
    assert result.diagnostics == []
    assert result.outcomes["A.EXECUTED-SUM"].passed == 1
    assert result.outcomes["N.ITEM-AMOUNT"].passed > 20
