"""A finding must be true: a unit gap is a unit finding, a slip in the last printed place is a
warning, one wrong cell is one finding, and no message shows the rules' internals."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLE, edited

from disclosure_lint import lint

TOTAL = "2024年度支出合计4,384.83万元"
TOTAL_LINE = 432
SHARE = "基本支出524.12万元，占比11.95%"
# What a message for finance staff never shows: regex syntax, the DSL's operators, Python values.
INTERNALS = re.compile(r"~|\(\?|Σ|\\[dsw]|\[\^|\{|\}|Decimal\(|None|CellRef|Amount\(|<[a-z]+ object")


def _lint(tmp_path, edits):
    path = tmp_path / "r.txt"
    path.write_text(edited(EXAMPLE.read_text(encoding="utf-8"), edits), encoding="utf-8")
    return lint(path)


def _at(result, line):
    return [d for d in result.diagnostics if d.loc.line == line]


@pytest.mark.parametrize(("factor", "printed"), [(100, "438,483.00"), (1000, "4,384,830.00"), (10000, "43,848,300")])
def test_a_unit_gap_is_one_unit_finding_never_an_error(tmp_path, factor, printed):
    result = _lint(tmp_path, [(TOTAL, f"2024年度支出合计{printed}万元")])
    near = [d for d in result.diagnostics if TOTAL_LINE <= (d.loc.line or 0) <= TOTAL_LINE + 2]
    assert not [d for d in near if d.severity == "error"]
    [found] = _at(result, TOTAL_LINE)
    assert (found.rule, found.severity, found.origin) == ("E.UNIT-MISMATCH", "warning", "N.EXPENSE-TOTAL")
    assert f"相差 {factor:,} 倍" in found.message
    # Both places print 万元: the message says so instead of naming the same unit twice as a mismatch.
    assert "两处都标为万元" in found.message and "万元、万元" not in found.message


def test_a_share_off_by_one_in_its_last_place_is_a_rounding_warning(tmp_path):
    result = _lint(tmp_path, [(SHARE, SHARE.replace("11.95%", "11.96%"))])
    [found] = _at(result, TOTAL_LINE + 1)
    assert (found.rule, found.severity, found.origin) == ("E.ROUNDING", "warning", "N.EXPENSE-ITEM")
    assert "疑为截断" in found.message


def test_a_share_off_by_more_stays_an_error(tmp_path):
    result = _lint(tmp_path, [(SHARE, SHARE.replace("11.95%", "11.99%"))])
    [found] = _at(result, TOTAL_LINE + 1)
    assert (found.rule, found.severity) == ("N.EXPENSE-ITEM", "error")


def test_one_wrong_cell_in_an_item_row_is_one_finding(tmp_path):
    """224.30 → 224.40 in the 基本支出 of one 项 of 公开03表 breaks its row sum and the roll-ups of its
    款: one error at the cell, the others attached to it."""
    result = _lint(tmp_path, [("2010504\t信息事务\t249.28\t224.30", "2010504\t信息事务\t249.28\t224.40")])
    errors = [d for d in result.diagnostics if d.severity == "error" and d.rule.startswith(("T", "X"))]
    [found] = errors
    assert (found.table, found.row, found.column_name) == ("公开03表", "2010504", "基本支出")
    assert [a.rule for a in found.absorbed] == ["T03.ROLLUP"]
    assert "另有 1 处勾稽关系因此不平" in found.message and found.related[0].message.startswith("因此不平：")


def test_no_message_shows_internals(tmp_path, putuo):
    results = [
        lint(EXAMPLE),
        _lint(tmp_path, [(TOTAL, "2024年度支出合计43,848,300万元"), (SHARE, SHARE.replace("11.95%", "11.96%"))]),
    ]
    messages = [d.message for r in results for d in r.diagnostics]
    messages += [r.message for res in results for d in res.diagnostics for r in d.related]
    messages += [d.message for d in putuo[0]]
    assert len(messages) > 10
    assert [m for m in messages if INTERNALS.search(m)] == []
