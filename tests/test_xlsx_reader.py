"""The XLSX reader gives the Document the text reader gives for the same report, in every layout."""

from __future__ import annotations

import openpyxl
import pytest
from conftest import EXAMPLE
from xlsx_factory import Layout, set_cached_value

from disclosure_lint.api import read_report
from disclosure_lint.formatters.text import place
from disclosure_lint.model import Heading, Paragraph, RawTable, Report
from disclosure_lint.readers import read_document
from disclosure_lint.readers.numfmt import format_number
from disclosure_lint.readers.xlsx import read_xlsx

LAYOUTS = {
    "sheet-per-table": Layout(),
    "stacked": Layout(stacked=True),
    "stacked-without-blank-rows": Layout(stacked=True, blank_between=False),
    "merged": Layout(merged=True),
    "merged-stacked": Layout(merged=True, stacked=True, blank_between=False),
    "numbers-as-text": Layout(numbers_as_text=True),
    "thousands": Layout(thousands=True),
    "formula-cached": Layout(formula="cached"),
}


def table_facts(report: Report) -> dict:
    return {
        tid: [
            (r.key, r.block, r.labels, {c: (v.amount, v.decimals, v.blank) for c, v in r.cells.items()}) for r in t.rows
        ]
        for tid, t in report.tables.items()
    }


def section_facts(report: Report) -> list:
    return [(s.title, s.level, s.parent, [p.text for p in s.paragraphs]) for s in report.sections]


@pytest.fixture(scope="module")
def text_report(pack) -> Report:
    return read_report(EXAMPLE, pack)[0]


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_report_matches_text_form(make_xlsx, pack, text_report, layout):
    report = read_report(make_xlsx(layout).path, pack)[0]
    assert table_facts(report) == table_facts(text_report)
    assert {t: [n.text for n in x.notes] for t, x in report.tables.items()} == {
        t: [n.text for n in x.notes] for t, x in text_report.tables.items()
    }
    assert {t: x.unit for t, x in report.tables.items()} == {t: x.unit for t, x in text_report.tables.items()}
    assert section_facts(report) == section_facts(text_report)
    assert (report.meta.department, report.meta.year, report.meta.kind, report.meta.unit) == (
        text_report.meta.department,
        text_report.meta.year,
        text_report.meta.kind,
        text_report.meta.unit,
    )
    assert len(report.unmatched) == len(text_report.unmatched)
    assert report.problems == []


def test_sheets_without_captions_are_named_after_their_table(make_xlsx, pack, text_report):
    built = make_xlsx(Layout(captions=False))
    doc = read_xlsx(built.path)
    named = [b for b in doc.blocks if isinstance(b, Paragraph) and b.loc.cell is None]
    assert [b.text for b in named] == [t for t in text_report.tables if not pack.specs[t].attachment]
    assert all(b.loc.sheet == b.text for b in named)
    assert table_facts(read_report(built.path, pack)[0]) == table_facts(text_report)


@pytest.mark.parametrize(
    "layout",
    [Layout(), Layout(thousands=True), Layout(merged=True, stacked=True)],
    ids=["plain", "thousands", "merged-stacked"],
)
def test_every_value_points_at_the_cell_it_was_read_from(make_xlsx, pack, text_report, layout):
    built = make_xlsx(layout)
    report = read_report(built.path, pack)[0]
    wb = openpyxl.load_workbook(built.path)
    checked = 0
    tables = [t for t in report.tables.values() if not pack.specs[t.id].attachment]
    for table in tables:
        for row in table.rows:
            for value in row.cells.values():
                if value.blank:
                    continue
                cell = wb[value.loc.sheet][value.loc.cell]
                assert format_number(cell.value, cell.number_format) == value.raw
                assert place(value.loc) == f"{built.path}:{value.loc.sheet}!{value.loc.cell}"
                checked += 1
    assert checked == sum(
        not v.blank
        for t in text_report.tables.values()
        if not pack.specs[t.id].attachment
        for r in t.rows
        for v in r.cells.values()
    )


def test_merged_ranges_keep_the_value_top_left_and_blank_covered_cells(make_xlsx):
    built = make_xlsx(Layout(merged=True))
    doc = read_xlsx(built.path)
    cells = {
        (c.loc.sheet, c.loc.cell): c.text for b in doc.blocks if isinstance(b, RawTable) for row in b.rows for c in row
    }
    wb = openpyxl.load_workbook(built.path)
    ranges = [(ws.title, rng) for ws in wb.worksheets for rng in ws.merged_cells.ranges]
    in_tables = [(s, r) for s, r in ranges if (s, r.start_cell.coordinate) in cells]
    assert any(r.max_row > r.min_row for _, r in in_tables)
    assert any(r.max_col > r.min_col for _, r in in_tables)
    for sheet, rng in in_tables:
        anchor = rng.start_cell.coordinate
        assert cells[(sheet, anchor)] == " ".join(str(wb[sheet][anchor].value).split())
        covered = [f"{openpyxl.utils.get_column_letter(c)}{r}" for r, c in rng.cells][1:]
        assert all(cells[(sheet, coord)] == "" for coord in covered if (sheet, coord) in cells)


def test_formula_with_cached_value_reads_the_value(make_xlsx, pack):
    built = make_xlsx(Layout(formula="cached"))
    sheet, coord = built.formula_cell
    assert openpyxl.load_workbook(built.path)[sheet][coord].value.startswith("=SUM(")
    report = read_report(built.path, pack)[0]
    total = report.tables["公开03表"].rows[0]
    assert total.cells["本年支出合计"].raw == built.formula_value
    assert (total.cells["本年支出合计"].loc.sheet, total.cells["本年支出合计"].loc.cell) == (sheet, coord)


