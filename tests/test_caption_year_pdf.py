"""N.CAPTION-YEAR on typeset PDFs: the year printed apart from the table title is checked too.

Published tables print the year on a line of its own above or below the title, or in the caption
row with the 编制单位 and the money unit. Each layout is typeset with reportlab, the table on the
second page, and read back: a wrong year is one finding on the page the year is printed on, the
report's own year none.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from pdfgen import build_pdf

from disclosure_lint.api import lint
from disclosure_lint.packs.load import load_pack
from disclosure_lint.readers.text import parse_text

PACK = "cn-final-accounts-2024"
RULE = "N.CAPTION-YEAR"
TABLE = """| 项目 | | 本年收入合计 | 财政拨款收入 | 上级补助收入 | 事业收入 | 经营收入 | 附属单位上缴收入 | 其他收入 |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| 科目代码 | 科目名称 | | | | | | | |
| 栏次 | | 1 | 2 | 3 | 4 | 5 | 6 | 7 |
| 合计 | | 100.00 | 100.00 | | | | | |
| 201 | 一般公共服务支出 | 100.00 | 100.00 | | | | | |
"""
# Enough prose to fill the first page, so the table and its caption are printed on the second.
PROSE = "\n\n".join(
    f"{n}、本部门按照年度工作安排，统筹推进各项业务，加强预算管理和内部控制，"
    "规范资金使用，提高财政资金使用效益，保障机构正常运转和各项重点工作顺利完成。"
    for n in range(1, 26)
)
LAYOUTS = {
    "above": "{year}\n\n收入决算表\n\n公开02表\n\n部门名称：示例市数据局\n\n金额单位：万元",
    "below": "收入决算表\n\n{year}\n\n公开02表\n\n部门名称：示例市数据局\n\n金额单位：万元",
    "unit-row": "收入决算表\n\n公开02表\n\n编制单位：示例市数据局　　{year}　　金额单位：万元",
}


def _pdf(tmp_path: Path, layout: str, year: str) -> Path:
    caption = LAYOUTS[layout].format(year=year)
    text = f"# 示例市数据局2024年度部门决算\n\n## 一、部门职责\n\n{PROSE}\n\n{caption}\n\n{TABLE}"
    out = tmp_path / f"{layout}-{year}.pdf"
    return build_pdf(parse_text(text, str(out)), list(load_pack(PACK).specs.values()), out)


def _page_of(path: Path, text: str) -> int:
    with pdfplumber.open(path) as pdf:
        pages = [i for i, page in enumerate(pdf.pages, 1) if text in (page.extract_text() or "").replace(" ", "")]
    assert len(pages) == 1, pages
    return pages[0]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_wrong_year_printed_apart_from_the_title_is_one_finding_on_its_page(tmp_path, layout):
    path = _pdf(tmp_path, layout, "2023年度")
    found = [d for d in lint(path, PACK).diagnostics if d.rule == RULE]
    assert len(found) == 1, [d.message for d in found]
    (d,) = found
    assert d.severity == "error"
    assert "“2023年度”" in d.message and "2023 年" in d.message
    assert d.loc.page == _page_of(path, "2023年度") == 2


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_the_report_year_printed_apart_from_the_title_passes(tmp_path, layout):
    path = _pdf(tmp_path, layout, "2024年度")
    result = lint(path, PACK)
    assert [d for d in result.diagnostics if d.rule == RULE] == []
    assert result.outcomes[RULE].passed == 1
    # The year and the unit in the 编制单位 row are not part of the department's name.
    assert [d.message for d in result.diagnostics if d.rule == "N.CAPTION-NAME"] == []
    assert result.report.meta.department == "示例市数据局"
