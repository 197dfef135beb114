"""Property tests: whatever the input, the documented error with a position, or a result; never an
exception, never without end. ``bench/fuzz.py`` runs the same with many more cases."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutate import (
    check,
    check_rules,
    delete,
    flip,
    mutate_part,
    rule_mutant,
    rule_sources,
    seed_pdf,
    seed_text,
    seed_xlsx,
    truncate,
    xml_parts,
)

from disclosure_lint.engine.interval import Amount
from disclosure_lint.errors import InputError
from disclosure_lint.numbers import MAX_DIGITS, parse_amount
from disclosure_lint.readers import read_document

# Derandomized: the same cases on every run, so the suite stays deterministic; bench/fuzz.py explores.
_COMMON = {"deadline": None, "derandomize": True, "database": None, "suppress_health_check": [HealthCheck.too_slow]}
FAST = settings(max_examples=60, **_COMMON)
FILES = settings(max_examples=12, **_COMMON)
# CPU seconds one mutated seed may take through lint(); the seeds take well under one.
CASE_SECONDS = 20
TOKENS = [
    "rule",
    "T03.ROW-SUM",
    '"标题"',
    "severity",
    "error",
    "ref",
    "tolerance",
    "0.01",
    "assert",
    "for",
    "row",
    "r",
    "in",
    "公开03表",
    "公开01表",
    "where",
    "has_children(r)",
    "r.本年支出合计",
    "==",
    "<=",
    "+",
    "-",
    "*",
    "/",
    "sum(children(r).本年支出合计)",
    "[合计]",
    ".",
    "(",
    ")",
    "and",
    "or",
    "not",
    "match",
    '"基本支出{金额}万元，占比{比例}%"',
    '"{a:文本}{b:文本}X"',
    '"{名称:增加|减少}[为]{金额}万元"',
    '"(a+)+$"',
    "regex",
    "section",
    '"支出决算情况说明"',
    "message",
    '"{金额}"',
    "let",
    "x",
    "=",
    "mention",
    "m",
    "of",
    "公开06表.科目名称",
    "followed",
    "by",
    "1" * 30,
    "\n  ",
    "\n",
]


def _rules_text(draw_tokens: list[str]) -> str:
    return 'rule T.X "t"\n  severity error\n  ' + " ".join(draw_tokens)


SOURCES = rule_sources()


@FAST
@given(st.one_of(st.text(max_size=300), st.lists(st.sampled_from(TOKENS), max_size=40).map(_rules_text)))
def test_any_rule_text_gives_rules_or_one_located_pack_error(text):
    assert check_rules(text, SOURCES[0][1]) in ("compiled", "pack error")


@FAST
@given(st.randoms(use_true_random=False))
def test_mutated_rule_files_give_rules_or_one_located_pack_error(rng):
    assert check_rules(*rule_mutant(rng, SOURCES, TOKENS)) in ("compiled", "pack error")


@FAST
@given(st.binary(max_size=2000))
def test_any_bytes_named_txt_are_a_document_or_one_input_error(data):
    try:
        doc = read_document("fuzz.txt", data)
    except InputError as err:
        assert err.path == "fuzz.txt" and "\n" not in err.one_line()
        return
    assert doc.format == "text"


@FAST
@given(st.text(max_size=40))
def test_parse_amount_never_raises_and_bounds_digits(text):
    parsed = parse_amount(text)
    if parsed is not None:
        value, decimals = parsed
        assert len(value.as_tuple().digits) <= MAX_DIGITS and decimals >= 0
        assert Amount.printed(value, decimals).shown()


@FAST
@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**15), max_value=10**15))
def test_printed_amounts_read_back_exactly(value):
    assert parse_amount(f"{value:,.2f}") == (Decimal(f"{value:.2f}"), 2)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seeds")
    pdf, xlsx = seed_pdf(folder), seed_xlsx(folder)
    for name, data in (("seed.pdf", pdf), ("seed.xlsx", xlsx), ("seed.txt", seed_text().encode())):
        assert check(name, data).kind == "findings", name
    return {"pdf": pdf, "xlsx": xlsx}


MUTATION = st.one_of(
    st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 255)), min_size=1, max_size=8).map(
        lambda changes: lambda data: flip(data, changes)
    ),
    st.tuples(st.integers(0, 10**7), st.booleans()).map(lambda t: lambda data: truncate(data, *t)),
    st.tuples(st.integers(0, 10**7), st.integers(1, 4000)).map(lambda t: lambda data: delete(data, *t)),
)


def _assert_clean(outcome) -> None:
    assert outcome.kind in ("findings", "input")
    if outcome.kind == "input":
        assert "\n" not in outcome.detail
    assert outcome.cpu_seconds < CASE_SECONDS


@FILES
@given(MUTATION)
def test_mutated_pdf_gives_findings_or_one_input_error(seeds, mutation):
    _assert_clean(check("fuzz.pdf", mutation(seeds["pdf"])))


@FILES
@given(st.data(), MUTATION)
def test_mutated_workbook_part_gives_findings_or_one_input_error(seeds, data, mutation):
    part = data.draw(st.sampled_from(xml_parts(seeds["xlsx"])))
    _assert_clean(check("fuzz.xlsx", mutate_part(seeds["xlsx"], part, mutation)))
