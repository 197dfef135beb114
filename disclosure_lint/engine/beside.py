"""The rules that forbid a pattern checked in a forked child, beside the worker checking the others.

Once the pages are read, checking the rules is the longest step a single file waits for, and it
runs on one core. The findings of a rule that forbids a pattern (``match … assert false``) are
plain data; those of a failed comparison carry evidence that holds closures over the report, for
``consolidate``, and cannot leave the process. With a core to spare, a child checks the forbidding
rules, about half of the time, from the last one down, while this process checks the others and
then the forbidding rules from the first one up until they meet (``forked.Split``); the results
are put back in the rules' order: the findings are those of checking them in one process. A child
that does not answer (killed, out of memory) costs time only: its rules are checked here, as is
any rule whose findings came back with evidence.
"""

from __future__ import annotations

from ..forked import Split, spare_core
from ..model import Diagnostic, Report
from .evaluate import CompiledRule, Outcome, check_rule, run_rules
from .views import ReportIndex

# Fewer forbidding rules than this are not worth a fork.
MIN_RULES = 4

_Checked = tuple[list[Diagnostic], Outcome]


def _plain(checked: _Checked) -> _Checked | None:
    """The rule's results, if they can leave the process."""
    found, _ = checked
    if any(d.evidence is not None or any(a.evidence is not None for a in d.absorbed) for d in found):
        return None
    return checked


def run_rules_beside(
    rules: list[CompiledRule], report: Report, index: ReportIndex
) -> tuple[list[Diagnostic], dict[str, Outcome]]:
    """The rules' findings and outcomes, as ``run_rules`` gives them."""
    aside = [r for r in rules if r.forbidding]
    if not spare_core() or len(aside) < MIN_RULES or len(aside) == len(rules):
        return run_rules(rules, report, index)
    # The others first, then the forbidding rules, which the child takes from the end.
    order = [r for r in rules if not r.forbidding] + aside
    split = Split(
        len(order),
        lambda n: check_rule(order[n - 1], index),
        floor=len(order) - len(aside) + 1,
        export=_plain,
        redo_lost=True,
    )
    try:
        checked = {rule.id: split.get(n) for n, rule in enumerate(order, 1)}
    finally:
        split.close()
    diagnostics: list[Diagnostic] = []
    outcomes: dict[str, Outcome] = {}
    for rule in rules:
        found, outcomes[rule.id] = checked[rule.id]
        diagnostics.extend(found)
    return diagnostics, outcomes
