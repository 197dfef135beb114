"""The nearest valid name for a misspelt one, so errors can say what was probably meant."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest(name: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate by edit similarity, or None when nothing is close enough to suggest."""
    names = [c for c in dict.fromkeys(candidates) if c and c != name]
    found = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if found:
        return found[0]
    folded = {c.casefold(): c for c in names}
    return folded.get(name.casefold())


def did_you_mean(suggestion: str | None) -> str:
    """The message tail that names a suggestion; empty when there is none."""
    return f"，是否应为“{suggestion}”？" if suggestion else ""


def edits(a: str, b: str) -> int:
    """Characters to insert, delete or replace (two neighbours swapped count once) to turn ``a`` into ``b``."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


# Words a name may follow in the text without being part of it: 其中、详见、本年度.
LEAD = 4


def near_miss(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``name`` narrowly misses: at most one edit in four characters of the candidate
    (at least one), the fewest edits first, where up to ``LEAD`` characters before it in ``name`` are
    words of the text's own. None when every candidate is further off (a different name, not a slip),
    and None when ``name`` ends with a candidate as written over at least as many characters as the
    miss would cover: the text says that name (详见支出决算表), so there is nothing to correct."""
    names = [c for c in dict.fromkeys(candidates) if c]
    said = 0
    best: tuple[int, int, str] | None = None
    for c in names:
        allowed = max(1, len(c) // 4)
        rests = [name[skip:] for skip in range(min(LEAD, len(name) - 1) + 1)]
        if c in rests:
            said = max(said, len(c))
            continue
        for rest in rests:
            if abs(len(rest) - len(c)) > allowed:
                continue
            d = edits(rest, c)
            if d <= allowed and (best is None or (d, -len(rest)) < best[:2]):
                best = (d, -len(rest), c)
    if best is None or said >= -best[1]:
        return None
    return best[2]
