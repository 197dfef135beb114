"""Published PDFs (tests/corpus): the Shanghai layout is recognized cell by cell and checked by its pack."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from disclosure_lint import lint
from disclosure_lint.cli import main
from disclosure_lint.errors import PackError
from disclosure_lint.model import Meta, Paragraph, RawTable
from disclosure_lint.packs.load import select_pack
from disclosure_lint.readers import read_document

CORPUS = Path(__file__).resolve().parent / "corpus"
PUTUO = CORPUS / "shanghai-putuo-finance-bureau-2024-final.pdf"
TEMPLATE = CORPUS / "shanghai-2024-final-accounts-template.pdf"
BUDGET = CORPUS / "shanghai-putuo-justice-bureau-2026-budget.pdf"


@pytest.fixture(scope="module")
def putuo():
    return lint(PUTUO)


def cell(report, table: str, key: str, column: str, block: str | None = None):
    row = next(r for r in report.tables[table].rows if r.key == key and (block is None or r.block == block))
    return row.cells[column]


def test_putuo_uses_the_shanghai_pack(putuo):
    assert putuo.pack.id == "cn-final-accounts-2024-shanghai"
    assert putuo.report.meta.department == "上海市普陀区财政局"
    assert putuo.report.meta.year == 2024


def test_putuo_every_table_found(putuo):
    tables = putuo.report.tables
    assert sorted(tables) == [f"公开0{n}表" for n in range(1, 10)]
    assert {tid: len(t.rows) for tid, t in tables.items() if tid in ("公开02表", "公开03表", "公开05表")} == {
        "公开02表": 20,
        "公开03表": 20,
        "公开05表": 20,
    }
    assert putuo.report.unmatched and all(t.loc.page == 5 for t in putuo.report.unmatched)


def test_putuo_cells_in_their_rows_and_columns(putuo):
    report = putuo.report
    value = cell(report, "公开01表", "一般公共预算财政拨款收入", "金额", "收入")
    assert (value.amount, value.raw, value.loc.page) == (Decimal("2940.05"), "2,940.05", 6)
    assert cell(report, "公开01表", "社会保障和就业支出", "金额", "支出").amount == Decimal("326.71")
    assert cell(report, "公开01表", "总计", "金额", "支出").loc.page == 7
    assert cell(report, "公开02表", "2010601", "其他收入").amount == Decimal("0.01")
    assert cell(report, "公开03表", "2010601", "项目支出").amount == Decimal("8.37")
    assert cell(report, "公开03表", "2210203", "基本支出").loc.page == 11
    assert cell(report, "公开04表", "总计", "一般公共预算财政拨款", "支出").amount == Decimal("2961.68")
    assert cell(report, "公开05表", "合计", "基本支出").amount == Decimal("2336.91")
    assert cell(report, "公开06表", "30102", "决算数", "人员经费").amount == Decimal("1238.58")
    assert cell(report, "公开06表", "31002", "决算数", "公用经费").loc.page == 17
    assert cell(report, "公开06表", "公用经费合计", "决算数", "公用经费").amount == Decimal("184.65")


def test_putuo_wrapped_and_letter_spaced_labels_read_as_printed(putuo):
    rows = {r.key: r for r in putuo.report.tables["公开06表"].rows}
    assert rows["30212"].labels["科目名称"] == "因公出国（境）费用"
    assert rows["31007"].labels["科目名称"] == "信息网络及软件购置更新"
    assert rows["30108"].labels["科目名称"] == "机关事业单位基本养老保险缴费"


def test_putuo_three_public_table_is_seven(putuo):
    table = putuo.report.tables["公开09表"]
    assert putuo.pack.specs["公开09表"].code == "公开07表"
    (row,) = table.rows
    assert row.cells["预算合计"].amount == Decimal("0.95")
    assert row.cells["预算公务接待费"].amount == Decimal("0.95")
    assert all(row.cells[c].blank for c in ("决算合计", "预算因公出国费", "决算公务接待费"))


def test_putuo_rounding_differences_pass_and_real_defects_fail(putuo):
    outcomes = putuo.outcomes
    assert outcomes["X.T03-T01"].failed == 0 and outcomes["X.T03-T01"].passed == 4
    assert outcomes["T06.ROLLUP"].failed == 0
    findings = sorted((d.rule, d.severity, d.loc.page) for d in putuo.diagnostics)
    assert findings == [("N.FISCAL-TOTAL", "error", 21), ("N.GPB-CLASS", "error", 21)]
    stated = next(d for d in putuo.diagnostics if d.rule == "N.FISCAL-TOTAL")
    assert stated.actual == Decimal("0.3") and stated.expected == Decimal("2961.68")
    share = next(d for d in putuo.diagnostics if d.rule == "N.GPB-CLASS")
    assert share.actual == Decimal("71.73")


def test_putuo_numbers_in_another_font_read_inline():
    doc = read_document(PUTUO)
    para = next(b for b in doc.blocks if isinstance(b, Paragraph) and b.text.startswith("本年收入合计"))
    assert para.text.startswith("本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%")
    assert para.loc.page == 21
    start = para.text.index("2946.25")
    x0, top, x1, bottom = para.locate(start, start + 7).bbox
    assert 30 < x1 - x0 < 50 and 0 < bottom - top < 15


def test_putuo_headings_are_their_own_blocks():
    doc = read_document(PUTUO)
    texts = [b.text for b in doc.blocks if not isinstance(b, RawTable) and b.loc.page == 21]
    assert "一、收入支出决算总体情况说明" in texts
    assert "（一）一般公共预算财政拨款支出决算总体情况" in texts
    assert not any(t.startswith("“ ”") or t == "2024" for t in texts)
    titles = [b.text for b in doc.blocks if not isinstance(b, RawTable) and b.loc.page == 18]
    assert titles[0] == "财政拨款“三公”经费支出决算表"


def test_template_checks_without_traceback():
    result = CliRunner().invoke(main, ["check", str(TEMPLATE)])
    assert result.exit_code == 1
    # Tables 01-07 of the template are blank and carry no note; 08 and 09 carry
    # "说明：…故本表无数据。" after an instruction line that ends in a colon.
    flagged = [line for line in result.output.splitlines() if "S.EMPTY-NOTE" in line]
    assert len(flagged) == 7
    assert not any("公开08表" in line or "公开09表" in line for line in flagged)


def test_budget_gets_the_shanghai_budget_pack():
    assert lint(BUDGET).pack.id == "cn-budget-2026-shanghai"
    result = CliRunner().invoke(main, ["check", str(BUDGET)])
    assert result.exit_code == 1
    assert "E.INPUT" not in result.output
    # A budget year without a pack is checked with the nearest year's pack, or refused in one line.
    assert select_pack(Meta(department="上海市普陀区司法局", year=2027, kind="预算"), str(BUDGET)).id == (
        "cn-budget-2026-shanghai"
    )
    with pytest.raises(PackError, match="没有适用于 2027 年度预算报告的规则包"):
        select_pack(Meta(department="上海市普陀区司法局", year=2027, kind="预算"), str(BUDGET), strict=True)


def test_budget_tables_in_yuan_are_read():
    doc = read_document(BUDGET)
    tables = [b for b in doc.blocks if isinstance(b, RawTable)]
    assert len(tables) == 12
    assert [c.text for c in tables[0].rows[2]] == [
        "一、财政拨款收入",
        "96,282,213.44",
        "一、公共安全支出",
        "87,267,272.44",
    ]
