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


def near_miss(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``name`` narrowly misses: at most one edit in four characters of the candidate
    (at least one), the fewest edits first. None when ``name`` is itself a candidate, since a name that
    is right has nothing to correct, or when every candidate is further off: a different name, not a slip."""
    names = [c for c in dict.fromkeys(candidates) if c]
    if name in names:
        return None
    best: tuple[int, str] | None = None
    for c in names:
        if abs(len(c) - len(name)) > max(1, len(c) // 4):
            continue
        d = edits(name, c)
        if d <= max(1, len(c) // 4) and (best is None or d < best[0]):
            best = (d, c)
    return best[1] if best else None
