"""``disclosure-lint pack test``: every rule must pass its passing examples and fire on its failing ones.

Examples live in ``<pack>/examples/<RULE-ID>/``: small report fragments holding just the tables or
paragraphs the rule reads.

* ``pass*.md``: the rule is assessed (not merely skipped) and reports nothing, so an example that
  no longer reaches the rule is caught too;
* ``fail*.md``: the rule reports; with an ``expect`` header (see ``expect.py``) exactly the findings
  it pins, and the difference is shown otherwise;
* ``na*.md``: the rule is not applicable: it reports nothing and checks nothing.

A child pack runs its parents' examples too; an example file of the child replaces the parent's file
of the same name. When the child overrides a rule's message, inherited examples are held to
everything they pin except the message text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..api import read_report
from ..engine.evaluate import Outcome, run_rules
from ..engine.views import ReportIndex
from ..errors import LintError
from ..model import Diagnostic
from .expect import SIDECAR, Expected, compare, read_expectations
from .load import Pack

KINDS = ("pass", "fail", "na")


@dataclass
class ExampleResult:
    rule: str
    ok: bool
    detail: str
    diff: list[str] = field(default_factory=list)


def example_files(pack: Pack, rule: str) -> list[Path]:
    """The rule's example files, nearest pack first; a nearer file hides a farther one of the same name."""
    seen: set[str] = set()
    out: list[Path] = []
    for d in pack.example_dirs(rule):
        for f in sorted(d.iterdir()):
            if f.is_file() and not f.name.startswith(".") and not f.name.endswith(SIDECAR) and f.name not in seen:
                seen.add(f.name)
                out.append(f)
    return out


def kind_of(path: Path) -> str | None:
    return next((k for k in KINDS if path.name.startswith(k)), None)


def missing_kinds(files: list[Path]) -> str:
    """``通过示例和不通过示例`` … for a rule whose examples lack either; empty when both are there."""
    kinds = {kind_of(f) for f in files}
    return "和".join(name for kind, name in (("pass", "通过示例"), ("fail", "不通过示例")) if kind not in kinds)


def _shown(d: Diagnostic) -> str:
    return f"{d.rule} {d.loc.describe()}：{d.message}"


def _run(pack: Pack, path: Path, rules: set[str]) -> tuple[list[Diagnostic], dict[str, Outcome]]:
    report, _ = read_report(path, pack)
    compiled = [r for r in pack.rules if r.id in rules]
    return run_rules(compiled, report, ReportIndex(report, pack.specs))


def _message_checked(pack: Pack, rule: str, path: Path) -> bool:
    """False for an inherited example of a rule whose message a nearer pack rewrote."""
    origin = pack.checked[rule].message_from
    return origin is None or Path(origin).parent == path.parent.parent.parent


def check_example(pack: Pack, rule: str, path: Path) -> ExampleResult:
    kind = kind_of(path)
    try:
        expected = read_expectations(path, rule)
    except LintError as exc:
        return ExampleResult(rule, False, f"{path.name}: {exc.one_line()}")
    unknown = sorted({e.rule for e in expected or []} - {r.id for r in pack.rules})
    if unknown:
        return ExampleResult(rule, False, f"{path.name}: 预期中的规则 {unknown[0]} 不在本规则包中")
    try:
        found, outcomes = _run(pack, path, {rule, *(e.rule for e in expected or [])})
    except LintError as exc:
        return ExampleResult(rule, False, f"{path.name}: 无法读取示例：{exc.message}")
    outcome = outcomes[rule]
    # Judged by what a user would see: any diagnostic of the rule, a tail-discrepancy warning included.
    mine = [d for d in found if d.rule == rule]
    if kind == "na":
        return _not_applicable(rule, path, mine, outcome, expected or [])
    if kind == "fail":
        return _failing(pack, rule, path, found, mine, outcome, expected)
    if mine:
        return ExampleResult(rule, False, f"{path.name}: 不应报告问题，但报告了：{mine[0].message}")
    if not outcome.passed:
        why = "；".join(outcome.reasons) or "没有可检查的内容"
        return ExampleResult(rule, False, f"{path.name}: 规则未被实际检查（{why}）")
    if expected is not None:
        return ExampleResult(rule, False, f"{path.name}: 通过示例不需要 expect 预期")
    return ExampleResult(rule, True, f"{path.name}: 通过 {outcome.passed} 处检查")


