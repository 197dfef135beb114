"""Forbidding rules checked partly in a forked child give the findings and outcomes of one process."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT

from disclosure_lint.api import read_report
from disclosure_lint.batch.cache import diagnostic_dict
from disclosure_lint.engine import beside
from disclosure_lint.engine.evaluate import check_rule, run_rules
from disclosure_lint.engine.views import ReportIndex
from disclosure_lint.forked import SPARE_ENV
from disclosure_lint.model import Diagnostic, Location

TEMPLATE = ROOT / "tests" / "corpus" / "shanghai-2024-final-accounts-template.pdf"
PARENT = os.getpid()
HERE = f"pid {PARENT}"


@pytest.fixture(scope="module", params=[TEMPLATE, EXAMPLE], ids=["template-pdf", "example-text"])
def checked(request):
    report, pack = read_report(Path(request.param))
    return report, pack


def _run(checked, runner):
    report, pack = checked
    return runner(pack.rules, report, ReportIndex(report, pack.specs))


def _as_data(result):
    diagnostics, outcomes = result
    return [diagnostic_dict(d) for d in diagnostics], {k: vars(v) for k, v in outcomes.items()}


def _tag_processes(monkeypatch, die_in_child: bool = False, slow_here: float = 0.0) -> None:
    """Each rule's outcome ends with a reason naming the process that checked it."""

    def tagged(rule, index):
        if die_in_child and os.getpid() != PARENT:
            os._exit(3)
        if os.getpid() == PARENT and not rule.forbidding:
            time.sleep(slow_here)
        found, outcome = check_rule(rule, index)
        outcome.reasons.append(f"pid {os.getpid()}")
        return found, outcome

    monkeypatch.setattr(beside, "check_rule", tagged)


def test_the_child_checks_forbidding_rules_and_the_findings_are_those_of_one_process(checked, monkeypatch):
    _, pack = checked
    serial = _run(checked, run_rules)
    monkeypatch.setenv(SPARE_ENV, "2")
    split = _run(checked, beside.run_rules_beside)
    assert _as_data(split) == _as_data(serial)
    assert list(split[1]) == [r.id for r in pack.rules]

    # The others are checked here; the forbidding ones there from the last one down (while this
    # process is slow, all of them), and here from the first one up until they meet.
    for slow, taken_there in ((0.003, "all"), (0.0, "some")):
        _tag_processes(monkeypatch, slow_here=slow)
        _, outcomes = _run(checked, beside.run_rules_beside)
        assert {outcomes[r.id].reasons[-1] for r in pack.rules if not r.forbidding} == {HERE}
        where = [outcomes[r.id].reasons[-1] == HERE for r in pack.rules if r.forbidding]
        assert where == sorted(where, reverse=True) and not where[-1]
        if taken_there == "all":
            assert not any(where)


def test_there_is_forbidden_wording_for_the_child_to_find(checked):
    """The comparison above is not vacuous: the template's placeholders, the example's half-width commas."""
    report, pack = checked
    forbidding = {r.id for r in pack.rules if r.forbidding}
    diagnostics, _ = _run(checked, run_rules)
    assert sum(d.rule in forbidding for d in diagnostics) >= (100 if report.path == str(TEMPLATE) else 10)


def test_without_a_spare_core_every_rule_is_checked_here(checked, monkeypatch):
    serial = _run(checked, run_rules)
    monkeypatch.delenv(SPARE_ENV, raising=False)

    def no_fork(*args, **kwargs):
        raise AssertionError("forked without a spare core")

    monkeypatch.setattr(beside, "Split", no_fork)
    assert _as_data(_run(checked, beside.run_rules_beside)) == _as_data(serial)


def test_a_child_that_dies_costs_time_only(checked, monkeypatch):
    serial = _run(checked, run_rules)
    monkeypatch.setenv(SPARE_ENV, "2")
    _tag_processes(monkeypatch, die_in_child=True)
    diagnostics, outcomes = _run(checked, beside.run_rules_beside)
    assert {o.reasons.pop() for o in outcomes.values()} == {HERE}
    assert _as_data((diagnostics, outcomes)) == _as_data(serial)


def test_findings_with_evidence_never_leave_the_child():
    where = Location("a.pdf", page=1)
    plain = Diagnostic("H.X", "error", "m", where)
    assert beside._plain(([plain], None)) == ([plain], None)
    with_evidence = Diagnostic("H.X", "error", "m", where, evidence=object())
    assert beside._plain(([plain, with_evidence], None)) is None
    assert beside._plain(([Diagnostic("H.X", "error", "m", where, absorbed=(with_evidence,))], None)) is None
