"""The one entry point shared by the CLI, the language server and tests: ``lint(path) -> Result``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .engine.evaluate import Outcome, run_rules
from .engine.views import ReportIndex
from .errors import InputError, LintError
from .model import Diagnostic, Location, Report
from .packs.builtin import builtin_diagnostic
from .packs.load import Pack, load_pack, select_pack
from .readers import open_document
from .recognize import recognize
from .recognize.meta import cover_complete, read_cover
from .workflow.config import Settings
from .workflow.policy import apply_settings


@dataclass
class Result:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    report: Report | None = None
    pack: Pack | None = None
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    error: LintError | None = None
    suppressed: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and not any(d.severity == "error" for d in self.diagnostics)


def read_report(
    path: str | Path,
    pack: Pack | None = None,
    data: bytes | None = None,
    search: tuple[Path, ...] = (),
    strict_pack: bool = False,
) -> tuple[Report, Pack]:
    """Read and recognize a report; choose the pack from its cover unless one is given.

    The pack is chosen from the cover alone (for a PDF, its first pages), so a report that no pack
    fits is refused before the rest of the file is parsed. A document without any recognized table
    is still a report when its cover names it one (e.g. a 情况说明 published without the tables); the
    structure rules then say what is missing.
    """
    spath = str(path)
    with open_document(path, data) as source:
        cover = None
        if pack is None:
            cover = read_cover(source.cover(cover_complete))
            pack = select_pack(cover, spath, search, strict_pack)
        doc = source.document()
    report = recognize(doc, list(pack.specs.values()))
    if cover is not None:
        # The report is what its pack was chosen for.
        meta = report.meta
        meta.kind, meta.year, meta.level = cover.kind, cover.year, cover.level
        meta.title, meta.title_loc, meta.region = cover.title, cover.title_loc, cover.region or meta.region
    if not report.tables and not report.sections:
        raise InputError("未识别到任何部门预决算公开表格或说明", spath)
    if not report.tables and report.meta.kind is None:
        raise InputError("未识别到任何部门预决算公开表格（公开01表–公开10表）", spath)
    return report, pack


def fallback_diagnostic(report: Report, pack: Pack) -> Diagnostic:
    """The note that a report was checked with the pack of another year (E.PACK-FALLBACK)."""
    meta = report.meta
    years = "、".join(str(y) for y in pack.years)
    message = (
        f"没有适用于 {meta.year} 年度{meta.kind}报告的规则包，已按 {years} 年度的规则包 {pack.id} 检查；"
        f"{meta.year} 年度的表样可能与之不同，个别结论请结合当年表样核实"
    )
    loc = meta.title_loc or Location(report.path, 1, 1, 1, 2)
    return builtin_diagnostic("E.PACK-FALLBACK", message, loc, f"{meta.year}\x1f{pack.id}")


def problem_diagnostics(report: Report) -> list[Diagnostic]:
    """Reader and recognizer problems (E.CELL, E.FORMULA, ...) surface as findings of built-in checks."""
    return [builtin_diagnostic(p.code, p.message, p.loc, f"{p.loc.describe()}\x1f{p.message}") for p in report.problems]


def lint(
    path: str | Path,
    pack: str | Pack | None = None,
    data: bytes | None = None,
    search: tuple[Path, ...] = (),
    settings: Settings | None = None,
) -> Result:
    """Check one report. Input and pack problems raise LintError; see ``lint_many`` for batches.

    ``settings`` (``config.settings_for(path)``) applies the project's configuration: its pack unless
    one is given, severities, select/ignore, per-file-ignores and inline suppressions.
    """
    if pack is None and settings is not None:
        pack = settings.pack
    chosen = load_pack(pack, search) if isinstance(pack, str) else pack
    strict = settings is not None and settings.strict_pack
    report, used = read_report(path, chosen, data, search, strict)
    index = ReportIndex(report, used.specs)
    diagnostics, outcomes = run_rules(used.rules, report, index)
    diagnostics.extend(problem_diagnostics(report))
    if chosen is None and report.meta.year not in used.years:
        diagnostics.append(fallback_diagnostic(report, used))
    diagnostics.sort(key=Diagnostic.sort_key)
    suppressed: list[Diagnostic] = []
    if settings is not None:
        rule_ids = {r.id for r in used.rules}
        diagnostics, suppressed = apply_settings(diagnostics, report.comments, settings, str(path), rule_ids)
    return Result(str(path), diagnostics, report, used, outcomes, suppressed=suppressed)


def lint_many(paths: list[str | Path], pack: str | Pack | None = None, search: tuple[Path, ...] = ()) -> list[Result]:
    """Check many reports; a bad file becomes a Result with ``error`` and never stops the others."""
    results = []
    for p in paths:
        try:
            results.append(lint(p, pack, search=search))
        except LintError as exc:
            results.append(Result(str(p), error=exc))
    return results
