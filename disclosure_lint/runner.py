"""``disclosure-lint check`` as a function: paths (or stdin) -> diagnostics, with configuration and baseline.

Each file gets the settings of its nearest configuration file; settings that concern the whole run
(output format, baseline location) come from the configuration that applies to the working directory.

This process only hands files to the workers; it imports the rule language (``packs.load``) only
when it must load a pack itself, so that a worker checking a PDF can import it while the file's
pages are already being read (``readers.pdf``).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .batch.cache import Cache, default_dir
from .batch.executor import Plan, execute
from .batch.jobs import Job, Observer, input_diagnostic
from .batch.pool import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, Limits
from .errors import InputError, PackError
from .model import CheckedFile, Diagnostic
from .packs.locate import declares_deprecated
from .readers import SUPPORTED_SUFFIXES
from .readers.files import os_reason
from .workflow.baseline import Baseline
from .workflow.config import ConfigResolver, Settings, configured_pack
from .workflow.selection import apply_selection, named

if TYPE_CHECKING:
    from .packs.load import Pack


@dataclass
class CheckOptions:
    pack: Pack | None = None
    config: str | None = None
    stdin_name: str | None = None
    force_exclude: bool = False
    baseline: str | None = None
    baseline_action: str | None = None
    strict_pack: bool = False
    pack_ref: str | None = None
    jobs: int | None = None
    timeout: float | None = None
    memory_mb: int | None = None
    cache: bool = True
    executor: str = "local"
    scheduler: str | None = None


@dataclass
class CheckRun:
    diagnostics: list[Diagnostic]
    files: list[str]
    pack_paths: list[str]
    settings: Settings
    notes: list[str] = field(default_factory=list)
    checked: list[CheckedFile] = field(default_factory=list)

    def packs(self) -> list[Pack]:
        """The packs the files were checked with (loaded here only when an output format lists them)."""
        from .packs.load import load_pack

        return [load_pack(p) for p in self.pack_paths]


def shown(path: Path) -> str:
    """A path as messages show it: relative to the working directory when it lies below it."""
    absolute = Path(os.path.normpath(path.absolute()))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def repository_root(start: Path | None = None) -> Path:
    """The enclosing git work tree, else the working directory: what SARIF and GitHub paths are relative to."""
    here = (start or Path.cwd()).absolute()
    for d in (here, *here.parents):
        if (d / ".git").exists():
            return d
    return here


@dataclass
class Targets:
    """What a run checks: files, where each came from, and the paths that could not be searched."""

    files: list[Path] = field(default_factory=list)
    walked: set[Path] = field(default_factory=set)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)
    excluded: int = 0


def expand_paths(paths: tuple[str, ...], resolver: ConfigResolver, force_exclude: bool = False) -> Targets:
    """Files as given; folders searched recursively for reports, skipping hidden and ``exclude``d paths.

    Files named explicitly are excluded only with ``force-exclude`` (as in ruff), which is what a
    pre-commit hook that passes every staged file needs. A folder that cannot be listed is recorded
    with the reason, never skipped in silence. Anything that is not a folder, or cannot even be
    looked at, is a file to check: reading it says what is wrong with it.
    """
    out = Targets()
    for raw in paths:
        p = Path(raw)
        try:
            is_dir = stat.S_ISDIR(os.stat(p).st_mode)
        except OSError:
            is_dir = False
        if is_dir:
            unreadable: list[tuple[Path, str]] = []
            for f in _walk(p, unreadable):
                if f.suffix.lower() not in SUPPORTED_SUFFIXES:
                    continue
                if resolver.for_path(f).excluded(f):
                    out.excluded += 1
                    continue
                out.files.append(f)
                out.walked.add(f)
            out.unreadable.extend((d, why) for d, why in unreadable if not resolver.for_path(d).excluded(d))
        elif _force_excluded(p, resolver, force_exclude):
            out.excluded += 1
        else:
            out.files.append(p)
    return out


def _walk(root: Path, unreadable: list[tuple[Path, str]]) -> Iterator[Path]:
    """Every non-hidden entry below ``root`` that is not a folder, in sorted order; folders that
    cannot be listed go to ``unreadable``. Symbolic links to folders are not followed."""

    def failed(exc: OSError) -> None:
        unreadable.append((Path(exc.filename or root), f"无法读取目录：{os_reason(exc)}"))

    for folder, dirs, names in os.walk(root, onerror=failed):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d)))
        for name in sorted(names):
            if not name.startswith("."):
                yield Path(folder) / name


def _force_excluded(path: Path, resolver: ConfigResolver, force: bool) -> bool:
    settings = resolver.for_path(path)
    return (force or settings.force_exclude) and settings.excluded(path)


def _pack_for(settings: Settings, given: Pack | None) -> Pack | None:
    return given if given is not None else configured_pack(settings)


def plan_for(options: CheckOptions, here: Settings) -> Plan:
    """Options given on the command line win over the configuration of the working directory."""
    timeout = next(v for v in (options.timeout, here.timeout, DEFAULT_TIMEOUT) if v is not None)
    memory = next(v for v in (options.memory_mb, here.memory_limit, DEFAULT_MEMORY_MB) if v is not None)
    limits = Limits(timeout or None, memory or None)
    cache_root = default_dir(here).absolute() if options.cache else None
    return Plan(options.jobs, limits, cache_root, options.executor, options.scheduler)


def run_check(
    paths: tuple[str, ...], options: CheckOptions, stdin: bytes | None = None, observer: Observer | None = None
) -> CheckRun:
    """Check files (or ``stdin`` under ``options.stdin_name``) and apply the baseline.

    Files are checked in worker processes; the findings come out file by file in the order given
    (a folder's files sorted by path), each file's by location, whatever order the workers finish in.
    """
    resolver = ConfigResolver(options.config)
    here = resolver.for_folder(Path.cwd())
    targets = Targets()
    if options.stdin_name is not None:
        name = Path(options.stdin_name)
        skipped = int(_force_excluded(name, resolver, options.force_exclude))
        items = [] if skipped else [(name, stdin or b"")]
    else:
        targets = expand_paths(paths, resolver, options.force_exclude)
        items = [(f, None) for f in targets.files]
        skipped = targets.excluded
    unreadable = [input_diagnostic(str(d), InputError(reason, str(d))) for d, reason in targets.unreadable]
    if not items and not skipped and not unreadable:
        raise InputError(f"没有找到可检查的文件（支持 {' '.join(sorted(SUPPORTED_SUFFIXES))}）")
    pack_ref = options.pack_ref or (str(options.pack.path) if options.pack is not None else None)
    cwd = os.getcwd()
    jobs: list[Job] = []
    for f, data in items:
        settings = resolver.for_path(f)
        if options.strict_pack:
            settings = replace(settings, strict_pack=True)
        _pack_for(settings, options.pack)
        jobs.append(Job(str(f), settings, pack_ref, data, cwd, walked=f in targets.walked))
    outcomes = execute(jobs, plan_for(options, here), observer)
    fatal = next((o.fatal for o in outcomes if o.fatal is not None), None)
    if fatal is not None:
        raise PackError(*fatal)  # the pack chosen for a report does not load: that stops the run
    diagnostics = unreadable + [d for o in outcomes for d in o.diagnostics]
    pack_paths = list(dict.fromkeys(o.pack for o in outcomes if o.pack is not None))
    linted = [o.path for o in outcomes if not o.failed]
    checked = [CheckedFile(o.path, o.meta, o.pack_id, o.error, o.stated) for o in outcomes]
    run = CheckRun(diagnostics, [j.path for j in jobs], pack_paths, here, checked=checked)
    _baseline(run, here, options, linted)
    run.notes.extend(deprecation_notes(pack_paths, run.diagnostics, here))
    return run


def deprecation_notes(pack_paths: list[str], diagnostics: list[Diagnostic], settings: Settings) -> list[str]:
    """One line per deprecated rule that reported something or that the configuration selects by id.

    Files may have been checked in worker processes; a pack is loaded here only when its rule files
    declare a deprecated rule at all.
    """
    reported = {d.rule for d in diagnostics}
    notes: dict[str, str] = {}
    for ref in pack_paths:
        if not declares_deprecated(Path(ref)):
            continue
        from .packs.load import load_pack

        try:
            pack = load_pack(ref)
        except PackError:
            continue
        for rule in pack.rules:
            checked = rule.rule
            if checked.status == "deprecated" and (rule.id in reported or named(settings, rule.id)):
                instead = f"，请改用 {checked.replaced_by}" if checked.replaced_by else ""
                notes.setdefault(rule.id, f"{pack.id}：规则 {rule.id} 已弃用{instead}")
    return list(notes.values())


def clean_cache(config: str | None = None) -> tuple[Path, int]:
    """``disclosure-lint cache clean``: the folder removed and how many entries it held."""
    here = ConfigResolver(config).for_folder(Path.cwd())
    cache = Cache(default_dir(here))
    return cache.root, cache.clean()


def _baseline(run: CheckRun, here: Settings, options: CheckOptions, linted: list[str]) -> None:
    """Drop baselined findings (writing or pruning the baseline first if asked) and report stale entries."""
    baseline = Baseline.load(options.baseline or here.baseline_path())
    if not baseline.entries and options.baseline_action is None:
        return
    checked = {baseline.key_path(p) for p in linted}
    where = shown(baseline.path)
    if options.baseline_action == "write":
        count = baseline.record(run.diagnostics, checked)
        baseline.save()
        run.notes.append(f"{where}: 已写入基线，共 {count} 条")
    run.diagnostics, used = baseline.apply(run.diagnostics)
    if options.baseline_action == "prune":
        removed = baseline.prune(used, checked)
        baseline.save()
        run.notes.append(f"{where}: 已从基线清除 {removed} 个不再出现的问题")
    unused = baseline.unused(used, checked, where)
    run.diagnostics.extend(apply_selection(here, unused, str(baseline.path)))
