"""Which schema a caption names: by printed code (公开03表, possibly split over lines) or by title.

Captions carry prefixes (the department, the year) and suffixes (（续）, (2024年度)), so a title
matches when it is the longest schema title or alias that ends the caption.
"""

from __future__ import annotations

import re

from ..labels import squash
from ..packs.schema import TableSpec

_CODE = re.compile(r"公开0?(\d{1,2})(?:表)?")
_SUFFIX = re.compile(r"（续(?:表)?）$|续表$|（\d{4}年度?）$")


def _strip_title(text: str) -> str:
    return _SUFFIX.sub("", squash(text))


def match_title(text: str, specs: list[TableSpec]) -> TableSpec | None:
    """The schema whose title or alias is the longest suffix of ``text`` (prefixes name the dept/year)."""
    t = _strip_title(text)
    if not t or len(t) > 60:
        return None
    best: tuple[int, TableSpec] | None = None
    for spec in specs:
        for name in (spec.title, *spec.aliases):
            n = squash(name)
            if n and t.endswith(n) and (best is None or len(n) > best[0]):
                best = (len(n), spec)
    return best[1] if best else None


def match_code(text: str, specs: list[TableSpec]) -> TableSpec | None:
    found = None
    for m in _CODE.finditer(squash(text)):
        code = f"公开{int(m.group(1)):02d}表"
        for spec in specs:
            if spec.code == code:
                found = spec
    return found
