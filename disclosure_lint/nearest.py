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
