"""The PDF reader on PDFs typeset from the bundled example, in the layouts published PDFs use."""

from __future__ import annotations

from decimal import Decimal

import pdfplumber
import pytest
from conftest import EXAMPLE
from pdfgen import Variant

from disclosure_lint.api import read_report
from disclosure_lint.labels import squash
from disclosure_lint.model import Paragraph, RawTable
from disclosure_lint.readers.pdfchars import Char
from disclosure_lint.readers.pdflines import group_lines, spell
from disclosure_lint.readers.pdfprose import PageText, strip_running_text

VARIANTS = {
    "split-repeated-header": Variant(split=("公开03表",), repeat_header=True),
    "split-no-header": Variant(split=("公开03表", "公开06表"), repeat_header=False),
    "fake-bold-no-merge": Variant(bold_twice=True, merged_headers=False),
    "unruled": Variant(unruled=("公开01表", "公开05表")),
}


def table_rows(report) -> dict:
    return {
        tid: [(r.key, r.block, {c: v.raw for c, v in r.cells.items()}) for r in t.rows]
        for tid, t in report.tables.items()
    }


@pytest.fixture(scope="module")
def text_report(pack):
    return read_report(EXAMPLE, pack)[0]


@pytest.mark.parametrize("name", list(VARIANTS))
def test_tables_match_the_text_form(name, pack, make_pdf, example_text, text_report):
    report = make_pdf.report(example_text, VARIANTS[name])
    assert table_rows(report) == table_rows(text_report)
    for tid, table in report.tables.items():
        assert [squash(n.text) for n in table.notes] == [squash(n.text) for n in text_report.tables[tid].notes]


def test_prose_matches_the_text_form(make_pdf, example_text, text_report):
    report = make_pdf.report(example_text)
    assert [squash(p.text) for p in report.paragraphs] == [squash(p.text) for p in text_report.paragraphs]
    assert [(squash(s.title), s.level) for s in report.sections] == [
        (squash(s.title), s.level) for s in text_report.sections
    ]


def test_page_numbers_are_not_prose(make_pdf, example_text):
    pdf = make_pdf(example_text)
    with pdfplumber.open(pdf) as doc:
        assert "- 2 -" in doc.pages[1].extract_text()
    texts = [squash(b.text) for b in make_pdf.document(example_text).blocks if not isinstance(b, RawTable)]
    assert not any(t.startswith("-") and t.endswith("-") for t in texts)


def test_table_continued_on_next_page_is_one_table(make_pdf, example_text):
    report = make_pdf.report(example_text, VARIANTS["split-no-header"])
    pages = {r.loc.page for r in report.tables["公开03表"].rows}
    assert len(pages) >= 2
    assert [r.key for r in report.tables["公开03表"].rows].count("合计") == 1


def test_landscape_table_keeps_its_page(make_pdf, example_text):
    pdf = make_pdf(example_text)
    report = make_pdf.report(example_text)
    page = report.tables["公开06表"].rows[0].loc.page
    with pdfplumber.open(pdf) as doc:
        assert doc.pages[page - 1].width > doc.pages[page - 1].height
        assert doc.pages[0].width < doc.pages[0].height
    last = next(r for r in report.tables["公开06表"].rows if r.key == "公用经费合计").cells["决算数"]
    assert last.loc.page == page and last.loc.bbox[2] > 595


def test_fake_bold_is_read_once(make_pdf, example_text):
    pdf = make_pdf(example_text, VARIANTS["fake-bold-no-merge"])
    with pdfplumber.open(pdf) as doc:
        raw = "".join(p.extract_text() for p in doc.pages[:4])
    assert "总总计计" in raw or "合合计计" in raw
    report = make_pdf.report(example_text, VARIANTS["fake-bold-no-merge"])
    assert "总计" in [r.key for r in report.tables["公开01表"].rows]


