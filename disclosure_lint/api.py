"""The one entry point shared by the CLI, the language server and tests: ``lint(path) -> Result``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .engine.evaluate import Outcome, run_rules
from .engine.views import ReportIndex
from .errors import InputError, LintError
from .model import Diagnostic, Report
from .packs.builtin import builtin_diagnostic
from .packs.load import Pack, load_pack, select_pack
from .readers import read_document
from .recognize import recognize
from .workflow.config import Settings
from .workflow.policy import apply_settings
from .workflow.selection import runs


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
    path: str | Path, pack: Pack | None = None, data: bytes | None = None, search: tuple[Path, ...] = ()
) -> tuple[Report, Pack]:
    """Read and recognize a report; choose the pack from its kind and year unless one is given.

    A document without any recognized table is still a report when its cover names it one
    (e.g. a 情况说明 published without the tables); the structure rules then say what is missing.
    """
    spath = str(path)
    doc = read_document(path, data)
    if pack is None:
        from .recognize.meta import read_meta

        pack = select_pack(read_meta(doc), spath, search)
    report = recognize(doc, list(pack.specs.values()))
    if not report.tables and not report.sections:
        raise InputError("未识别到任何部门预决算公开表格或说明", spath)
    if not report.tables and report.meta.kind is None:
        raise InputError("未识别到任何部门预决算公开表格（公开01表–公开10表）", spath)
    return report, pack


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
    report, chosen = read_report(path, chosen, data, search)
    index = ReportIndex(report, chosen.specs)
    rules = [r for r in chosen.rules if runs(settings, r.id, r.status)]
    diagnostics, outcomes = run_rules(rules, report, index)
    diagnostics.extend(problem_diagnostics(report))
    diagnostics.sort(key=Diagnostic.sort_key)
    suppressed: list[Diagnostic] = []
    if settings is not None:
        rule_ids = {r.id for r in chosen.rules}
        diagnostics, suppressed = apply_settings(diagnostics, report.comments, settings, str(path), rule_ids)
    return Result(str(path), diagnostics, report, chosen, outcomes, suppressed=suppressed)


def lint_many(paths: list[str | Path], pack: str | Pack | None = None, search: tuple[Path, ...] = ()) -> list[Result]:
    """Check many reports; a bad file becomes a Result with ``error`` and never stops the others."""
    results = []
    for p in paths:
        try:
            results.append(lint(p, pack, search=search))
        except LintError as exc:
            results.append(Result(str(p), error=exc))
    return results
