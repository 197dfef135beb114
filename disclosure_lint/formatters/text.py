"""``path:line:col: severity RULE message`` (``path:page N:`` for PDF, ``path:Sheet!A1:`` for XLSX)."""

from __future__ import annotations

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


def summary(diagnostics: list[Diagnostic], files: int) -> str:
    counts = {s: sum(1 for d in diagnostics if d.severity == s) for s in SEVERITY_ZH}
    total = sum(counts.values())
    if total == 0:
        return f"检查了 {files} 个文件，未发现问题。"
    parts = "，".join(f"{SEVERITY_ZH[s]} {n}" for s, n in counts.items() if n)
    return f"检查了 {files} 个文件，发现 {total} 个问题（{parts}）。"


def render(diagnostics: list[Diagnostic], ctx: RenderContext) -> str:
    out = [line(d) for d in diagnostics]
    out.append(summary(diagnostics, ctx.files))
    return "\n".join(out) + "\n"
