"""The same report as text and as PDF gives the same findings: same rule, table, row and column.

The PDF form is typeset from the text form (tests/pdfgen.py) with the layouts published PDFs
have: a table continued on the next page, landscape pages, merged header cells, page numbers.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest
from conftest import EXAMPLE, PACK_ID, edited

from disclosure_lint import lint
from disclosure_lint.packs.load import load_pack

# Three cells changed so that several table rules fire: a 合计 that no longer adds up (03), a 类 of
# 01 that no longer matches 03, a 款 of 06 that breaks its 类.
MUTATIONS = (
    ("合计\t\t4384.83\t524.12\t3860.71\t\t\t", "合计\t\t4384.83\t524.12\t3870.71\t\t\t"),
    ("八、社会保障和就业支出\t39\t99.33", "八、社会保障和就业支出\t39\t99.83"),
    ("30102\t津贴补贴\t49.29", "30102\t津贴补贴\t59.29"),
)


@cache
def pdf_only(rule: str) -> bool:
    """A rule that reads the file's pages (fact table 页面): a text report has none, so it applies to
    the PDF form alone and is left out of the comparison."""
    return "页面" in load_pack(PACK_ID).rule(rule).rule.tables


def findings(result) -> Counter:
    """Each finding, and those merged into it."""
    return Counter(
        (d.rule, d.severity, d.table, d.row, d.column_name, d.message, tuple(sorted(a.rule for a in d.absorbed)))
        for d in result.diagnostics
        if not pdf_only(d.rule)
    )


def outcomes(result) -> dict[str, tuple[int, int]]:
    return {rule: (o.passed, o.failed) for rule, o in result.outcomes.items() if not pdf_only(rule)}


@pytest.fixture(scope="module")
def mutated(tmp_path_factory, example_text, pack, make_pdf):
    """The mutated example checked as text and as PDF."""
    text = edited(example_text, MUTATIONS)
    path = tmp_path_factory.mktemp("mutated") / "mutated.txt"
    path.write_text(text, encoding="utf-8")
    return lint(path, pack), lint(make_pdf(text), pack)


def test_clean_example_same_outcomes(pack, make_pdf, example_text):
    as_text = lint(EXAMPLE, pack)
    as_pdf = lint(make_pdf(example_text), pack)
    assert outcomes(as_pdf) == outcomes(as_text)
    assert findings(as_pdf) == findings(as_text)
    assert sum(p for p, _ in outcomes(as_pdf).values()) > 300
    assert as_pdf.outcomes["S.BLANK-PAGE"].passed > 0 and as_text.outcomes["S.BLANK-PAGE"].passed == 0


def test_mutated_example_same_findings(mutated):
    as_text, as_pdf = mutated
    fired = {x.rule for d in as_text.diagnostics if d.severity == "error" for x in (d, *d.absorbed)}
    assert {"T03.ROW-SUM", "X.T03-T01", "T06.ROLLUP"} <= fired
    assert findings(as_pdf) == findings(as_text)
    assert outcomes(as_pdf) == outcomes(as_text)


def test_pdf_findings_point_at_pages(mutated):
    result = mutated[1]
    assert result.diagnostics
    for d in result.diagnostics:
        assert d.loc.page is not None and d.loc.bbox is not None, d
        assert d.loc.line is None
