"""The text report typeset by a second, independent generator (tests/pdfcanvas.py: canvas drawing,
a larger body size, other margins and page breaks, tables split wherever a page runs out, and
page breaks forced inside a headcount sentence and an amount sentence) gives the findings of the
text form: the reader depends on neither typesetter."""

from __future__ import annotations

from collections import Counter

import pdfplumber
import pytest
from conftest import EXAMPLE
from pdfcanvas import BODY_SIZE, Layout, typeset
from test_pdf_equivalence import pdf_only

from disclosure_lint import lint
from disclosure_lint.readers import read_document

# 编制30 | 人，在编26人 (A.STAFF) and 基本支出524.12 | 万元，占比11.95% (N.EXPENSE-ITEM) end one page and
# go on at the top of the next.
BREAKS = ("编制30", "基本支出524.12")


@pytest.fixture(scope="module")
def typeset_twice(tmp_path_factory, pack):
    path = typeset(read_document(EXAMPLE), tmp_path_factory.mktemp("canvas") / "report.pdf", Layout(BREAKS))
    return path, lint(EXAMPLE, pack), lint(path, pack)


def _findings(result) -> Counter:
    return Counter(
        (d.rule, d.severity, d.table, d.row, d.column_name, d.message, tuple(sorted(a.rule for a in d.absorbed)))
        for d in result.diagnostics
        if not pdf_only(d.rule)
    )


def _outcomes(result) -> dict[str, tuple[int, ...]]:
    """Per rule: passed, failed, not assessable. Wording rules are judged paragraph by paragraph, and
    the two forms cut the text into a different number of paragraphs, so only their failures count."""
    return {
        r: (o.failed,) if r.startswith("H.") else (o.passed, o.failed, o.not_assessable)
        for r, o in result.outcomes.items()
        if not pdf_only(r)
    }


def test_same_findings_and_outcomes_as_the_text_form(typeset_twice):
    _, as_text, as_pdf = typeset_twice
    assert _findings(as_pdf) == _findings(as_text)
    assert _outcomes(as_pdf) == _outcomes(as_text)
    assert as_pdf.outcomes["A.STAFF"].failed == 1  # 编制 11 + 30 read across the page break
    assert as_pdf.outcomes["N.EXPENSE-ITEM"].passed == as_text.outcomes["N.EXPENSE-ITEM"].passed > 0


def test_the_layout_is_another_one(typeset_twice):
    path, _, as_pdf = typeset_twice
    with pdfplumber.open(path) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
        sizes = Counter(round(ch["size"], 1) for page in pdf.pages for ch in page.chars if ch["y0"] > 60)
    assert BODY_SIZE in sizes and 10.5 not in sizes  # pdfgen.py sets the body in 10.5 pt
    for phrase in BREAKS:
        [page] = [i for i, t in enumerate(texts) if t.rstrip().splitlines()[-2].endswith(phrase)]
        assert not texts[page + 1].lstrip().startswith(phrase)
    # Tables run on over page breaks: a table's rows sit on more than one page.
    split = [t for t in as_pdf.report.tables.values() if len({r.loc.page for r in t.rows}) > 1]
    assert len(split) >= 2


def test_a_running_page_header_is_checked_once(tmp_path, pack):
    """A header printed on every page is text: its placeholder and stale year are found once, on the
    page it is first printed, not once per page, and it never runs into the narrative."""
    sentence = "本部门严格落实过紧日子要求，压减一般性支出，保障重点项目支出，各项工作有序推进。"
    text = "示例市数据局2024年度部门决算\n\n## 一、部门职责\n\n" + "\n\n".join([sentence * 3] * 40) + "\n"
    source = tmp_path / "r.txt"
    source.write_text(text, encoding="utf-8")
    layout = Layout(running_header="示例市XX局2023年度部门决算")
    path = typeset(read_document(source), tmp_path / "r.pdf", layout)
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 4
    # The report has no tables: leave out the findings about missing tables, as the text form has them.
    text_form = {d.rule for d in lint(source, pack).diagnostics}
    found = [
        (d.rule, d.loc.page) for d in lint(path, pack).diagnostics if d.rule not in text_form and not pdf_only(d.rule)
    ]
    assert sorted(found) == [("H.PLACEHOLDER", 1), ("N.STALE-YEAR", 1)]
    assert not text_form & {"H.PLACEHOLDER", "N.STALE-YEAR"}
