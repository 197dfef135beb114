"""Parsing of printed amounts, percentages and counts as they appear in disclosures."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

BLANKS = frozenset({"", "-", "—", "——", "－", "--", "─", "/", "／", "－－", "无"})
_NUM = re.compile(r"^[+\-−－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def clean_number_text(text: str) -> str:
    """Strip spacing, thousands separators' full-width forms and stray tags around a number."""
    t = text.replace("<b>", "").replace("</b>", "").strip()
    t = t.replace("，", ",").replace("．", ".").replace(" ", "").replace("\u00a0", "")
    return t


def parse_amount(text: str) -> tuple[Decimal, int] | None:
    """Return (amount, printed decimals) for a number such as ``4,384.83`` or ``-12``; None otherwise.

    Thousands separators must be well placed: ``4,384.83`` is a number, ``4,38`` is not.
    """
    t = clean_number_text(text)
    if not _NUM.match(t):
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
