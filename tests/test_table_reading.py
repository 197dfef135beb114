"""Tables as real producers print them are read right, or reported as not read: never misread.

Each class of misreading seen on published PDFs is shown with a report typeset to have it (the
text form goes through the same recognizer, so both forms must agree): the unit caption inside
the ruled frame, amounts printed as whole numbers, the 合计 row alone on the next page with its
label merged over the key columns, full-width thousands separators, subject codes printed in
pieces without the leading zero of the 款, and the 本表无数据 note after a template instruction.
A table that still cannot be read is one E.TABLE-UNREAD warning, and no rule judges it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLE
from pdfgen import Variant

from disclosure_lint import lint
from disclosure_lint.model import RawTable
from disclosure_lint.readers import read_document


def _tsv(text: str) -> str:
    """Table rows are written with ``|`` between cells here and read with tabs, as the reports have them."""
    return text.replace("|", "\t")


HEAD = """收入支出决算总表

公开01表

部门名称：示例市数据局

2024年度

金额单位：{unit}

"""

# A two-sided 收支总表 printed in 元 without decimals, commas or 行次/栏次: no cell looks like a
# rounded amount, yet every row is data.
WHOLE_NUMBERS = HEAD.format(unit="元") + _tsv(
    """收入||支出|
项目|金额|项目|金额
一、一般公共预算财政拨款收入|43647500|一、一般公共服务支出|2502100
二、政府性基金预算财政拨款收入||六、科学技术支出|39961200
五、事业收入|200000|八、社会保障和就业支出|993300
八、其他收入||十九、住房保障支出|390900
本年收入合计|43847500|本年支出合计|43847500
使用非财政拨款结余（含专用结余）||结余分配|
年初结转和结余|125000|年末结转和结余|125000
总计|43972500|总计|43972500
"""
)

# 公开05表 with the 合计 row last, as the Shanghai template prints it.
TOTAL_LAST = _tsv(
    """一般公共预算财政拨款支出决算表

公开05表

部门名称：示例市数据局

2024年度

金额单位：万元

项目||本年支出||
科目代码|科目名称|小计|基本支出|项目支出
201|一般公共服务支出|250.21|225.23|24.98
20105|统计信息事务|249.28|224.30|24.98
2010504|信息事务|249.28|224.30|24.98
20132|组织事务|0.93|0.93|
2013299|其他组织事务支出|0.93|0.93|
206|科学技术支出|3976.12|140.39|3835.73
20601|科学技术管理事务|140.39|140.39|
2060101|行政运行|140.39|140.39|
20699|其他科学技术支出|3835.73||3835.73
2069999|其他科学技术支出|3835.73||3835.73
合计||4226.33|365.62|3860.71
"""
)

# 公开06表 whose economic codes are printed in two pieces, the 款 without its leading zero.
SPLIT_CODES = _tsv(
    """一般公共预算财政拨款基本支出决算明细表

公开06表

部门名称：示例市数据局

2024年度

金额单位：万元

