"""Interval arithmetic of printed amounts (XBRL Calculations 1.1, round-to-nearest)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from disclosure_lint.engine.interval import Amount, NotAssessable, compare, total


def p(text: str) -> Amount:
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Amount.printed(D(text), decimals, text)


def test_printed_value_is_its_rounding_interval():
    a = p("4384.83")
    assert (a.lo, a.hi) == (D("4384.825"), D("4384.835"))
    assert p("21.2").half_width == D("0.05")


def test_sum_tolerance_grows_with_terms():
    # 本年支出合计 4384.83 vs 524.12 + 3860.72: off by 0.01, allowed by three half-units (0.015).
    ok = compare(p("4384.83"), "==", p("524.12") + p("3860.72"))
    assert ok.holds and not ok.tail and ok.tolerance == D("0.015")
    bad = compare(p("4384.83"), "==", p("524.12") + p("3870.71"))
    assert not bad.holds and bad.difference == D("-10.00")


def test_mixed_precision_matches_at_the_coarser_precision():
    assert compare(p("4384.8"), "==", p("4384.83")).holds
    assert compare(p("21.2"), "==", p("21.20")).holds
    assert not compare(p("21.3"), "==", p("21.20")).holds


def test_blank_is_exact_zero_and_explicit_tolerance_widens():
    blank = Amount.printed(D(0), 2, "空", blank=True)
    assert blank.half_width == 0
    assert not compare(p("0.01"), "==", blank).holds  # 0.01 ± 0.005 cannot be 0
    assert compare(p("10.00"), "==", p("10.04"), D("0.05")).holds


def test_ordering_comparisons_use_interval_ends():
    assert compare(p("100.004"), "<=", p("100.00")).holds
    assert not compare(p("100.02"), "<=", p("100.00")).holds
    assert compare(p("1"), ">", p("1.4")).holds  # 1 means [0.5, 1.5]


def test_percentage_of_intervals():
    share = p("524.12") / p("4384.83") * Amount.exact(D(100))
    assert compare(p("11.95"), "==", share).holds
    assert not compare(p("11.59"), "==", share).holds


def test_division_by_possible_zero_is_not_assessable():
    with pytest.raises(NotAssessable):
        _ = p("10.00") / p("0.00")


def test_tail_discrepancy_is_flagged_but_still_holds():
    parts = [p(x) for x in ("139.85", "49.29", "26.64", "94.21", "41.32", "21.20", "19.80", "1.73", "39.09", "7.45")]
    result = compare(p("440.62"), "==", total(parts, "Σ"))  # sums to 440.58: off by 0.04 over 11 terms
    assert result.holds and result.tail
    assert result.tolerance == D("0.055") and result.tail_tolerance < D("0.04")
    few = compare(p("250.21"), "==", p("225.23") + p("24.99"))  # 0.01 over three terms: ordinary rounding
    assert few.holds and not few.tail


def money(text: str, unit: str | None, label: str = "") -> Amount:
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Amount.printed(D(text), decimals, label, unit=unit)


def test_amounts_in_different_units_are_compared_in_one_unit():
    # 9628.22 万元 stands for [96282150, 96282250] 元, which contains 96,282,213.44 元.
    ok = compare(money("9628.22", "万元"), "==", money("96282213.44", "元"))
    assert ok.holds and ok.converted_to == "万元"
    bad = compare(money("9628.52", "万元"), "==", money("96282213.44", "元"))
    assert not bad.holds
    assert (bad.difference, bad.tolerance, bad.decimals) == (D("0.298656"), D("0.0050005"), 2)
    assert [a.mid for a in bad.sides()] == [D("9628.52"), D("9628.221344")]


def test_interval_widths_convert_with_the_amounts():
    # 217.84 万元 is at least 2,178,350 元: beyond 2,178,324.44 元 even at the edge of its rounding.
    assert not compare(money("217.84", "万元"), "<=", money("2178324.44", "元")).holds
    assert compare(money("217.83", "万元"), "<=", money("2178324.44", "元")).holds
    assert compare(money("0", "万元"), "==", money("0.00", "元")).holds
    assert not compare(money("0", "万元"), "==", money("0.01", "元")).holds


def test_arithmetic_across_units_and_plain_numbers():
    total_ = money("10.00", "万元", "接待") + money("20000.00", "元", "30217")
    assert (total_.mid, total_.unit) == (D("120000.00"), "元")
    assert total_.text == "接待 10.00 万元 + 30217 20000.00 元"
    share = money("40.15", "万元") / money("401500.00", "元") * Amount.exact(D(100))
    assert share.unit is None and compare(money("100", None), "==", share).holds
    base = money("25.56", "万元") / money("2.56", None) * Amount.exact(D(100))
    assert base.unit == "万元"
    mixed = total([money("1.00", "万元"), money("200.00", "元"), money("3", None)], "Σ")
    assert (mixed.mid, mixed.unit) == (D("10203.00"), "元")


def test_same_or_unknown_units_behave_as_before():
    same = compare(money("4384.83", "万元"), "==", money("524.12", "万元") + money("3870.71", "万元"))
    assert same.converted_to is None and same.difference == D("-10.00") and same.tolerance == D("0.015")
    unknown = compare(money("4384.83", None), "==", money("4384.83", "元"))
    assert unknown.holds and unknown.converted_to is None
