"""Numeric cells print as the sheet shows them, because printed decimals are the value's precision."""

from __future__ import annotations

from decimal import Decimal

import pytest

from disclosure_lint.numbers import parse_amount
from disclosure_lint.readers.numfmt import format_number, general

ACCOUNTING = '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ '


@pytest.mark.parametrize(
    ("value", "fmt", "printed"),
    [
        (21.2, "0.00", "21.20"),
        (36.8, "0.00", "36.80"),
        (4384.83, "#,##0.00", "4,384.83"),
        (1234567.891, "#,##0.00", "1,234,567.89"),
        (7, "0.00", "7.00"),
        (2.675, "0.00", "2.68"),
        (0.125, "0.00", "0.13"),
        (-1234.5, "#,##0.00;[Red]-#,##0.00", "-1,234.50"),
        (-1234.5, "#,##0.00_);(#,##0.00)", "-1,234.50"),
        (-3.5, "0.0", "-3.5"),
        (-0.001, "0.00", "0.00"),
        (12.5, ACCOUNTING, "12.50"),
        (-12.5, ACCOUNTING, "-12.50"),
        (0, ACCOUNTING, "-"),
        (0, "#,##0.00;-#,##0.00;", ""),
        (0.1195, "0.00%", "11.95%"),
        (21.2, '0.00"万元"', "21.20"),
        (21.2, '"¥"#,##0.00', "21.20"),
        (1234567, "#,##0,", "1,235"),
        (0.5, "#.00", "0.50"),
        (1.5, "0.0#", "1.5"),
        (1.25, "0.0#", "1.25"),
        (5, "[Magenta]0.0", "5.0"),
        (5, "[$-804]0.00", "5.00"),
        (1e20, "0.00", "100000000000000000000.00"),
        (45000, "yyyy-mm-dd", "45000"),
        (7, "[<0]0.0;0.00", "7"),
        (21.2, "@", "21.2"),
        (21.2, '0.00" ;0"', "21.20"),
        (21.2, "\\¥#,##0.00", "21.20"),
        (-21.2, '0.00;"负"0.00', "-21.20"),
    ],
)
def test_format_prints_what_the_sheet_shows(value, fmt, printed):
    assert format_number(value, fmt) == printed


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (21.2, "21.2"),
        (0.1 + 0.2, "0.3"),
        (100.0, "100"),
        (4384.83, "4384.83"),
        (1 / 3, "0.333333333333333"),
        (1e20, "100000000000000000000"),
        (-0.0, "0"),
        (12, "12"),
    ],
)
def test_general_is_shortest_without_float_noise(value, printed):
    assert general(value) == printed
    assert format_number(value, "General") == printed
    assert format_number(value, None) == printed


@pytest.mark.parametrize("fmt", ["0.00", "#,##0.00", ACCOUNTING, "#,##0.00_);(#,##0.00)", "0.000"])
@pytest.mark.parametrize("value", [0.01, 21.2, 4384.83, -99.33, 1234567.8])
def test_printed_amount_parses_back_with_format_decimals(value, fmt):
    decimals = len(fmt.split(";")[0].split(".")[1].rstrip("_ )")) if "." in fmt else 0
    amount, printed_decimals = parse_amount(format_number(value, fmt))
    assert printed_decimals == decimals
    assert amount == Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals))
