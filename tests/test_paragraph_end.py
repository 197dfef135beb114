"""H.PARAGRAPH-END on PDFs: a paragraph end is judged only where the page shows one.

The PDF reader rebuilds paragraphs from lines. A paragraph whose last line stops short is ended;
one whose last line runs to the right margin and is followed by nothing but a blank gap and a
flush-left line may just as well go on (a stray space inside a sentence): the reader marks that
end unsure and the rule leaves it alone. Pages are drawn glyph by glyph on a reportlab canvas, so
each line sits exactly where the case needs it.
"""

from __future__ import annotations

from pathlib import Path

from pdfgen import build_pdf
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from disclosure_lint.api import lint
from disclosure_lint.packs.load import load_pack
from disclosure_lint.readers import open_document
from disclosure_lint.readers.text import parse_text

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
PACK = "cn-final-accounts-2024"
RULE = "H.PARAGRAPH-END"
LEFT, SIZE, PITCH = 72.0, 12.0, 18.0
FULL = 37  # characters of a full line: 37 × 12 pt from the left margin
BODY = "本部门按照年度工作安排统筹推进各项业务加强预算管理和内部控制规范资金使用提高财政资金使用效益"


def _chars(n: int, tail: str = "") -> str:
    """``n`` characters of running text ending with ``tail``."""
    text = (BODY * 3)[: n - len(tail)] + tail
    return text[:4] + "，" + text[5:] if n > 8 else text


def _draw(path: Path) -> Path:
    """A 情况说明 page: an ordinary paragraph, one broken by a blank gap after a full line, one
    whose short last line lacks its full stop, and a last ordinary one."""
    lines: list[tuple[float, str, float]] = [  # x, text, extra space above
        (LEFT + 2 * SIZE, _chars(FULL - 2), 0),
        (LEFT, _chars(FULL), 0),
        (LEFT, _chars(12, "。"), 0),
        (LEFT + 2 * SIZE, _chars(FULL - 2), 0),
        (LEFT, _chars(FULL), 0),  # runs to the margin, no punctuation ...
        (LEFT, _chars(14, "。"), PITCH),  # ... then a blank gap and a flush-left line
        (LEFT + 2 * SIZE, _chars(FULL - 2), 0),
        (LEFT, _chars(10, "资金"), 0),  # short, no full stop: the paragraph ends here without one
        (LEFT + 2 * SIZE, _chars(FULL - 2), 0),
        (LEFT, _chars(FULL), 0),
        (LEFT, _chars(9, "。"), 0),
    ]
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont(FONT, 20)
    canvas.drawCentredString(A4[0] / 2, 780, "示例市数据局2024年度部门决算")
    canvas.setFont(FONT, 16)
    canvas.drawString(LEFT, 730, "第一部分 部门概况")
    canvas.setFont(FONT, SIZE)
    y = 700.0
    for x, text, gap in lines:
        y -= gap
        canvas.drawString(x, y, text)
        y -= PITCH
    canvas.showPage()
    canvas.save()
    return path


def test_the_reader_marks_a_gap_after_a_full_line_as_an_unsure_end(tmp_path):
    with open_document(_draw(tmp_path / "gap.pdf")) as source:
        doc = source.document()
    paragraphs = [b for b in doc.blocks if type(b).__name__ == "Paragraph"]
    unsure = [p.text for p in paragraphs if p.end_unsure]
    assert len(unsure) == 1 and not unsure[0].endswith("。")
    assert sum(not p.end_unsure for p in paragraphs) == len(paragraphs) - 1


def test_only_the_paragraph_whose_short_last_line_lacks_a_full_stop_is_reported(tmp_path):
    result = lint(_draw(tmp_path / "gap.pdf"), PACK)
    found = [d for d in result.diagnostics if d.rule == RULE]
    assert len(found) == 1, [d.message for d in found]
    (d,) = found
    assert d.severity == "info" and d.loc.page == 1
    assert d.message == "段落末尾“年度工资金”之后缺少句号“。”"  # the short line: 本部门按，年度工资金


def test_a_typeset_report_finds_the_missing_full_stop_and_nothing_else(tmp_path):
    text = (
        "# 示例市数据局2024年度部门决算\n\n## 一、说明\n\n"
        "全部完成既定绩效目标，项目已验收，资金使用规范，达到了预期的效果。\n\n"
        "根据预算绩效管理要求，组织对所有项目开展了绩效自评，在满足业务工作的前提下，"
        "严格控制一般性支出，尽可能节约财政资金\n\n"
        "本年度主要开展了以下工作：\n\n"
        "一般公共预算财政拨款支出主要用于机关运行，比上年略有增加。\n"
    )
    out = tmp_path / "typeset.pdf"
    path = build_pdf(parse_text(text, str(out)), list(load_pack(PACK).specs.values()), out)
    found = [d for d in lint(path, PACK).diagnostics if d.rule == RULE]
    assert [d.message for d in found] == ["段落末尾“尽可能节约财政资金”之后缺少句号“。”"]
    assert found[0].loc.page == 1