人员经费||公用经费|
科目代码|科目名称|决算数|科目代码|科目名称|决算数
301|工资福利支出|400.50|302|商品和服务支出|60.20
301 1|基本工资|150.25|302 1|办公费|20.10
301 2|津贴补贴|200.00|302 5|水费|0.09
301 7|绩效工资|50.25|302 6|电费|0.62
|||302 99|其他商品和服务支出|39.39
人员经费合计||400.50|公用经费合计||60.20
"""
)


def _unread(result) -> list:
    return [d for d in result.diagnostics if d.rule == "E.TABLE-UNREAD"]


def _errors(result, ignore: tuple[str, ...] = ("S.REQUIRED-TABLE",)) -> list:
    return [d for d in result.diagnostics if d.severity == "error" and d.rule not in ignore]


@pytest.fixture(scope="module")
def forms(tmp_path_factory, make_pdf):
    """Each fragment as text and typeset as PDF (with the given layout)."""
    folder = tmp_path_factory.mktemp("reading")

    def both(name: str, text: str, variant: Variant | None = None) -> tuple[Path, Path]:
        path = folder / f"{name}.md"
        path.write_text(text, encoding="utf-8")
        return path, make_pdf(text, variant or Variant(split=()))

    return both


def test_whole_number_amounts_are_data(forms, pack):
    for path in forms("whole", WHOLE_NUMBERS):
        result = lint(path, pack)
        table = result.report.tables["公开01表"]
        income = {r.key: r.cells["金额"].amount for r in table.rows if r.block == "收入" and not r.cells["金额"].blank}
        assert income["本年收入合计"] == 43847500, path
        assert table.unit == "元"
        assert not _unread(result) and not _errors(result), path
        for rule in ("T01.INCOME-TOTAL", "T01.EXPENSE-TOTAL", "T01.INCOME-GRAND", "T01.BALANCE"):
            assert result.outcomes[rule].passed >= 1, (path, rule)


def test_total_alone_on_the_next_page_with_a_merged_label(forms, pack):
    text_path, pdf_path = forms(
        "total-last", TOTAL_LAST, Variant(split=(), split_last=("公开05表",), merged_totals=True)
    )
    pages = {b.loc.page for b in read_document(pdf_path).blocks if isinstance(b, RawTable)}
    assert len(pages) == 2, "the 合计 row must stand on a page of its own"
    for path in (text_path, pdf_path):
        result = lint(path, pack)
        total = result.report.tables["公开05表"].rows[-1]
        assert total.key == "合计"
        assert {c: str(v.amount) for c, v in total.cells.items() if not v.blank} == {
            "小计": "4226.33",
            "基本支出": "365.62",
            "项目支出": "3860.71",
        }, path
        assert result.outcomes["T05.TOTAL"].passed >= 1 and not _errors(result), path


def test_full_width_thousands_separators(forms, pack):
    text = WHOLE_NUMBERS.replace("43847500", "43，847，500.00").replace("43972500", "43，972，500.00")
    for path in forms("full-width", text):
        result = lint(path, pack)
        rows = {r.key: r for r in result.report.tables["公开01表"].rows if r.block == "支出"}
        assert rows["本年支出合计"].cells["金额"].amount == 43847500
        assert rows["本年支出合计"].cells["金额"].decimals == 2
        assert not _unread(result) and not _errors(result), path


def test_codes_in_pieces_attach_to_their_class(forms, pack):
    for path in forms("split-codes", SPLIT_CODES):
        result = lint(path, pack)
        rows = result.report.tables["公开06表"].rows
        assert [r.key for r in rows if r.block == "公用经费"][:5] == ["302", "30201", "30205", "30206", "30299"]
        assert result.outcomes["T06.ROLLUP"].passed >= 2 and result.outcomes["T06.ROLLUP"].failed == 0, path
        assert not _unread(result), path


def test_unit_caption_printed_inside_the_frame(make_pdf, example_text, pack):
    inside = ("公开01表", "公开03表", "公开06表", "公开09表")
    path = make_pdf(example_text, Variant(caption_inside=inside))
    grids = [b for b in read_document(path).blocks if isinstance(b, RawTable)]
    assert sum(any("金额单位" in c.text for r in g.rows[:6] for c in r) for g in grids) >= len(inside)
    as_pdf, as_text = lint(path, pack), lint(EXAMPLE, pack)
    assert {t: as_pdf.report.tables[t].unit for t in inside} == dict.fromkeys(inside, "万元")
    assert sorted((d.rule, d.message) for d in as_pdf.diagnostics) == sorted(
        (d.rule, d.message) for d in as_text.diagnostics
    )


def test_empty_note_after_a_template_instruction(tmp_path, pack):
    text = (
        "国有资本经营预算财政拨款支出决算表\n\n公开08表\n\n金额单位：万元\n\n"
        "项目\t\t本年支出\t\t\n科目代码\t科目名称\t合计\t基本支出\t项目支出\n栏次\t\t1\t2\t3\n合计\t\t\t\t\n\n"
        "注：本表反映部门本年度国有资本经营预算财政拨款支出情况。\n\n"
        "无国有资本经营预算财政拨款支出的，仍保留该表格式，并在本表下方作下述说明：\n\n"
        "说明：示例市数据局本年度没有国有资本经营预算财政拨款支出，故本表无数据。\n"
    )
    path = tmp_path / "note.md"
    path.write_text(text, encoding="utf-8")
    result = lint(path, pack)
    assert result.outcomes["S.EMPTY-NOTE"].passed == 1
    assert not [d for d in result.diagnostics if d.rule == "S.EMPTY-NOTE"]


def test_a_table_that_cannot_be_read_is_never_judged(tmp_path, pack):
    """Amounts under headers the schema does not know: the table is reported as not read, and
    neither its empty-looking columns nor the sums that use them become errors."""
    text = TOTAL_LAST.replace("小计\t基本支出\t项目支出", "甲栏\t乙栏\t丙栏")
    path = tmp_path / "unknown-headers.md"
    path.write_text(text, encoding="utf-8")
    result = lint(path, pack)
    unread = _unread(result)
    assert len(unread) == 1 and unread[0].severity == "warning"
    assert "公开05表" in unread[0].message and "未予核对" in unread[0].message
    assert not _errors(result)
    assert result.outcomes["T05.ROW-SUM"].passed == 0 and result.outcomes["T05.ROW-SUM"].not_assessable >= 1
