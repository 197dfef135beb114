"""Names in the text against the tables: 科目名称 by level, table titles and fund names, each misspelling
found once, and a different legitimate name never taken for a slip."""

from __future__ import annotations

import pytest
from conftest import EXAMPLE, ROOT, edited

from disclosure_lint import lint
from disclosure_lint.nearest import edits, near_miss

JUSTICE = ROOT / "tests" / "corpus" / "shanghai-putuo-justice-bureau-2026-budget.pdf"
NAME_RULES = ("N.SUBJECT-LEVEL-NAME", "N.TABLE-TITLE-NAME", "N.FUND-NAME")


@pytest.mark.parametrize(
    ("a", "b", "n"),
    [
        ("住房公基金", "住房公积金", 1),
        ("行政运行", "行政运营", 1),
        ("事业单位医疗", "行政单位医疗", 2),
        ("明细决算", "决算明细", 4),
    ],
)
def test_edits_count_inserted_deleted_replaced_and_swapped_characters(a, b, n):
    assert edits(a, b) == n and edits(b, a) == n
    assert edits("基本支出", "基支本出") == 1


def test_a_near_miss_is_a_slip_of_a_character_or_two_never_another_name():
    subjects = ["行政运行", "事业运行", "事业单位离退休", "机关事业单位基本养老保险缴费支出"]
    assert near_miss("行政运营", subjects) == "行政运行"
    assert near_miss("机关事业单位基本养老保险缴费", subjects) == "机关事业单位基本养老保险缴费支出"
    assert near_miss("行政单位离退休", subjects) is None  # a subject of its own, two characters apart
    assert near_miss("行政运行", subjects) is None  # right as written
    titles = ["一般公共预算财政拨款基本支出决算明细表", "一般公共预算财政拨款支出决算表"]
    assert near_miss("一般公共预算财政拨款基本支出明细决算表", titles) == titles[0]
    assert near_miss("政府性基金预算财政拨款收入支出决算表", titles) is None
    assert near_miss("见支出决算表", ["支出决算表", "收入决算表"]) is None  # the title, after a word of the text
    assert near_miss("详见一般公共预算财政拨款支出决算表", titles) is None
    assert near_miss("本年度一般公共服务之出", ["一般公共服务支出"]) == "一般公共服务支出"
    assert near_miss(
        "政府性基金预算财政拔款收入支出决算表", ["支出决算表", "政府性基金预算财政拨款收入支出决算表"]
    ) == ("政府性基金预算财政拨款收入支出决算表")


def _names(result) -> list[str]:
    return [d.message for d in result.diagnostics if d.rule in NAME_RULES]


def test_the_published_example_has_no_misspelt_names(pack):
    assert _names(lint(EXAMPLE, pack)) == []


def test_misspelt_names_in_a_typeset_report_are_each_found_once(make_pdf, example_text, pack):
    """The names run over line breaks in the PDF; each slip gives one finding naming what the table prints."""
    text = edited(
        example_text,
        [
            (
                "#### 二、收入决算情况说明\n",
                "#### 二、收入决算情况说明\n\n本部门支出主要为一般公共服务支出（类）统计信息事务（款）信息事物（项）和"
                "社会保障和就业支出（款），明细见《一般公共预算财政拨款基本支出明细决算表》；本部门无国有资产经营预算"
                "财政拨款收入，也无政府性基金预算财政拨款收入；其他科目（如教育支出（类））本年未发生。\n",
            )
        ],
    )
    messages = _names(lint(make_pdf(text), pack))
    assert len(messages) == 4, messages
    assert any("“信息事物（项）”" in m and "相近的是“信息事务”" in m for m in messages)
    assert any("“社会保障和就业支出”是类级科目，不是款级科目" in m for m in messages)
    assert any("表题“一般公共预算财政拨款基本支出决算明细表”" in m for m in messages)
    assert any("“国有资产经营预算财政拨款”应为“国有资本经营预算财政拨款”" in m for m in messages)


def test_a_retired_subject_name_with_its_code_is_reported_once():
    result = lint(JUSTICE)
    phrase = [d for d in result.diagnostics if "医疗卫生与计划生育" in d.message]
    assert [d.rule for d in phrase] == ["N.OLD-SUBJECT-NAME"]
    assert result.outcomes["N.SUBJECT-NAME"].passed >= 1
