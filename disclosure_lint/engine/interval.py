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

Amounts carry their money unit (``units.py``): operands of different units are converted to the
finer one before any arithmetic or comparison, so a 元 cell and a 万元 sentence compare like with like.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model import Location
from . import units

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
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Amount:
    """An interval with a printable midpoint, the description of where it came from and its money unit."""

    lo: Decimal
    hi: Decimal
    mid: Decimal
    decimals: int
    text: str = ""
    cells: tuple[CellRef, ...] = ()
    blank: bool = False
    composite: bool = False
    var: Decimal | None = ZERO
    unit: str | None = None

    @staticmethod
    def exact(value: Decimal, text: str = "", decimals: int | None = None, unit: str | None = None) -> Amount:
        d = decimals if decimals is not None else max(0, -value.normalize().as_tuple().exponent)
        return Amount(value, value, value, d, text, unit=unit)

    @staticmethod
    def printed(
        value: Decimal,
        decimals: int,
        text: str = "",
        cells: tuple[CellRef, ...] = (),
        blank: bool = False,
        unit: str | None = None,
    ) -> Amount:
        if blank:
            return Amount(ZERO, ZERO, ZERO, decimals, text, cells, blank=True, unit=unit)
        if value == 0 and decimals == 0:
            # A bare "0" (as in "支出0万元") states that there was nothing; a rounded small amount
            # would be printed with decimals (0.3), so it is exact like a blank cell.
            return Amount(ZERO, ZERO, ZERO, 0, text, cells, unit=unit)
        half = HALF * Decimal(1).scaleb(-decimals)
        return Amount(value - half, value + half, value, decimals, text, cells, var=half * half / THREE, unit=unit)

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
        return Amount(
            self.lo, self.hi, self.mid, self.decimals, text, self.cells, self.blank, composite, self.var, self.unit
        )

    def to(self, unit: str | None) -> Amount:
        """The same interval expressed in ``unit`` (itself when either unit is unknown or they agree)."""
        n = units.shift(self.unit, unit)
        if n == 0:
            return self
        f = Decimal(1).scaleb(n)
        var = None if self.var is None else self.var * f * f
        return Amount(
            self.lo * f,
            self.hi * f,
            self.mid * f,
            max(0, self.decimals - n),
            self.text,
            self.cells,
            self.blank,
            self.composite,
            var,
            unit,
        )

    def __add__(self, other: Amount) -> Amount:
        a, b, unit = aligned(self, other)
        return Amount(
            a.lo + b.lo,
            a.hi + b.hi,
            a.mid + b.mid,
            max(a.decimals, b.decimals),
            _join(self, "+", other),
            self.cells + other.cells,
            self.blank and other.blank,
            True,
            _var_sum(a.var, b.var),
            unit,
        )

    def __sub__(self, other: Amount) -> Amount:
        a, b, unit = aligned(self, other)
        return Amount(
            a.lo - b.hi,
            a.hi - b.lo,
            a.mid - b.mid,
            max(a.decimals, b.decimals),
            _join(self, "-", other),
            self.cells + other.cells,
            self.blank and other.blank,
            True,
            _var_sum(a.var, b.var),
            unit,
        )

    def __neg__(self) -> Amount:
        return Amount(
            -self.hi,
            -self.lo,
            -self.mid,
            self.decimals,
            f"-{self.term()}",
            self.cells,
            self.blank,
            True,
            self.var,
            self.unit,
        )

    def __mul__(self, other: Amount) -> Amount:
        a, b, _ = aligned(self, other)
        products = (a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi)
        # An amount times a plain number stays an amount.
        unit = other.unit if self.unit is None else self.unit if other.unit is None else None
        return Amount(
            min(products),
            max(products),
            a.mid * b.mid,
            max(a.decimals, b.decimals),
            f"{_paren(self)} × {_paren(other)}",
            self.cells + other.cells,
            False,
            True,
            None,
            unit,
        )

    def __truediv__(self, other: Amount) -> Amount:
        a, b, _ = aligned(self, other)
        if b.lo <= 0 <= b.hi:
            raise NotAssessable(f"除数 {other.term()} 可能为零")
        quotients = (a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi)
        # An amount over an amount is a ratio; an amount over a plain number stays an amount.
        unit = self.unit if other.unit is None else None
        return Amount(
            min(quotients),
            max(quotients),
            a.mid / b.mid,
            max(a.decimals, b.decimals, 2),
            f"{_paren(self)} ÷ {_paren(other)}",
            self.cells + other.cells,
            False,
            True,
            None,
            unit,
        )


