"""The rules that forbid a pattern checked in a forked child, beside the worker checking the others.

Once the pages are read, checking the rules is the longest step a single file waits for, and it
runs on one core. The findings of a rule that forbids a pattern (``match … assert false``) are
plain data; those of a failed comparison carry evidence that holds closures over the report, for
``consolidate``, and cannot leave the process. With a core to spare (``forked``), a child checks
the forbidding rules, about half of the time, while this process checks the others, and the
results are put back in the rules' order: the findings are those of checking them in one process.
A child that does not answer (killed, out of memory, a defect) costs time only: its rules are
checked here, as is any rule whose findings came back with evidence.
"""

from __future__ import annotations

from ..forked import Beside, spare_core
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
    aside = [r for r in rules if r.forbidding]
    if not spare_core() or len(aside) < MIN_RULES or len(aside) == len(rules):
        return run_rules(rules, report, index)
    child = Beside(lambda: [_plain(check_rule(r, index)) for r in aside])
    here = {r.id: check_rule(r, index) for r in rules if not r.forbidding}
    there = child.result() or [None] * len(aside)
    for rule, checked in zip(aside, there, strict=True):
        here[rule.id] = checked if checked is not None else check_rule(rule, index)
    diagnostics: list[Diagnostic] = []
    outcomes: dict[str, Outcome] = {}
    for rule in rules:
        found, outcomes[rule.id] = here[rule.id]
        diagnostics.extend(found)
    return diagnostics, outcomes
