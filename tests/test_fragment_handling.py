"""Small report fragments as the pack examples use them: a key-less table with data, a table that is
absent, counts that must add up exactly, and a published 情况说明 without any table."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import PACK_ID

from disclosure_lint import lint
from disclosure_lint.api import read_report
from disclosure_lint.errors import InputError, PackError
from disclosure_lint.packs.load import load_pack
from disclosure_lint.packs.schema import table_spec

EXAMPLES = load_pack(PACK_ID).path / "examples"


def test_keyless_table_keeps_its_data_row(pack):
    report, _ = read_report(EXAMPLES / "S.REQUIRED-TABLE" / "pass.md", pack)
    rows = report.tables["公开09表"].rows
    assert len(rows) == 1
    cells = rows[0].cells
    assert cells["决算合计"].amount == Decimal("4.09")
    assert cells["预算公务接待费"].amount == Decimal("1.00")
    assert cells["决算因公出国费"].blank


def test_nonempty_keyless_table_needs_no_empty_note(pack):
    result = lint(EXAMPLES / "S.REQUIRED-TABLE" / "pass.md", pack)
    assert result.outcomes["S.EMPTY-NOTE"].failed == 0
    assert result.outcomes["S.EMPTY-NOTE"].passed == 2


def test_row_check_against_an_absent_table_is_not_assessable(pack):
    result = lint(EXAMPLES / "T05.ROW-SUM" / "pass.md", pack)
    outcome = result.outcomes["X.T05-T03"]
    assert "公开03表" not in result.report.tables
    assert outcome.failed == 0
    assert outcome.not_assessable > 0
    assert any("公开03表" in reason for reason in outcome.reasons)


def test_row_missing_from_a_present_table_is_a_finding(pack):
    result = lint(EXAMPLES / "X.T05-T03" / "fail-missing-subject.md", pack)
    found = [d for d in result.diagnostics if d.rule == "X.T05-T03"]
    assert [d.row for d in found] == ["2080501"]


def test_counts_are_compared_exactly(pack):
    result = lint(EXAMPLES / "T10.VEHICLES" / "fail.md", pack)
    found = [d for d in result.diagnostics if d.rule == "T10.VEHICLES"]
    assert len(found) == 1
    assert found[0].difference == Decimal(1)
    assert found[0].tolerance == Decimal(0)


def test_amounts_in_the_same_table_keep_their_rounding_interval(pack):
    result = lint(EXAMPLES / "T10.PROCUREMENT" / "fail.md", pack)
    found = [d for d in result.diagnostics if d.rule == "T10.PROCUREMENT"]
    assert found and found[0].tolerance > 0


def test_exact_is_read_from_the_schema_and_must_be_a_boolean():
    raw = {"title": "部门决算公开相关信息统计表", "columns": {"统计数": {"exact": True}, "金额": 2}}
    columns = table_spec("公开10表", raw, "pack.yaml").blocks[0].columns
    assert [c.exact for c in columns] == [True, False]
    raw["columns"]["统计数"] = {"exact": "yes"}
    with pytest.raises(PackError) as err:
        table_spec("公开10表", raw, "pack.yaml")
    assert "exact 应为 true 或 false" in err.value.message


def test_report_without_tables_reports_every_missing_table(pack):
    result = lint(EXAMPLES / "S.REQUIRED-TABLE" / "fail-no-tables.md", pack)
    assert result.report.tables == {}
    missing = [d for d in result.diagnostics if d.rule == "S.REQUIRED-TABLE"]
    assert len(missing) == len([s for s in pack.specs.values() if s.required])


def test_document_that_is_no_report_is_still_an_input_error(pack, tmp_path: Path):
    notes = tmp_path / "minutes.md"
    notes.write_text("# 会议纪要\n\n一、会议内容\n\n讨论了下一阶段的工作安排。\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        lint(notes, pack)
    assert "看起来不是部门预决算公开报告" in err.value.message