def test_number_in_a_sentence_gets_a_tight_box(make_pdf, example_text):
    doc = make_pdf.document(example_text)
    para = next(b for b in doc.blocks if isinstance(b, Paragraph) and "基本支出524.12万元" in b.text)
    start = para.text.index("524.12")
    loc = para.locate(start, start + len("524.12"))
    line = next(s for s in para.segments if s.start <= start < s.end).loc
    assert loc.page == line.page
    x0, top, x1, bottom = loc.bbox
    assert line.bbox[0] <= x0 < x1 <= line.bbox[2]
    assert 0 < x1 - x0 < (line.bbox[2] - line.bbox[0]) / 3
    assert top >= line.bbox[1] - 0.01 and bottom <= line.bbox[3] + 0.01


def test_every_cell_has_page_and_box(make_pdf, example_text):
    doc = make_pdf.document(example_text)
    tables = [b for b in doc.blocks if isinstance(b, RawTable)]
    assert len(tables) >= 10
    for table in tables:
        for row in table.rows:
            for cell in row:
                assert cell.loc.page >= 1 and cell.loc.bbox is not None


def _char(text: str, x0: float, baseline: float, size: float = 12.0, width: float | None = None) -> Char:
    w = width if width is not None else (size if ord(text) > 0x2E80 else size / 2)
    return Char(text, x0, baseline - 0.88 * size, x0 + w, baseline + 0.12 * size, size, "F")


def test_digits_on_a_lower_baseline_stay_in_their_line():
    line1 = [_char(c, 72 + 12 * i, 195.0) for i, c in enumerate("合计")]
    digits = [_char(c, 96 + 6 * i, 199.8) for i, c in enumerate("2946.25")]
    tail = [_char(c, 138 + 12 * i, 195.0) for i, c in enumerate("万元")]
    line2 = [_char(c, 72 + 12 * i, 209.0) for i, c in enumerate("其中")]
    lines = group_lines(line2 + tail + digits + line1)
    assert [ln.text for ln in lines] == ["合计2946.25万元", "其中"]


def _line(text: str, baseline: float, x0: float = 72.0):
    (line,) = group_lines([_char(c, x0 + 12 * i, baseline) for i, c in enumerate(text)])
    return line


def test_running_headers_and_page_numbers_are_dropped():
    footers = ["- 1 -", "第2页", "3/4", "第4页共4页"]
    pages = []
    for n, footer in enumerate(footers, start=1):
        page = PageText(n, 595, 842)
        page.lines = [
            _line("上海市普陀区财政局2024年度部门决算", 40),
            _line(f"正文第{n}页", 400),
            _line("3", 500),
            _line(footer, 820, 280),
        ]
        pages.append(page)
    strip_running_text(pages, "p.pdf")
    assert [[ln.text for ln in p.lines] for p in pages] == [[f"正文第{n}页", "3"] for n in range(1, 5)]


def test_cjk_punctuation_in_amounts(make_pdf, example_text):
    text = example_text.replace("合计\t\t4384.83\t4384.83", "合计\t\t4，384.83\t4,384.83", 1)
    assert text != example_text
    row = next(r for r in make_pdf.report(text).tables["公开02表"].rows if r.key == "合计")
    assert (row.cells["本年收入合计"].raw, row.cells["本年收入合计"].amount) == ("4，384.83", Decimal("4384.83"))
    assert row.cells["财政拨款收入"].amount == Decimal("4384.83")


def test_no_space_between_cjk_but_between_latin_words():
    chars = [_char("因", 0, 10), _char("公", 20, 10), _char("A", 40, 10), _char("B", 50, 10), _char("1", 52, 10)]
    text, boxes = spell(chars)
    assert text == "因公A B1"
    assert len(boxes) == len(text)


def test_rotated_page_reads_upright(tmp_path):
    from reportlab.pdfgen import canvas

    from disclosure_lint.readers import read_document

    path = tmp_path / "rotated.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setPageRotation(90)
    c.setFont("STSong-Light", 12)
    c.translate(100, 100)
    c.rotate(90)
    c.drawString(0, 0, "本年收入合计2946.25万元")
    c.save()
    with pdfplumber.open(path) as doc:
        assert doc.pages[0].rotation == 90
    (block,) = read_document(path).blocks
    assert block.text == "本年收入合计2946.25万元"
