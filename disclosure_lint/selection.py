"""Which diagnostics a configuration keeps, and at which severity.

A selector is a rule id (``T03.ROW-SUM``), a prefix (``N.``, ``T03``) or a severity name. Layers are
applied base configuration first, as ruff does: within one layer the most specific matching selector
decides (an id beats a longer prefix beats a shorter one beats a severity name; on a tie ``ignore``
wins); a layer with ``select`` switches off whatever it does not match. Built-in checks (``E.`` ids:
unreadable cells, suppression problems) stay on unless a selector matches them, and ``E.INPUT``
(a file that could not be checked at all) is never dropped, so a batch loses nothing.
"""

from __future__ import annotations

from dataclasses import replace

from .config import Settings
from .model import SEVERITIES, Diagnostic

BUILTIN_PREFIX = "E."
ALWAYS_KEPT = "E.INPUT"


def specificity(selector: str, rule: str, severity: str) -> int:
    """How closely a selector matches; 0 when it does not match at all."""
    if selector in SEVERITIES:
        return 1 if selector == severity else 0
    if selector == rule:
        return 10_000
    return 1 + len(selector) if rule.startswith(selector) else 0


def _best(selectors: tuple[str, ...], rule: str, severity: str) -> int:
    return max((specificity(s, rule, severity) for s in selectors), default=0)


def severity_for(settings: Settings, rule: str, default: str) -> str:
    """The severity set for the most specific matching id or prefix in ``severity``, else the default."""
    best, level = 0, default
    for selector, value in settings.severity.items():
        score = specificity(selector, rule, "")
        if score > best:
            best, level = score, value
    return level


def selected(settings: Settings, rule: str, severity: str) -> bool:
    """Whether ``select`` / ``extend-select`` / ``ignore`` keep this rule at this severity."""
    if rule == ALWAYS_KEPT:
        return True
    on = True
    builtin = rule.startswith(BUILTIN_PREFIX)
    for layer in settings.layers:
        chosen = max(_best(layer.select or (), rule, severity), _best(layer.extend_select, rule, severity))
        dropped = _best(layer.ignore, rule, severity)
        if chosen or dropped:
            on = chosen > dropped
        elif layer.select is not None and not builtin:
            on = False
    return on


def apply_selection(settings: Settings, diagnostics: list[Diagnostic], path: str) -> list[Diagnostic]:
    """Set configured severities, then drop what ``select`` / ``ignore`` / ``per-file-ignores`` switch off."""
    file_ignores = settings.ignored_here(path)
    out: list[Diagnostic] = []
    for d in diagnostics:
        level = severity_for(settings, d.rule, d.severity)
        if level != d.severity:
            d = replace(d, severity=level)
        if d.rule != ALWAYS_KEPT and _best(file_ignores, d.rule, d.severity):
            continue
        if selected(settings, d.rule, d.severity):
            out.append(d)
    return out