def aligned(a: Amount, b: Amount) -> tuple[Amount, Amount, str | None]:
    """Both operands in one unit (the finer of the two), and that unit."""
    unit = units.finest((a.unit, b.unit))
    return a.to(unit), b.to(unit), unit


def _var_sum(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    """Variances add for sums; after a product or quotient the error is no longer additive (None)."""
    return None if a is None or b is None else a + b


def _paren(a: Amount) -> str:
    t = a.term()
    return f"({t})" if a.composite and (" + " in t or " - " in t) else t


def _join(a: Amount, op: str, b: Amount) -> str:
    """Render ``a op b``, leaving out blank cells so messages list only printed amounts; terms of
    different units are shown with their units."""
    if b.blank and not a.blank:
        return a.term()
    if a.blank and not b.blank:
        return b.term() if op == "+" else f"-{b.term()}"
    if units.differ(a.unit, b.unit):
        return f"{_paren(a)} {a.unit} {op} {_paren(b)} {b.unit}"
    return f"{a.term()} {op} {b.term()}"


def total(items: list[Amount], text: str) -> Amount:
    """Σ of a list, in the finest unit among its items; the empty sum is an exact zero."""
    if not items:
        return Amount.exact(ZERO, text, 2)
    unit = units.finest(a.unit for a in items)
    items = [a.to(unit) for a in items]
    lo = sum((a.lo for a in items), ZERO)
    hi = sum((a.hi for a in items), ZERO)
    mid = sum((a.mid for a in items), ZERO)
    cells = tuple(c for a in items for c in a.cells)
    var: Decimal | None = ZERO
    for a in items:
        var = _var_sum(var, a.var)
    return Amount(
        lo, hi, mid, max(a.decimals for a in items), text, cells, all(a.blank for a in items), False, var, unit
    )


@dataclass(frozen=True, slots=True)
class Comparison:
    """The outcome of comparing two amounts, with the figures a message needs.

    ``left`` and ``right`` are the amounts as printed. When they were printed in different units,
    ``converted_to`` is the coarser of the two, and ``difference`` and the tolerances are in it.
    """

    holds: bool
    left: Amount
    right: Amount
    op: str
    difference: Decimal
    tolerance: Decimal
    tail: bool = False
    tail_tolerance: Decimal | None = None
    converted_to: str | None = None

    def sides(self) -> tuple[Amount, Amount]:
        """Both sides in the unit the difference is given in."""
        return self.left.to(self.converted_to), self.right.to(self.converted_to)

    @property
    def decimals(self) -> int:
        """The precision of the difference: that of the sides printed in its unit."""
        sides = [a for a in (self.left, self.right) if self.converted_to in (None, a.unit)]
        return max(a.decimals for a in sides)


def compare(left: Amount, op: str, right: Amount, tolerance: Decimal = ZERO) -> Comparison:
    """Interval comparison: true when some values inside both intervals satisfy ``op``."""
    a, b, unit = aligned(left, right)
    tol = a.half_width + b.half_width + tolerance
    diff = a.mid - b.mid
    if op == "==":
        holds = a.lo <= b.hi + tolerance and b.lo <= a.hi + tolerance
    elif op == "!=":
        holds = not (a.lo == a.hi == b.lo == b.hi)
    elif op == "<=":
        holds = a.lo <= b.hi + tolerance
    elif op == "<":
        holds = a.lo < b.hi + tolerance
    elif op == ">=":
        holds = a.hi + tolerance >= b.lo
    elif op == ">":
        holds = a.hi + tolerance > b.lo
    else:  # pragma: no cover - the type checker only lets numeric operators through
        raise ValueError(op)
    likely = None
    if op == "==" and holds and a.var is not None and b.var is not None:
        likely = min(tol - tolerance, THREE * (a.var + b.var).sqrt()) + tolerance
        if abs(diff) <= likely:
            likely = None
    converted = None
    if units.differ(left.unit, right.unit):
        converted = units.coarsest((left.unit, right.unit))
        f = Decimal(1).scaleb(units.shift(unit, converted))
        diff, tol = diff * f, tol * f
        likely = None if likely is None else likely * f
    return Comparison(holds, left, right, op, diff, tol, likely is not None, likely, converted)
