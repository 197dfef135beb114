"""What the review report and the ledger both show about a run: rule families, the files with their
findings and status, and the documentation of each rule found."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from ..model import SEVERITIES, CheckedFile, Diagnostic, Location
from ..packs.docs import RuleInfo, builtin_rules, pack_rules
from . import RenderContext
from .text import SEVERITY_ZH

FAMILIES = {
    "S": "结构完整性",
    "T": "表内勾稽",
    "X": "表间勾稽",
    "N": "情况说明",
    "H": "文字规范",
    "A": "绩效自评表",
    "E": "读取与内置检查",
}


def family(rule: str) -> str:
    """``T03.ROW-SUM`` -> ``T``: the letters before the table number or the dot."""
    m = re.match(r"[A-Z]+", rule)
    return m.group(0) if m else rule.split(".", 1)[0]


def family_label(code: str) -> str:
    return f"{code} {FAMILIES[code]}" if code in FAMILIES else code


def amount(value: Decimal | None, places: int = 2) -> str:
    """A value as finance staff read it: thousands separated, at most ``places`` decimals."""
    if value is None:
        return ""
    if value.as_tuple().exponent < -places:
        value = value.quantize(Decimal(1).scaleb(-places))
    return f"{value:,}"


def note(d: Diagnostic, info: RuleInfo | None) -> str:
    """The text of a finding's note in the checked PDF: rule, message, the values and the basis."""
    title = d.title or (info.title if info else "")
    lines = [f"{d.rule} {title}".strip(), f"{SEVERITY_ZH[d.severity]}：{d.message}"]
    values = [f"{k}：{amount(v)}" for k, v in (("期望值", d.expected), ("实际值", d.actual)) if v is not None]
    if values:
        lines.append("；".join(values))
    lines += [f"相关：{r.message}（{where(r.loc)}）" for r in d.related]
    if info and info.ref:
        lines.append(f"依据：{info.ref}")
    return "\n".join(lines)


def where(loc: Location) -> str:
    """The place of a finding in words: ``第 21 页``, ``第 165 行第 5 列`` or ``公开03表!D12``."""
    if loc.page is not None:
        return f"第 {loc.page} 页"
    if loc.sheet is not None:
        return f"{loc.sheet}!{loc.cell}" if loc.cell else loc.sheet
    if loc.line is not None:
        return f"第 {loc.line} 行" + (f"第 {loc.col} 列" if loc.col else "")
    return ""


def rule_infos(diagnostics: list[Diagnostic], ctx: RenderContext) -> dict[str, RuleInfo]:
    """Every rule of the packs used, the built-in checks, and any other rule a finding names."""
    seen: dict[str, RuleInfo] = {}
    for pack in ctx.packs:
        for r in pack_rules(pack):
            seen.setdefault(r.id, r)
    for r in builtin_rules(ctx.packs[0] if ctx.packs else None):
        seen.setdefault(r.id, r)
    for d in diagnostics:
        seen.setdefault(d.rule, RuleInfo(d.rule, d.title or d.rule, d.severity, help_uri=d.help_uri))
    return seen


@dataclass
class FileFindings:
    file: CheckedFile
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)

    @property
    def status(self) -> str:
        if self.file.error is not None:
            return "无法检查"
        for severity in SEVERITIES:
            if self.count(severity):
                return f"有{SEVERITY_ZH[severity]}"
        return "未发现问题"


def by_file(diagnostics: list[Diagnostic], ctx: RenderContext) -> list[FileFindings]:
    """The files of the run in order, each with its findings; a finding about another file (a stale
    baseline entry) gets an entry of its own."""
    out = {f.path: FileFindings(f) for f in ctx.checked}
    for path in ctx.paths:
        out.setdefault(path, FileFindings(CheckedFile(path)))
    for d in diagnostics:
        out.setdefault(d.loc.path, FileFindings(CheckedFile(d.loc.path))).diagnostics.append(d)
    return list(out.values())


def severity_counts(diagnostics: list[Diagnostic]) -> dict[str, int]:
    counts = Counter(d.severity for d in diagnostics)
    return {s: counts[s] for s in SEVERITIES}


def family_counts(diagnostics: list[Diagnostic]) -> dict[str, int]:
    """Findings per family, in the order of ``FAMILIES`` and then any other family found."""
    counts = Counter(family(d.rule) for d in diagnostics)
    order = [f for f in FAMILIES if counts[f]] + sorted(f for f in counts if f not in FAMILIES)
    return {f: counts[f] for f in order}
