"""Which diagnostics a configuration keeps, and at which severity.

A selector is a rule id (``T03.ROW-SUM``), a prefix (``N.``, ``T03``) or a severity name. Ids and
prefixes decide which rules are on; severity names decide, independently, which severities are; a
finding is kept when both allow it (``select = ["N."]`` with ``ignore = ["warning"]``: the N. errors).
Each dimension is applied layer by layer, base configuration first, as ruff does: within one layer the
most specific matching selector decides (an id beats a longer prefix beats a shorter one; on a tie
``ignore`` wins), and a layer whose ``select`` names that dimension switches off what it does not match.
Built-in checks (``E.`` ids: unreadable cells, suppression problems) are not switched off by a
``select`` of other rules, only by a selector that matches them; ``E.INPUT`` (a file that could not be
checked at all) is never dropped, so a batch loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..model import SEVERITIES, Diagnostic
from .config import Settings

BUILTIN_PREFIX = "E."
ALWAYS_KEPT = "E.INPUT"


def specificity(selector: str, rule: str) -> int:
    """How closely an id or prefix matches a rule; 0 when it does not match at all."""
    if selector == rule:
        return 10_000
    return 1 + len(selector) if rule.startswith(selector) else 0


def severity_for(settings: Settings, rule: str, default: str) -> str:
    """The severity set for the most specific matching id or prefix in ``severity``, else the default."""
    best, level = 0, default
    for selector, value in settings.severity.items():
        score = specificity(selector, rule)
        if score > best:
            best, level = score, value
    return level


def _is_level(selector: str) -> bool:
    return selector in SEVERITIES


def _allowed(
    settings: Settings, score: Callable[[str], int], dimension: Callable[[str], bool], resettable: bool
) -> bool:
    on = True
    for layer in settings.layers:
        select = [s for s in (layer.select or ()) if dimension(s)]
        chosen = max((score(s) for s in [*select, *layer.extend_select] if dimension(s)), default=0)
        dropped = max((score(s) for s in layer.ignore if dimension(s)), default=0)
        if chosen or dropped:
            on = chosen > dropped
        elif select and resettable:
            on = False
    return on


def selected(settings: Settings, rule: str, severity: str) -> bool:
    """Whether ``select`` / ``extend-select`` / ``ignore`` keep this rule at this severity."""
    if rule == ALWAYS_KEPT:
        return True
    rules_ok = _allowed(
        settings,
        lambda s: specificity(s, rule),
        lambda s: not _is_level(s),
        resettable=not rule.startswith(BUILTIN_PREFIX),
    )
    return rules_ok and _allowed(settings, lambda s: int(s == severity), _is_level, resettable=True)


def apply_selection(settings: Settings, diagnostics: list[Diagnostic], path: str) -> list[Diagnostic]:
    """Set configured severities, then drop what ``select`` / ``ignore`` / ``per-file-ignores`` switch off."""
    file_ignores = settings.ignored_here(path)
    out: list[Diagnostic] = []
    for d in diagnostics:
        level = severity_for(settings, d.rule, d.severity)
        if level != d.severity:
            d = replace(d, severity=level)
        if d.rule != ALWAYS_KEPT and any(s == d.severity or specificity(s, d.rule) for s in file_ignores):
            continue
        if selected(settings, d.rule, d.severity):
            out.append(d)
    return out


def named(settings: Settings | None, rule: str) -> bool:
    """Whether a configuration's ``select`` or ``extend-select`` names this very rule id (not a prefix)."""
    return settings is not None and any(
        rule in (*(layer.select or ()), *layer.extend_select) for layer in settings.layers
    )


def runs(settings: Settings | None, rule: str, status: str) -> bool:
    """A preview rule runs only when the configuration selects it by its id; every other rule runs."""
    return status != "preview" or named(settings, rule)
