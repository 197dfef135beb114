"""Money units. Budget tables are often printed in 元 while the 三公 table and the narrative use
万元, so an amount carries the unit of the table or sentence it comes from, and arithmetic or a
comparison between two units first converts both to the finer one (exact in Decimal: a power of
ten), interval widths included. A failed comparison reports its difference in the coarser unit,
the one whose rounding dominates the tolerance. An amount of unknown unit (no ``单位：`` caption, a constant, a
count) takes the unit of whatever it meets, which is how every amount behaved before units.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Power of ten of one unit, in 元.
SCALE = {"元": 0, "千元": 3, "万元": 4, "亿元": 8}
_AFTER = re.compile(r"\s*(亿元|万元|千元|元)")


def unit_after(text: str, pos: int) -> str | None:
    """The unit written right after a number, as in ``9628.22万元``; None when there is none."""
    m = _AFTER.match(text, pos)
    return m.group(1) if m else None


def finest(units: Iterable[str | None]) -> str | None:
    """The unit all of ``units`` convert to without losing digits; None if none is known."""
    known = [u for u in units if u in SCALE]
    return min(known, key=SCALE.__getitem__) if known else None


def coarsest(units: Iterable[str | None]) -> str | None:
    """The unit a difference between ``units`` is best read in: that of the less precise side."""
    known = [u for u in units if u in SCALE]
    return max(known, key=SCALE.__getitem__) if known else None


def shift(source: str | None, target: str | None) -> int:
    """Decimal places a value moves when converted from ``source`` to ``target`` (0 if either is unknown)."""
    if source not in SCALE or target not in SCALE:
        return 0
    return SCALE[source] - SCALE[target]


def differ(a: str | None, b: str | None) -> bool:
    """Both units are known and not the same: the figures need converting, and their units shown."""
    return a is not None and b is not None and a != b
