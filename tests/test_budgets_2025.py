"""The published 2025 budgets of two 上海市普陀区 bodies, each as a 部门预算 and as a 单位预算.

They are checked with the 2025 Shanghai pack, their level is read from the cover, every item of the
编制说明 (named without codes, in two wordings) is checked against the tables, and nothing but
typography notes is reported: as published, these four hold every rule that applies to them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from disclosure_lint import lint
from disclosure_lint.engine.views import ReportIndex

CORPUS = Path(__file__).resolve().parent / "corpus"
FILES = {
    "shanghai-putuo-commerce-commission-2025-budget.pdf": ("部门", "上海市普陀区商务委员会"),
    "shanghai-putuo-commerce-commission-2025-unit-budget.pdf": ("单位", "上海市普陀区商务委员会"),
    "shanghai-putuo-government-office-2025-budget.pdf": ("部门", "上海市普陀区人民政府办公室"),
    "shanghai-putuo-government-office-2025-unit-budget.pdf": ("单位", "上海市普陀区人民政府办公室"),
}
# A numbered item of the 编制说明 list (“1.” or “1、”) stating an amount.
ITEM = re.compile(r"^\d+[.．、].{0,200}?万元")


@pytest.fixture(scope="module")
def results():
    return {name: lint(CORPUS / name) for name in FILES}


@pytest.mark.parametrize("name", FILES)
def test_the_cover_says_what_the_report_is(results, name):
    level, department = FILES[name]
    result = results[name]
    meta = result.report.meta
    assert (meta.kind, meta.year, meta.level, meta.region, meta.department) == (
        "预算",
        2025,
        level,
        "上海市普陀区",
        department,
    )
    assert result.pack.id == "cn-budget-2025-shanghai"
    assert "E.PACK-FALLBACK" not in {d.rule for d in result.diagnostics}


# The commerce commission writes ASCII commas in Chinese text: “结合本区实际,制订” in its 职能 (pages 3
# and 4 of both reports) and “品牌商业集聚,具有” in a project of the 部门预算 (page 25); one project's
# 实施方案 of the 部门预算 ends “…按程序落实专项资金拨付” without a full stop (page 24).
NOTES = {
    "shanghai-putuo-commerce-commission-2025-budget.pdf": [
        ("H.ASCII-COMMA", 3),
        ("H.ASCII-COMMA", 4),
        ("H.PARAGRAPH-END", 24),
        ("H.ASCII-COMMA", 25),
    ],
    "shanghai-putuo-commerce-commission-2025-unit-budget.pdf": [("H.ASCII-COMMA", 3), ("H.ASCII-COMMA", 4)],
}


@pytest.mark.parametrize("name", FILES)
def test_no_findings_on_the_published_budgets(results, name):
    found = results[name].diagnostics
    assert [d.message for d in found if d.severity != "info"] == []
    assert [(d.rule, d.loc.page) for d in found] == NOTES.get(name, [])


@pytest.mark.parametrize("name", FILES)
def test_every_item_of_the_expenditure_list_is_checked(results, name):
    result = results[name]
    index = ReportIndex(result.report, result.pack.specs)
    items = [p for p in index.paragraphs(("预算编制说明",)) if ITEM.match(p.text)]
    assert len(items) >= 10
    for rule in ("N.SH-ITEM-AMOUNT", "N.SH-ITEM-CODE", "N.SH-ITEM-PURPOSE"):
        outcome = result.outcomes[rule]
        assert (outcome.passed, outcome.failed, outcome.not_assessable) == (len(items), 0, 0), rule


@pytest.mark.parametrize("name", FILES)
def test_department_only_checks_follow_the_level(results, name):
    level, _ = FILES[name]
    outcome = results[name].outcomes["N.SH-UNIT-COUNT"]
    assert outcome.passed == (1 if level == "部门" else 0)
    assert results[name].outcomes["H.LEVEL-WORDING"].passed == 1
