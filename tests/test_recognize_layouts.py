"""Recognizer cases met in published PDFs: 合计 heading a column group, key-less tables, unit captions."""

from __future__ import annotations

from decimal import Decimal

from disclosure_lint.readers.text import parse_text
from disclosure_lint.recognize import recognize
from disclosure_lint.recognize.meta import read_meta

THREE_PUBLIC = "\n".join(
    [
        "# 财政拨款“三公”经费支出决算表",
        "",
        "单位：万元",
        "",
        "\t".join(["财政拨款“三公”经费"] + [""] * 11),
        "\t".join(["合计", "", "因公出国（境）费", "", "公务用车购置及运行费", "", "", "", "", "", "公务接待费", ""]),
        "\t".join(["", "", "", "", "小计", "", "公务用车购置费", "", "公务用车运行费", "", "", ""]),
        "\t".join(["预算数", "决算数"] * 6),
        "\t".join(["0.95", "", "", "", "", "", "", "", "", "", "0.95", ""]),
    ]
)


def test_total_heading_a_column_group_is_a_header(pack):
    report = recognize(parse_text(THREE_PUBLIC, "t.md"), list(pack.specs.values()))
    (row,) = report.tables["公开09表"].rows
    assert row.cells["预算合计"].amount == Decimal("0.95")
    assert row.cells["预算公务接待费"].amount == Decimal("0.95")
    assert row.cells["决算合计"].blank and row.cells["预算公务用车小计"].blank


def test_blank_total_row_of_an_empty_table_is_data(pack):
    text = "\n".join(
        [
            "# 政府性基金预算财政拨款收入支出决算表",
            "",
            "\t".join(["项目", "", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"]),
            "\t".join(["科目代码", "科目名称", "", "", "小计", "基本支出", "项目支出", ""]),
            "\t".join(["合计", "", "", "", "", "", "", ""]),
            "",
            "注：本表无数据。",
        ]
    )
    table = recognize(parse_text(text, "t.md"), list(pack.specs.values())).tables["公开07表"]
    assert [r.key for r in table.rows] == ["合计"]
    assert all(v.blank for r in table.rows for v in r.cells.values())


def test_unit_caption_is_not_the_department():
    doc = parse_text("上海市普陀区财政局\n\n2024年度部门决算\n\n单位：万元\n\n收入支出决算总表\n", "t.md")
    meta = read_meta(doc)
    assert (meta.department, meta.unit, meta.year, meta.kind) == ("上海市普陀区财政局", "万元", 2024, "决算")
