"""One file's check as a unit of work: what a worker process or a cluster task runs.

A job carries what the check needs as plain data (the pack as a reference, never a loaded pack)
so it can be sent to another process or machine; its outcome is the file's findings, or the one
``E.INPUT`` finding that says why the file could not be checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InputError, LintError, NotAReport, PackError
from ..model import Diagnostic, Location, Meta
from ..packs.builtin import BUILTIN_RULES
from ..readers import open_document
from ..workflow.config import Settings
from .cache import Cache, Checked, readable_content


@dataclass
class Job:
    """``path`` as findings name it, relative to ``cwd`` (a worker on another machine changes to it)."""

    path: str
    settings: Settings
    pack: str | None = None
    data: bytes | None = None
    cwd: str | None = None
    # Met in a folder walk: a file that is no report at all is skipped there, an error when named.
    walked: bool = False


@dataclass
class Outcome:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failed: bool = False
    pack: str | None = None
    pack_id: str | None = None
    meta: Meta | None = None
    stated: tuple[int, int] | None = None
    cached: bool = False
    # The worker must not take another file (it ran out of memory and may be left in a bad state).
    retire: bool = False
    # A pack that does not load (message, path, line, column): not this file's fault, it stops the run.
    fatal: tuple[str, str | None, int | None, int | None] | None = None

    @property
    def error(self) -> str | None:
        """Why the file could not be checked: the message of its E.INPUT finding."""
        return next((d.message for d in self.diagnostics if d.rule == "E.INPUT"), None) if self.failed else None


def input_diagnostic(path: str, exc: LintError) -> Diagnostic:
    """A file that could not be checked is reported like a finding, so batches lose nothing."""
    loc = Location(exc.path or path, exc.line, exc.col)
    return Diagnostic(
        "E.INPUT", "error", exc.message, loc, fingerprint=f"input:{path}", title=BUILTIN_RULES["E.INPUT"].title
    )


def skipped_diagnostic(path: str, exc: LintError) -> Diagnostic:
    """A file met in a folder walk that is no report at all (a README): one info line, not an error."""
    rule = BUILTIN_RULES["E.NOT-REPORT"]
    loc = Location(exc.path or path)
    return Diagnostic(
        rule.id, rule.severity, f"{exc.message}，已跳过", loc, fingerprint=f"skip:{path}", title=rule.title
    )


def failure(path: str, message: str) -> Outcome:
    return Outcome(path, [input_diagnostic(path, InputError(message, path))], failed=True)


def lint_cached(job: Job, cache: Cache | None) -> tuple[Checked, bool]:
    """The file's check and whether it came from the cache.

    Raises LintError like ``api.lint``. Only regular files are looked up; stdin and editor buffers
    are keyed on the content passed in.
    """
    key = None
    if cache is not None:
        content = job.data if job.data is not None else readable_content(job.path)
        if content is not None:
            key = cache.key(content, job.path, job.pack, job.settings)
            hit = cache.load(key, job.path)
            if hit is not None:
                return hit, True
    with open_document(job.path, job.data) as source:
        # Imported once the file is open: a PDF's pages are then already being read in a second
        # process where the worker allows it, and the rule engine's import overlaps that reading.
        from ..api import lint
        from ..engine.coverage import coverage

        result = lint(job.path, job.pack, job.data, settings=job.settings, source=source)
    pack, report = result.pack, result.report
    stated = None
    if pack is not None and report is not None:
        cov = coverage(report, pack.rules, result.outcomes)
        stated = (len(cov.numbers), cov.checked)
    checked = Checked(
        result.diagnostics,
        str(pack.path) if pack is not None else None,
        pack.id if pack is not None else None,
        report.meta if report is not None else None,
        stated,
    )
    if key is not None and cache is not None:
        cache.store(key, job.path, checked)
    return checked, False


def run_job(job: Job, cache: Cache | None, memory_mb: int | None = None) -> Outcome:
    """Check one file; a file that cannot be read, or needs more memory than allowed, is one finding."""
    try:
        checked, cached = lint_cached(job, cache)
    except NotAReport as exc:
        found = skipped_diagnostic(job.path, exc) if job.walked else input_diagnostic(job.path, exc)
        return Outcome(job.path, [found], failed=True)
    except PackError as exc:
        return Outcome(job.path, failed=True, fatal=(exc.message, exc.path, exc.line, exc.col))
    except LintError as exc:
        return Outcome(job.path, [input_diagnostic(job.path, exc)], failed=True)
    except MemoryError:
        limit = f"（{memory_mb} MB）" if memory_mb else ""
        out = failure(job.path, f"检查该文件所需内存超过上限{limit}，未能检查（文件可能含有异常膨胀的压缩数据）")
        out.retire = True
        return out
    return Outcome(
        job.path,
        checked.diagnostics,
        pack=checked.pack,
        pack_id=checked.pack_id,
        meta=checked.meta,
        stated=checked.stated,
        cached=cached,
    )


class Observer:
    """What a run tells about its progress; the default hears nothing."""

    def begin(self, total: int) -> None:
        """``total`` files are to be checked."""

    def started(self, job: Job) -> None:
        """A worker took ``job``."""

    def finished(self, job: Job, outcome: Outcome) -> None:
        """``job`` is done."""

    def tick(self) -> None:
        """Called at least every ``TICK`` seconds while files are being checked."""


TICK = 0.5
