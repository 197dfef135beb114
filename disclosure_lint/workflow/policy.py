"""What a user sees for one file: the project's severities and rule selection, then inline suppressions.

Shared by the command line and the language server (through ``api.lint(..., settings=...)``), so an
editor shows exactly what ``disclosure-lint check`` reports. The baseline is applied on top by the
command line, which sees the whole batch.
"""

from __future__ import annotations

from ..model import Comment, Diagnostic
from ..packs.builtin import BUILTIN_RULES
from .config import Settings
from .selection import apply_selection
from .suppress import apply_suppressions


def apply_settings(
    diagnostics: list[Diagnostic], comments: list[Comment], settings: Settings, path: str, rule_ids: set[str]
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Return (reported, suppressed inline). ``rule_ids`` are the pack's rules, to tell a typo from a stale id."""
    kept = apply_selection(settings, diagnostics, path)
    kept, suppressed, problems = apply_suppressions(kept, comments, rule_ids | set(BUILTIN_RULES))
    kept.extend(apply_selection(settings, problems, path))
    kept.sort(key=Diagnostic.sort_key)
    return kept, suppressed
