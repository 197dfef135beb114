"""Excel number formats -> the text a reader of the printed sheet sees.

The engine takes a value's printed decimals as its precision, so 21.2 shown with ``0.00`` must
become ``21.20``, not ``21.2``. Only what decides the printed digits is honoured: the section for
the sign (``pos;neg;zero;text``), ``0``/``#``/``?`` placeholders, thousands separators, scaling
commas and ``%``. Affixes such as ``¥``, ``"万元"``, colours or parentheses around negatives are
dropped so the text stays a plain amount (``-1,234.00``), and ``#.00`` prints 0.5 as ``0.50``
rather than ``.50`` for the same reason. A section that prints no digit at all (the accounting
format's ``"-"`` for zero) yields its literal text. Formats this does not model (dates,
fractions, scientific, conditions) fall back to General.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

# Excel keeps 15 significant digits; anything beyond is binary noise (0.1 + 0.2).
_SIGNIFICANT = 15
_PLACEHOLDERS = "0#?"
# Enough digits to print any double (up to 1e308) with its decimals in full.
_MAX_DIGITS = 400


@dataclass
class _Section:
    int_zeros: int = 0
    int_digits: int = 0
    dec_zeros: int = 0
    dec_digits: int = 0
    grouping: bool = False
    scale: int = 0
    percent: int = 0
    literal: str = ""
    general: bool = False


def _clean(value: float | int | Decimal) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(format(value, f".{_SIGNIFICANT}g"))


def general(value: float | int | Decimal) -> str:
    """Excel's General format: the shortest digits, no exponent, no float noise."""
    d = _clean(value)
    if d == 0:
        return "0"
    return f"{d.normalize():f}"


def _tokens(fmt: str) -> Iterator[tuple[str, str]]:
    """``quote`` (literal text), ``pad`` (``_x`` / ``*x`` alignment), ``bracket`` (colour, locale,
    condition) and ``char`` tokens, so a ``;`` or ``0`` inside quotes or brackets is never taken
    for syntax."""
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch in '"[':
            end = fmt.find('"' if ch == '"' else "]", i + 1)
            end = len(fmt) if end < 0 else end
            yield ("quote" if ch == '"' else "bracket"), fmt[i + 1 : end]
            i = end + 1
        elif ch in "\\_*" and i + 1 < len(fmt):
            yield ("quote" if ch == "\\" else "pad"), fmt[i + 1]
            i += 2
        else:
            yield "char", ch
            i += 1


def _sections(fmt: str) -> list[list[tuple[str, str]]]:
    sections: list[list[tuple[str, str]]] = [[]]
    for token in _tokens(fmt):
        if token == ("char", ";"):
            sections.append([])
        else:
            sections[-1].append(token)
    return sections


def _parse(tokens: list[tuple[str, str]]) -> _Section:
    s = _Section()
    literal: list[str] = []
    in_decimals = False
    pending_commas = 0
    for kind, ch in tokens:
        if kind == "quote":
            literal.append(ch)
            continue
        if kind == "bracket":
            if ch[:1] in "<>=" or not ch.lower().strip("hms"):
                s.general = True
            continue
        if kind == "pad":
            continue
        if ch in _PLACEHOLDERS:
            if pending_commas and not in_decimals:
                s.grouping = True
            pending_commas = 0
            if in_decimals:
                s.dec_digits += 1
                s.dec_zeros = s.dec_digits if ch == "0" else s.dec_zeros
            else:
                s.int_digits += 1
                s.int_zeros += ch == "0"
        elif ch == "," and (s.int_digits or in_decimals):
            pending_commas += 1
        elif ch == ".":
            in_decimals = True
            s.scale += pending_commas
            pending_commas = 0
        elif ch == "%":
            s.percent += 1
        elif ch in "Ee/@" or ch.lower() in "ymdhs":
            s.general = True
        else:
            literal.append(ch)
    s.scale += pending_commas
    s.literal = "".join(literal).strip()
    return s


def _render(magnitude: Decimal, s: _Section) -> str:
    """Digits of a non-negative number under one parsed section; empty when no digit is printed."""
    with localcontext() as ctx:
        ctx.prec = _MAX_DIGITS
        rounded = magnitude.quantize(Decimal(1).scaleb(-s.dec_digits), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    int_part, _, dec_part = text.partition(".")
    dec_part = dec_part.rstrip("0").ljust(s.dec_zeros, "0")
    if int_part == "0" and s.int_zeros == 0:
        int_part = ""
    elif s.grouping:
        int_part = f"{int(int_part):,}"
    if not dec_part:
        return int_part
    return (int_part or "0") + "." + dec_part


def format_number(value: float | int | Decimal, fmt: str | None) -> str:
    """The printed text of a numeric cell under its number format."""
    if not fmt or fmt.strip().lower() in ("general", "@"):
        return general(value)
    sections = _sections(fmt)
    amount = _clean(value)
    if amount < 0 and len(sections) >= 2:
        chosen, sign = sections[1], "-"
    elif amount == 0 and len(sections) >= 3:
        chosen, sign = sections[2], ""
    else:
        chosen, sign = sections[0], "-" if amount < 0 else ""
    s = _parse(chosen)
    if s.general:
        return general(value)
    if not s.int_digits and not s.dec_digits:
        return s.literal
    magnitude = abs(amount).scaleb(2 * s.percent - 3 * s.scale)
    digits = _render(magnitude, s)
    if not digits:
        return s.literal or ""
    if sign and digits.strip("0.,") == "":
        sign = ""
    return sign + digits + "%" * s.percent
