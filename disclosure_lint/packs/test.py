"""``disclosure-lint pack test``: every rule must pass its passing examples and fire on its failing ones.

Examples live in ``<pack>/examples/<RULE-ID>/pass*.md`` and ``fail*.md``: small report fragments
holding just the tables or paragraphs the rule reads. A passing example must be assessed (not
merely skipped), so an example that no longer reaches the rule is caught too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..api import lint
from ..errors import LintError
from .load import Pack


@dataclass
class ExampleResult:
    rule: str
    ok: bool
    detail: str


def _check(pack: Pack, rule: str, path: Path, expect_fail: bool) -> ExampleResult:
    try:
        result = lint(path, pack)
    except LintError as exc:
        return ExampleResult(rule, False, f"{path.name}: 无法读取示例：{exc.message}")
    outcome = result.outcomes.get(rule)
    if outcome is None:
        return ExampleResult(rule, False, f"{path.name}: 规则未运行")
    # Judged by what a user would see: any diagnostic of the rule, a tail-discrepancy warning included,
    # or one merged into the finding about the wrong cell that caused it.
    found = [d for d in result.diagnostics if d.rule == rule or any(a.rule == rule for a in d.absorbed)]
    if expect_fail:
        if found:
            return ExampleResult(rule, True, f"{path.name}: 报告 {len(found)} 处（{found[0].loc.describe()}）")
        why = "；".join(outcome.reasons) or "规则判定通过"
        return ExampleResult(rule, False, f"{path.name}: 应报告问题但没有（{why}）")
    if found:
        return ExampleResult(rule, False, f"{path.name}: 不应报告问题，但报告了：{found[0].message}")
    if not outcome.passed:
        why = "；".join(outcome.reasons) or "没有可检查的内容"
        return ExampleResult(rule, False, f"{path.name}: 规则未被实际检查（{why}）")
    return ExampleResult(rule, True, f"{path.name}: 通过 {outcome.passed} 处检查")


def run_pack_tests(pack: Pack, only: str | None = None) -> list[ExampleResult]:
    """Every rule's examples; a rule lacking a passing or a failing one fails rather than being skipped."""
    results: list[ExampleResult] = []
    for compiled in pack.rules:
        rule = compiled.id
        if only and rule != only:
            continue
        files = [
            f
            for d in pack.example_dirs(rule)
            for f in sorted(d.iterdir())
            if f.is_file() and not f.name.startswith(".")
        ]
        passes = [f for f in files if f.name.startswith("pass")]
        fails = [f for f in files if f.name.startswith("fail")]
        # A misnamed file would otherwise be skipped without a word, and its case never run.
        results.extend(
            ExampleResult(rule, False, f"{f.name}: 示例文件名应以 pass 或 fail 开头")
            for f in files
            if f not in passes and f not in fails
        )
        if not passes or not fails:
            missing = "通过示例" if not passes else "不通过示例"
            results.append(ExampleResult(rule, False, f"缺少{missing}"))
            continue
        results.extend(_check(pack, rule, f, False) for f in passes)
        results.extend(_check(pack, rule, f, True) for f in fails)
    return results
