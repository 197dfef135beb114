"""Numbers with more digits than any account has: a finding about the cell, never a crash, never blame."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from hostile import HUGE, huge_amount

from disclosure_lint.api import lint
from disclosure_lint.errors import PackError
from disclosure_lint.numbers import MAX_DIGITS, parse_amount
from disclosure_lint.packs.load import load_pack


def test_an_amount_of_27_digits_is_one_cell_finding_and_blames_nothing_else(tmp_path, fixed_example, pack):
    path = tmp_path / "huge.txt"
    path.write_text(huge_amount(fixed_example.read_text(encoding="utf-8")), encoding="utf-8")
    result = lint(path, pack)
    assert [(d.rule, d.loc.line, d.message) for d in result.diagnostics] == [
        ("E.CELL", 165, f"本年支出合计列的“{HUGE}”位数过多（超过 {MAX_DIGITS} 位），不是可核对的金额")
    ]
    assert result.outcomes["T03.ROW-SUM"].not_assessable >= 1


def test_parse_amount_refuses_more_digits_than_the_limit():
    assert parse_amount("9" * MAX_DIGITS) == (Decimal("9" * MAX_DIGITS), 0)
    assert parse_amount("9" * (MAX_DIGITS + 1)) is None
    assert parse_amount("1,234,567,890,123,456,789.00") is None


def test_a_huge_number_stored_in_a_workbook_is_one_cell_finding(make_xlsx, fixed_example, tmp_path, pack):
    built = make_xlsx(text=fixed_example.read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(built.path)
    changed = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            if row[0].value == "合计" and any(c.value == 4384.83 for c in row) and changed == 0:
                cell = next(c for c in row if c.value == 4384.83)
                cell.value = 1.2345e30
                changed += 1
    assert changed == 1
    path = tmp_path / "huge.xlsx"
    wb.save(path)
    diagnostics = lint(path, pack).diagnostics
    assert not [d for d in diagnostics if d.severity == "error"]
    found = [d for d in diagnostics if d.rule == "E.CELL"]
    assert [d.severity for d in found] == ["warning"]
    assert "位数过多" in found[0].message


def test_a_huge_number_in_the_narrative_is_not_assessable(tmp_path, fixed_example, pack):
    text = fixed_example.read_text(encoding="utf-8")
    stated = "2024年度支出合计4,384.83万元"
    assert stated in text
    path = tmp_path / "narrative.txt"
    path.write_text(text.replace(stated, f"2024年度支出合计{'9' * 30}万元"), encoding="utf-8")
    result = lint(path, pack)
    assert [d.rule for d in result.diagnostics if d.severity == "error"] == []
    reasons = [r for o in result.outcomes.values() for r in o.reasons]
    assert "说明中的数字“99999999999999999999999…”位数过多，无法核对" in reasons


@pytest.mark.parametrize(
    "clause",
    [
        "  assert 公开01表.收入[本年收入合计].金额 <= 1234567890123456789012345678901",
        "  tolerance 1234567890123456789012345678901\n  assert 公开01表.收入[本年收入合计].金额 == 1",
    ],
)
def test_a_number_literal_too_large_is_a_pack_error_with_its_position(tmp_path, clause):
    source = load_pack("cn-final-accounts-2024").path
    pack_dir = tmp_path / "pack"
    pack_dir.mkdir()
    (pack_dir / "pack.yaml").write_text(f"id: big\nextends: {source}\nrule_files: [big.rules]\n", encoding="utf-8")
    (pack_dir / "big.rules").write_text(f'rule Z.BIG "大数"\n  severity error\n{clause}\n', encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_pack(str(pack_dir))
    err = info.value
    col = clause.splitlines()[0].index("1234") + 1
    assert (err.path, err.line, err.col) == (str(pack_dir / "big.rules"), 3, col)
    assert err.message == f"数字 12345678901234567890… 位数过多（最多 {MAX_DIGITS} 位）"
