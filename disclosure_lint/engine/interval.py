"""Decimal interval arithmetic for printed, rounded amounts (XBRL Calculations 1.1, round-to-nearest).

A value printed as ``v`` with ``d`` decimals stands for ``[v − ½·10⁻ᵈ, v + ½·10⁻ᵈ]``. Sums of such
values carry the widened interval, so ``合计 = a + b + c`` tolerates the rounding its operands
allow and no more. A comparison holds when some values inside the intervals satisfy it.

The interval bound is sound but grows linearly with the number of printed terms: a sum of twelve
2-decimal items may legitimately be off by 0.06. Rounding errors are independent and uniform, so
their sum is concentrated far inside that bound; additive amounts therefore also carry the
variance of their rounding error, and an equality that holds only at the edge of the interval
(beyond three standard deviations) is flagged as a tail discrepancy: possible, but improbable
enough to need an explanation. That second tier never turns a sound pass into an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model import Location

ZERO = Decimal(0)
HALF = Decimal("0.5")
THREE = Decimal(3)


class NotAssessable(Exception):
    """The rule cannot be evaluated here (a table, row, column or statement is missing)."""


class TableMissing(NotAssessable):
    """The table itself is absent, so even ``exists`` cannot say whether one of its rows is there."""


@dataclass(frozen=True, slots=True)
class CellRef:
    """A table cell an amount came from: used for locations, related info and fingerprints."""

    table: str
    row: str
    column: str
    loc: Location
    label: str = ""
    value: str = ""


@dataclass(frozen=True, slots=True)
class Amount:
    """An interval with a printable midpoint and the description of where it came from."""

    lo: Decimal
    hi: Decimal
    mid: Decimal
    decimals: int
    text: str = ""
    cells: tuple[CellRef, ...] = ()
    blank: bool = False
    composite: bool = False
    var: Decimal | None = ZERO

    @staticmethod
    def exact(value: Decimal, text: str = "", decimals: int | None = None) -> Amount:
        d = decimals if decimals is not None else max(0, -value.normalize().as_tuple().exponent)
        return Amount(value, value, value, d, text)

    @staticmethod
    def printed(value: Decimal, decimals: int, text: str = "", cells: tuple[CellRef, ...] = (),
                blank: bool = False) -> Amount:
        if blank:
            return Amount(ZERO, ZERO, ZERO, decimals, text, cells, blank=True)
        if value == 0 and decimals == 0:
            # A bare "0" (as in "支出0万元") states that there was nothing; a rounded small amount
            # would be printed with decimals (0.3), so it is exact like a blank cell.
            return Amount(ZERO, ZERO, ZERO, 0, text, cells)
        half = HALF * Decimal(1).scaleb(-decimals)
        return Amount(value - half, value + half, value, decimals, text, cells, var=half * half / THREE)

    @property
    def half_width(self) -> Decimal:
        return (self.hi - self.lo) / 2

    def shown(self) -> str:
        """The midpoint at the precision it was printed with."""
        q = Decimal(1).scaleb(-self.decimals)
        try:
            return f"{self.mid.quantize(q):f}"
        except ArithmeticError:  # pragma: no cover - values beyond Decimal's context
            return f"{self.mid:f}"

    def term(self) -> str:
        """``label value`` as used inside a message, e.g. ``基本支出 524.12``."""
        if self.composite:
            return self.text
        return f"{self.text} {self.shown()}" if self.text else self.shown()

    def with_text(self, text: str, composite: bool = False) -> Amount:
        return Amount(self.lo, self.hi, self.mid, self.decimals, text, self.cells, self.blank, composite, self.var)

    def __add__(self, other: Amount) -> Amount:
        return Amount(self.lo + other.lo, self.hi + other.hi, self.mid + other.mid,
                      max(self.decimals, other.decimals), _join(self, "+", other), self.cells + other.cells,
                      self.blank and other.blank, True, _var_sum(self.var, other.var))

    def __sub__(self, other: Amount) -> Amount:
        return Amount(self.lo - other.hi, self.hi - other.lo, self.mid - other.mid,
                      max(self.decimals, other.decimals), _join(self, "-", other), self.cells + other.cells,
                      self.blank and other.blank, True, _var_sum(self.var, other.var))

    def __neg__(self) -> Amount:
        return Amount(-self.hi, -self.lo, -self.mid, self.decimals, f"-{self.term()}", self.cells, self.blank, True,
                      self.var)

    def __mul__(self, other: Amount) -> Amount:
        products = (self.lo * other.lo, self.lo * other.hi, self.hi * other.lo, self.hi * other.hi)
        return Amount(min(products), max(products), self.mid * other.mid, max(self.decimals, other.decimals),
                      f"{_paren(self)} × {_paren(other)}", self.cells + other.cells, False, True, None)

    def __truediv__(self, other: Amount) -> Amount:
        if other.lo <= 0 <= other.hi:
            raise NotAssessable(f"除数 {other.term()} 可能为零")
        quotients = (self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi)
        return Amount(min(quotients), max(quotients), self.mid / other.mid, max(self.decimals, other.decimals, 2),
                      f"{_paren(self)} ÷ {_paren(other)}", self.cells + other.cells, False, True, None)


def _var_sum(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    """Variances add for sums; after a product or quotient the error is no longer additive (None)."""
    return None if a is None or b is None else a + b


def _paren(a: Amount) -> str:
    t = a.term()
    return f"({t})" if a.composite and (" + " in t or " - " in t) else t


def _join(a: Amount, op: str, b: Amount) -> str:
    """Render ``a op b``, leaving out blank cells so messages list only printed amounts."""
    if b.blank and not a.blank:
        return a.term()
    if a.blank and not b.blank:
        return b.term() if op == "+" else f"-{b.term()}"
    return f"{a.term()} {op} {b.term()}"


def total(items: list[Amount], text: str) -> Amount:
    """Σ of a list; the empty sum is an exact zero."""
    if not items:
        return Amount.exact(ZERO, text, 2)
    lo = sum((a.lo for a in items), ZERO)
    hi = sum((a.hi for a in items), ZERO)
    mid = sum((a.mid for a in items), ZERO)
    cells = tuple(c for a in items for c in a.cells)
    var: Decimal | None = ZERO
    for a in items:
        var = _var_sum(var, a.var)
    return Amount(lo, hi, mid, max(a.decimals for a in items), text, cells, all(a.blank for a in items), False, var)


@dataclass(frozen=True, slots=True)
class Comparison:
    """The outcome of comparing two amounts, with the figures a message needs."""

    holds: bool
    left: Amount
    right: Amount
    op: str
    difference: Decimal
    tolerance: Decimal
    tail: bool = False
    tail_tolerance: Decimal | None = None


def compare(left: Amount, op: str, right: Amount, tolerance: Decimal = ZERO) -> Comparison:
    """Interval comparison: true when some values inside both intervals satisfy ``op``."""
    tol = left.half_width + right.half_width + tolerance
    diff = left.mid - right.mid
    if op == "==":
        holds = left.lo <= right.hi + tolerance and right.lo <= left.hi + tolerance
    elif op == "!=":
        holds = not (left.lo == left.hi == right.lo == right.hi)
    elif op == "<=":
        holds = left.lo <= right.hi + tolerance
    elif op == "<":
        holds = left.lo < right.hi + tolerance
    elif op == ">=":
        holds = left.hi + tolerance >= right.lo
    elif op == ">":
        holds = left.hi + tolerance > right.lo
    else:  # pragma: no cover - the type checker only lets numeric operators through
        raise ValueError(op)
    if op == "==" and holds and left.var is not None and right.var is not None:
        likely = min(tol - tolerance, THREE * (left.var + right.var).sqrt()) + tolerance
        if abs(diff) > likely:
            return Comparison(True, left, right, op, diff, tol, True, likely)
    return Comparison(holds, left, right, op, diff, tol)
