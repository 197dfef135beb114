"""Table checks a template prints only sometimes: the 人员经费/公用经费 split of the budget 总表,
checked against the basic-expenditure table only where the split is printed with amounts."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edited
from pdfgen import build_pdf

from disclosure_lint.api import lint
from disclosure_lint.packs.load import load_pack
from disclosure_lint.readers.text import parse_text

PACK = "cn-budget-2026"
RULE = "X.T01-T06"
EXAMPLES = Path(__file__).parent.parent / "rules" / PACK / "examples" / RULE
TITLES = ("2026年部门财务收支预算总表", "2026年部门一般公共预算基本支出经济分类预算表")
SPLIT_TOTAL = "本年支出合计\t10,255,600.00\t3,804,100.00\t401,500.00"


def _report() -> str:
    """The passing example without its comment line: 总表 with the split, and the basic table."""
    return (EXAMPLES / "pass.md").read_text(encoding="utf-8").split("\n", 2)[2]


def _pdf(tmp_path: Path, text: str) -> Path:
    """Typeset with the cover and the table titles as headings, as published budgets set them."""
    text = "# " + text
    for title in TITLES:
        text = text.replace(f"\n{title}\n", f"\n## {title}\n", 1)
    out = tmp_path / "budget.pdf"
    return build_pdf(parse_text(text, str(out)), list(load_pack(PACK).specs.values()), out)


def _check(path: Path):
    result = lint(path, PACK)
    return result.outcomes[RULE], [d for d in result.diagnostics if d.rule == RULE]


def test_split_columns_at_least_the_basic_table_pass_in_a_pdf(tmp_path):
    outcome, found = _check(_pdf(tmp_path, _report()))
    assert (outcome.passed, outcome.failed, found) == (2, 0, [])


def test_a_split_column_below_the_basic_table_is_an_error_in_a_pdf(tmp_path):
    text = edited(_report(), [(SPLIT_TOTAL, "本年支出合计\t10,255,600.00\t3,804,100.00\t301,500.00")])
    outcome, found = _check(_pdf(tmp_path, text))
    assert outcome.passed == 1 and len(found) == 1
    (d,) = found
    assert d.severity == "error" and d.loc.page is not None
    assert "公用经费 301500.00元" in d.message and "401500.00元" in d.message


@pytest.mark.parametrize("blank", ["", "——"])
def test_split_columns_printed_blank_are_not_read_as_zero(tmp_path, blank):
    """The header prints 人员经费 and 公用经费 but no line has an amount in them."""
    lines = []
    for line in _report().splitlines():
        cells = line.split("\t")
        if len(cells) == 6 and cells[3][:1].isdigit():
            cells[4:] = [blank, blank]
        lines.append("\t".join(cells))
    path = tmp_path / "blank.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = lint(path, PACK)
    assert "人员经费" in result.report.tables["财务收支预算总表"].columns
    outcome, found = result.outcomes[RULE], [d for d in result.diagnostics if d.rule == RULE]
    assert (outcome.passed, outcome.failed, found) == (0, 0, [])


def test_a_total_table_without_the_split_is_not_assessed(tmp_path):
    text = (EXAMPLES.parent / "T01.BALANCE" / "pass.md").read_text(encoding="utf-8")
    basic = _report().split("2026年部门一般公共预算基本支出经济分类预算表", 1)[1]
    path = tmp_path / "plain.md"
    path.write_text(text + "\n2026年部门一般公共预算基本支出经济分类预算表" + basic, encoding="utf-8")
    outcome, found = _check(path)
    assert (outcome.passed, outcome.failed, found) == (0, 0, [])
    assert any("未识别到列“人员经费”" in r for r in outcome.reasons)
