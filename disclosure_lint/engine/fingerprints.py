"""Finding fingerprints: what baselines and suppressions match findings on, across edits that move lines.

Built-in checks fingerprint their findings too, in processes that never load the rule engine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from ..labels import squash


def fingerprint(rule: str, table: str | None, row: str | None, column: str | None, texts: Iterable[str]) -> str:
    """Rule, table, row and column; for prose, the matched texts (squashed, so re-wrapping keeps it)."""
    parts = [rule, table or "", row or "", column or ""]
    if not (table or row):
        parts.extend(squash(t) for t in texts)
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