def test_formula_without_cached_value_is_a_problem(make_xlsx):
    built = make_xlsx(Layout(formula="missing"))
    doc = read_xlsx(built.path)
    assert [(p.code, p.loc.sheet, p.loc.cell) for p in doc.problems] == [("E.FORMULA", *built.formula_cell)]
    message = doc.problems[0].message
    assert "=SUM(" in message and "计算结果" in message and "\n" not in message


def _small_workbook(tmp_path, name, fill) -> str:
    wb = openpyxl.Workbook()
    fill(wb.active)
    path = tmp_path / name
    wb.save(path)
    return path


def test_formula_with_empty_text_result_and_error_values(tmp_path):
    def fill(ws):
        ws.title = "数据"
        ws["A1"], ws["B1"], ws["C1"] = "项目", "金额", "比例"
        ws["A2"], ws["B2"], ws["C2"] = "办公费", '=IF(1,"",0)', "#DIV/0!"

    path = _small_workbook(tmp_path, "f.xlsx", fill)
    set_cached_value(path, "xl/worksheets/sheet1.xml", "B2", "", text=True)
    doc = read_xlsx(path)
    assert [(p.code, p.loc.cell) for p in doc.problems] == [("E.FORMULA", "C2")]
    assert "#DIV/0!" in doc.problems[0].message
    table = next(b for b in doc.blocks if isinstance(b, RawTable))
    assert [c.text for c in table.rows[1]] == ["办公费", "", ""]


def test_hidden_sheets_rows_and_columns_are_not_read(make_xlsx, pack, text_report, tmp_path):
    wb = openpyxl.load_workbook(make_xlsx(Layout()).path)
    ws = wb["公开03表"]
    for r in range(1, ws.max_row + 1):
        ws.cell(r, 12, "内部编码")
    ws.column_dimensions["L"].hidden = True
    ws.insert_rows(12)
    ws.cell(12, 1, "2019999")
    ws.cell(12, 3, 99999.0)
    ws.row_dimensions[12].hidden = True
    junk = wb.create_sheet("底稿", 0)
    junk["A1"], junk["B1"] = "公开03表", "草稿"
    junk.sheet_state = "hidden"
    path = tmp_path / "hidden.xlsx"
    wb.save(path)
    report = read_report(path, pack)[0]
    assert table_facts(report) == table_facts(text_report)
    assert all(v.loc.cell[0] != "L" for r in report.tables["公开03表"].rows for v in r.cells.values())


def test_narrative_cells_become_headings_and_paragraphs(tmp_path):
    def fill(ws):
        ws.title = "情况说明"
        ws["A1"] = "第三部分 情况说明"
        ws["A1"].font = openpyxl.styles.Font(bold=True, size=16)
        ws["A2"] = "一、收入支出决算总体情况说明"
        ws["A2"].font = openpyxl.styles.Font(bold=True, size=12)
        ws["A3"] = "2024年度收入总计4,384.83万元，\n支出总计4,384.83万元。\n\n与上年相比持平。"
        ws["A4"] = "加粗但以句号结束的一句话。"
        ws["A4"].font = openpyxl.styles.Font(bold=True)

    doc = read_xlsx(_small_workbook(tmp_path, "n.xlsx", fill))
    got = [(type(b).__name__, b.text, getattr(b, "level", None), b.loc.cell) for b in doc.blocks]
    assert got == [
        ("Heading", "第三部分 情况说明", 1, "A1"),
        ("Heading", "一、收入支出决算总体情况说明", 2, "A2"),
        ("Paragraph", "2024年度收入总计4,384.83万元，支出总计4,384.83万元。", None, "A3"),
        ("Paragraph", "与上年相比持平。", None, "A3"),
        ("Paragraph", "加粗但以句号结束的一句话。", None, "A4"),
    ]
    para = doc.blocks[2]
    assert isinstance(para, Paragraph) and para.locate(5, 10).cell == "A3"


def test_caption_row_with_several_cells_splits_into_paragraphs(tmp_path):
    def fill(ws):
        ws["A1"] = "支出决算表"
        ws["A2"], ws["C2"], ws["E2"] = "部门名称：某某局", "2024年度", "金额单位：万元"
        ws.append(["科目代码", "科目名称", "本年支出合计", "基本支出", "项目支出"])
        ws.append(["201", "一般公共服务支出", 10.5, 10.5, None])
        ws.append(["注：本表反映部门本年度各项支出情况。"])
        ws.append(["收入决算表"])
        ws.append(["科目代码", "科目名称", "本年收入合计"])
        ws.append(["201", "一般公共服务支出", 10.5])

    doc = read_xlsx(_small_workbook(tmp_path, "c.xlsx", fill))
    kinds = [(type(b).__name__, b.text if not isinstance(b, RawTable) else len(b.rows)) for b in doc.blocks]
    assert kinds == [
        ("Paragraph", "支出决算表"),
        ("Paragraph", "部门名称：某某局"),
        ("Paragraph", "2024年度"),
        ("Paragraph", "金额单位：万元"),
        ("RawTable", 2),
        ("Paragraph", "注：本表反映部门本年度各项支出情况。"),
        ("Paragraph", "收入决算表"),
        ("RawTable", 2),
    ]
    assert isinstance(doc.blocks[0], Paragraph) and not isinstance(doc.blocks[0], Heading)


def test_read_document_dispatches_by_content(make_xlsx):
    built = make_xlsx(Layout())
    data = built.path.read_bytes()
    doc = read_document(built.path.with_suffix(".txt"), data)
    assert doc.format == "xlsx"
    assert any(isinstance(b, RawTable) for b in doc.blocks)
