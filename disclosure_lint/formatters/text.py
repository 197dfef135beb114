"""``path:line:col: severity RULE message`` (``path:page N:`` for PDF, ``path:Sheet!A1:`` for XLSX)."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Diagnostic, Location
from . import RenderContext

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def place(loc: Location) -> str:
    if loc.page is not None:
        return f"{loc.path}:page {loc.page}"
    if loc.sheet is not None:
        return f"{loc.path}:{loc.sheet}!{loc.cell}" if loc.cell else f"{loc.path}:{loc.sheet}"
    if loc.line is not None:
        return f"{loc.path}:{loc.line}:{loc.col or 1}"
    return loc.path


def line(d: Diagnostic) -> str:
    return f"{place(d.loc)}: {d.severity} {d.rule} {d.message}"


def summary(diagnostics: list[Diagnostic], files: int, packs: list[str] | None = None) -> str:
    """The last line: files, findings by severity and the packs they were checked with."""
    counts = {s: sum(1 for d in diagnostics if d.severity == s) for s in SEVERITY_ZH}
    total = sum(counts.values())
    used = f"；规则包 {'、'.join(packs)}" if packs else ""
    if total == 0:
        return f"检查了 {files} 个文件，未发现问题{used}。"
    parts = "，".join(f"{SEVERITY_ZH[s]} {n}" for s, n in counts.items() if n)
    return f"检查了 {files} 个文件，发现 {total} 个问题（{parts}）{used}。"


def statistics(diagnostics: list[Diagnostic], paths: list[str], pack_of: Callable[[str], str | None]) -> list[str]:
    """Counts per rule and per file: what an inspector reads after linting a folder of reports."""
    by_rule: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        by_rule.setdefault(d.rule, []).append(d)
    out = ["", "按规则统计："]
    for rule, ds in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        files = len({d.loc.path for d in ds})
        out.append(f"{len(ds):6d}  {rule:<24} {ds[0].severity:<7} {files} 个文件  {ds[0].title or ''}".rstrip())
    out += ["", "按文件统计："]
    for path in paths:
        mine = [d for d in diagnostics if d.loc.path == path]
        by_prefix: dict[str, list[Diagnostic]] = {}
        for d in mine:
            by_prefix.setdefault(d.rule.split(".")[0], []).append(d)
        detail = "；".join(f"{prefix} {_counts(ds)}" for prefix, ds in sorted(by_prefix.items()))
        pack = pack_of(path)
        out.append(
            f"  {path}：{_counts(mine) or '未发现问题'}"
            + (f"（{detail}）" if detail else "")
            + (f"（规则包 {pack}）" if pack else "")
        )
    return out


def _counts(diagnostics: list[Diagnostic]) -> str:
    """``错误 3，警告 1``: the severities present, in order."""
    return "，".join(
        f"{SEVERITY_ZH[s]} {n}" for s in SEVERITY_ZH if (n := sum(1 for d in diagnostics if d.severity == s))
    )


def render(diagnostics: list[Diagnostic], ctx: RenderContext) -> str:
    out = [line(d) for d in diagnostics]
    if ctx.statistics:
        out += statistics(diagnostics, ctx.paths, ctx.pack_of)
    out.append(summary(diagnostics, ctx.files, ctx.pack_ids()))
    return "\n".join(out) + "\n"