def _failing(
    pack: Pack,
    rule: str,
    path: Path,
    found: list[Diagnostic],
    mine: list[Diagnostic],
    outcome: Outcome,
    expected: list[Expected] | None,
) -> ExampleResult:
    if not mine:
        why = "；".join(outcome.reasons) or "规则判定通过"
        return ExampleResult(rule, False, f"{path.name}: 应报告问题但没有（{why}）")
    if expected is None:
        return ExampleResult(rule, True, f"{path.name}: 报告 {len(mine)} 处（{mine[0].loc.describe()}）")
    if rule not in {e.rule for e in expected}:
        return ExampleResult(rule, False, f"{path.name}: 预期中没有本规则 {rule} 的问题")
    messages = _message_checked(pack, rule, path)
    missing, extra = compare(expected, found, messages)
    if missing or extra:
        diff = [f"- 预期：{e.describe()}" for e in missing] + [f"+ 实际：{_shown(d)}" for d in extra]
        if missing and not extra:
            near = [d for d in found if d.rule in {e.rule for e in missing}]
            diff += [f"  报告的是：{_shown(d)}" for d in near]
        return ExampleResult(rule, False, f"{path.name}: 报告的问题与预期不符", diff)
    note = "" if messages else "（消息已在子规则包中改写，未核对消息文字）"
    return ExampleResult(rule, True, f"{path.name}: 报告 {len(mine)} 处，与预期一致{note}")


def _not_applicable(
    rule: str, path: Path, mine: list[Diagnostic], outcome: Outcome, expected: list[Expected]
) -> ExampleResult:
    if mine:
        return ExampleResult(rule, False, f"{path.name}: 应不适用，但报告了：{mine[0].message}")
    if outcome.passed or outcome.failed:
        return ExampleResult(rule, False, f"{path.name}: 应不适用，但规则检查了 {outcome.passed} 处并通过")
    reasons = "；".join(outcome.reasons)
    for e in expected:
        if e.reason and e.reason not in reasons:
            diff = [f"- 预期原因含：“{e.reason}”", f"+ 实际原因：{reasons or '（规则的条件不成立，没有原因）'}"]
            return ExampleResult(rule, False, f"{path.name}: 不适用的原因与预期不符", diff)
    return ExampleResult(rule, True, f"{path.name}: 不适用（{reasons or '条件不成立'}）")


def stray_example_dirs(pack: Pack) -> list[Path]:
    """Example folders of this pack that name no rule of it (a typo, or a rule since removed or disabled)."""
    root = pack.path / "examples"
    ids = {r.id for r in pack.rules}
    return [d for d in sorted(root.iterdir()) if d.is_dir() and d.name not in ids] if root.is_dir() else []


def _pins(path: Path) -> bool:
    try:
        expected = read_expectations(path, path.parent.name) or []
    except LintError:
        return False
    return any(e.rule and (e.line or e.page or e.cell) for e in expected)


def _failing_examples(pack: Pack) -> list[Path]:
    paths = sorted((pack.path / "examples").glob("*/fail*"))
    return [p for p in paths if p.is_file() and not p.name.endswith(SIDECAR)]


def unpinned_examples(pack: Pack) -> list[Path]:
    """This pack's own failing examples whose expectation does not pin the rule and a place."""
    return [p for p in _failing_examples(pack) if not _pins(p)]


def pinned_share(pack: Pack) -> tuple[int, int]:
    """(failing examples of this pack's own folder, those whose expectation pins the rule and a place)."""
    examples = _failing_examples(pack)
    return len(examples), sum(_pins(p) for p in examples)


def run_pack_tests(pack: Pack, only: str | None = None) -> list[ExampleResult]:
    """Every rule's examples; a rule lacking a passing or a failing one fails rather than being skipped."""
    results: list[ExampleResult] = []
    if only is None:
        results.extend(
            ExampleResult(d.name, False, f"examples/{d.name}: 规则包中没有这条规则") for d in stray_example_dirs(pack)
        )
    for compiled in pack.rules:
        rule = compiled.id
        if only and rule != only:
            continue
        files = example_files(pack, rule)
        # A misnamed file would otherwise be skipped without a word, and its case never run.
        results.extend(
            ExampleResult(rule, False, f"{f.name}: 示例文件名应以 pass、fail 或 na 开头")
            for f in files
            if kind_of(f) is None
        )
        missing = missing_kinds(files)
        if missing:
            results.append(ExampleResult(rule, False, f"缺少{missing}"))
            continue
        results.extend(check_example(pack, rule, f) for f in files if kind_of(f) is not None)
    return results
