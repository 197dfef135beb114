"""Parsing of printed amounts, percentages and counts as they appear in disclosures."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

BLANKS = frozenset({"", "-", "—", "——", "－", "--", "─", "/", "／", "－－", "无"})
# Digits an amount may have, integer part and decimals together. Sums of thousands of such amounts,
# shown to six decimals, stay within the 28 digits of Decimal's default context, so arithmetic is
# exact; no public account needs more (a trillion yuan to the fen is 15 digits).
MAX_DIGITS = 18
_NUM = re.compile(r"^[+\-−－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def clean_number_text(text: str) -> str:
    """Strip spacing, thousands separators' full-width forms and stray tags around a number."""
    t = text.replace("<b>", "").replace("</b>", "").strip()
    t = t.replace("，", ",").replace("．", ".").replace(" ", "").replace("\u00a0", "")
    return t


def parse_amount(text: str) -> tuple[Decimal, int] | None:
    """Return (amount, printed decimals) for a number such as ``4,384.83`` or ``-12``; None otherwise.

    Thousands separators must be well placed: ``4,384.83`` is a number, ``4,38`` is not; a number of
    more than ``MAX_DIGITS`` digits is not an amount either (see ``not_amount_reason``).
    """
    t = clean_number_text(text)
    if not _NUM.match(t) or _digits(t) > MAX_DIGITS:
        return None
    t = t.replace(",", "").replace("−", "-").replace("－", "-")
    try:
        amount = Decimal(t)
    except InvalidOperation:  # pragma: no cover - the regex already guarantees a number
        return None
    decimals = len(t.split(".", 1)[1]) if "." in t else 0
    return amount, decimals


def is_blank(text: str) -> bool:
    return clean_number_text(text) in BLANKS


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def too_long(text: str) -> bool:
    """A well-formed number with more digits than any amount can have."""
    t = clean_number_text(text)
    return bool(_NUM.match(t)) and _digits(t) > MAX_DIGITS


def not_amount_reason(text: str) -> str:
    """Why a cell's text cannot be checked as an amount, for its E.CELL finding."""
    if too_long(text):
        return f"“{text}”位数过多（超过 {MAX_DIGITS} 位），不是可核对的金额"
    return f"“{text}”不是有效金额"
