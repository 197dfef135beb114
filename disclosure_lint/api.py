"""The one entry point shared by the CLI, the language server and tests: ``lint(path) -> Result``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import matching
from .engine.beside import run_rules_beside
from .engine.consolidate import consolidate, without_evidence
from .engine.evaluate import Outcome
from .engine.views import ReportIndex
from .errors import InputError, LintError, NotAReport, PackError
from .model import Diagnostic, Document, Location, Meta, Report
from .packs.builtin import builtin_diagnostic
from .packs.load import Pack, load_pack, pack_specs
from .packs.locate import available_pack_dirs, choose_pack
from .readers import DocumentSource, open_document
from .recognize import recognize
from .recognize.meta import cover_complete, read_cover
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
    path: str | Path,
    pack: Pack | None = None,
    data: bytes | None = None,
    search: tuple[Path, ...] = (),
    strict_pack: bool = False,
    source: DocumentSource | None = None,
) -> tuple[Report, Pack]:
    """Read and recognize a report; choose the pack from its cover unless one is given.

    The pack is chosen from the cover alone (for a PDF, its first pages), so a report that no pack
    fits is refused before the rest of the file is parsed. A document without any recognized table
    is still a report when its cover names it one (e.g. a 情况说明 published without the tables); the
    structure rules then say what is missing. ``source`` is the file already opened (``open_document``).
    """
    spath = str(path)
    if source is None:
        source = open_document(path, data)
    with source:
        cover = None
        if pack is None:
            cover = read_cover(source.cover(cover_complete))
            pack, doc = _checked_with(cover, source, spath, search, strict_pack)
        else:
            doc = source.document()
    report = recognize(doc, list(pack.specs.values()))
    if cover is not None:
        # The report is what its pack was chosen for.
        meta = report.meta
        meta.kind, meta.year, meta.level = cover.kind, cover.year, cover.level
        meta.title, meta.title_loc, meta.region = cover.title, cover.title_loc, cover.region or meta.region
    if not report.tables and report.meta.kind is None:
        raise NotAReport(NOT_A_REPORT, spath)
    if not report.tables and not report.sections:
        raise InputError("未识别到任何部门预决算公开表格或说明", spath)
    return report, pack


def _checked_with(
    cover: Meta, source: DocumentSource, spath: str, search: tuple[Path, ...], strict: bool
) -> tuple[Pack, Document]:
    """The pack the cover asks for and the whole document. The pack is chosen and loaded before the
    rest of the file is read here, while another process reads it where the file is split.

    A cover that names no kind needs the whole document to tell a report (``--pack`` must say which)
    from a file that is no report at all.
    """
    if cover.kind is None and not _has_disclosure_tables(source.document(), search):
        raise NotAReport(NOT_A_REPORT, spath)
    try:
        try:
            folder = str(choose_pack(cover, spath, search, strict))
        except matching.OutOfTime:
            raise PackError("规则包 pack.yaml 中 match 的模式用时过长，无法选择规则包", spath) from None
        pack = load_pack(folder, search)
    except PackError as exc:
        if exc.path != spath:
            raise  # the chosen pack itself does not load: that stops the run
        raise InputError(exc.message, spath) from None
    return pack, source.document()


NOT_A_REPORT = "看起来不是部门预决算公开报告（封面没有“××年度部门决算/预算”，也没有任何公开表格）"


def _has_disclosure_tables(doc: Document, search: tuple[Path, ...]) -> bool:
    """Whether the tables of any pack are recognized: a report whose cover names no kind or year
    (so ``--pack`` must say which), as opposed to a file that is no report at all."""
    for d in available_pack_dirs(list(search)):
        try:
            specs = pack_specs(d, search)
        except PackError:
            continue
        if recognize(doc, list(specs.values())).tables:
            return True
    return False


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


def timeout_diagnostics(pack: Pack, outcomes: dict[str, Outcome], report: Report) -> list[Diagnostic]:
    """One finding per rule that ran out of time on this report."""
    loc = report.meta.title_loc or Location(report.path)
    out = []
    for rule in pack.rules:
        outcome = outcomes.get(rule.id)
        if outcome is not None and outcome.timed_out:
            message = (
                f"规则 {rule.id}（{rule.rule.title}）检查本报告用时超过 {matching.RULE_SECONDS:g} 秒的上限，已停止；"
                "该规则对本报告不作判断，请规则包作者简化其文字模式"
            )
            out.append(builtin_diagnostic("E.RULE-TIMEOUT", message, loc, rule.id))
    return out


def lint(
    path: str | Path,
    pack: str | Pack | None = None,
    data: bytes | None = None,
    search: tuple[Path, ...] = (),
    settings: Settings | None = None,
    source: DocumentSource | None = None,
) -> Result:
    """Check one report. Input and pack problems raise LintError; see ``lint_many`` for batches.

    ``settings`` (``config.settings_for(path)``) applies the project's configuration: its pack unless
    one is given, severities, select/ignore, per-file-ignores and inline suppressions. ``source`` is
    the file already opened, which a worker does before it imports this module (``batch.jobs``).
    """
    if pack is None and settings is not None:
        pack = settings.pack
    chosen = load_pack(pack, search) if isinstance(pack, str) else pack
    strict = settings is not None and settings.strict_pack
    report, used = read_report(path, chosen, data, search, strict, source)
    index = ReportIndex(report, used.specs)
    rules = [r for r in used.rules if runs(settings, r.id, r.status)]
    diagnostics, outcomes = run_rules_beside(rules, report, index)
    diagnostics.extend(problem_diagnostics(report))
    diagnostics.extend(timeout_diagnostics(used, outcomes, report))
    if chosen is None and report.meta.year not in used.years:
        diagnostics.append(fallback_diagnostic(report, used))
    diagnostics.sort(key=Diagnostic.sort_key)
    suppressed: list[Diagnostic] = []
    if settings is not None:
        rule_ids = {r.id for r in used.rules}
        diagnostics, suppressed = apply_settings(diagnostics, report.comments, settings, str(path), rule_ids)
    diagnostics = consolidate(diagnostics, {r.id: r.rule.covers for r in rules if r.rule.covers})
    suppressed = [without_evidence(d) for d in suppressed]
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
