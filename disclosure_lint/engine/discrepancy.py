"""What kind of difference a failed comparison shows, before it is reported as a wrong figure.

Two kinds are not a wrong figure of the same class:

* **a unit gap**: the two amounts differ by a factor of 100, 1,000, 10,000 or 10⁸. That is a 元
  table read against a 万元 sentence (or a unit caption that was misread), never an amount error;
* **a rounding slip**: the coarser side is off by no more than one unit in its last printed place,
  as when 87.346 is printed as 87.34 (truncated) or shares are adjusted to add up to 100.00. The
  interval model allows half a unit; a full unit is a warning, anything more stays an error.
"""

from __future__ import annotations

from decimal import Decimal

from . import units
from .interval import Amount, Comparison, aligned

# Powers of ten between money units (元, 千元, 万元, 亿元) and between a percent and a fraction.
UNIT_FACTORS = (2, 3, 4, 8)
# A unit gap is only told from a coincidence between figures printed to three significant digits or more.
MAX_RELATIVE_WIDTH = Decimal("0.005")


def _scaled(a: Amount, power: int) -> Amount:
    f = Decimal(1).scaleb(power)
    lo, hi = sorted((a.lo * f, a.hi * f))
    return Amount(lo, hi, a.mid * f, a.decimals, a.text, a.cells, a.blank, a.composite, None, a.unit)


def unit_gap(comp: Comparison) -> int | None:
    """The power of ten k with left ≈ right × 10ᵏ, when an equality fails only by such a factor."""
    if comp.op != "==":
        return None
    a, b, _ = aligned(comp.left, comp.right)
    if a.mid == 0 or b.mid == 0 or a.blank or b.blank:
        return None
    # A figure of one or two significant digits (0.3万元) matches some power of ten of almost anything.
    if any(x.half_width > MAX_RELATIVE_WIDTH * abs(x.mid) for x in (a, b)):
        return None
    for k in UNIT_FACTORS:
        for power in (k, -k):
            s = _scaled(b, power)
            if a.lo <= s.hi and s.lo <= a.hi:
                return power
    return None


def _ulp(a: Amount, unit: str | None) -> Decimal:
    """One unit in the last printed place of ``a``, expressed in ``unit``."""
    return Decimal(1).scaleb(-a.decimals + units.shift(a.unit, unit))


def rounding_slip(comp: Comparison) -> bool:
    """The comparison fails, but moving its coarser printed side by one unit in its last place would
    make it hold. Exact figures (counts, a bare 0, blanks) have no last place to slip in."""
    a, b, unit = aligned(comp.left, comp.right)
    printed = [x for x in (a, b) if x.hi > x.lo]
    if not printed:
        return False
    coarse = max(printed, key=lambda x: _ulp(x, unit))
    slack = _ulp(coarse, unit) - coarse.half_width
    extra = comp.tolerance * Decimal(1).scaleb(units.shift(comp.converted_to, unit)) - a.half_width - b.half_width
    if comp.op == "==":
        gap = max(a.lo - b.hi, b.lo - a.hi)
    elif comp.op in ("<=", "<"):
        gap = a.lo - b.hi
    elif comp.op in (">=", ">"):
        gap = b.lo - a.hi
    else:
        return False
    return 0 <= gap - extra <= slack
