"""``disclosure-lint check`` as a function: paths (or stdin) -> diagnostics, with configuration and baseline.

Each file gets the settings of its nearest configuration file; settings that concern the whole run
(output format, baseline location) come from the configuration that applies to the working directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .batch.cache import Cache, default_dir
from .batch.executor import Plan, execute
from .batch.jobs import Job, Observer
from .batch.pool import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, Limits
from .errors import ConfigError, InputError, PackError
from .model import Diagnostic
from .packs.load import Pack, load_pack
from .readers import SUPPORTED_SUFFIXES
from .workflow.baseline import Baseline
from .workflow.config import ConfigResolver, Settings
from .workflow.selection import apply_selection


@dataclass
class CheckOptions:
    pack: Pack | None = None
    config: str | None = None
    stdin_name: str | None = None
    force_exclude: bool = False
    baseline: str | None = None
    baseline_action: str | None = None
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
    bad_input: bool
    settings: Settings
    notes: list[str] = field(default_factory=list)

    def packs(self) -> list[Pack]:
        """The packs the files were checked with (loaded here only when an output format lists them)."""
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


def expand_paths(
    paths: tuple[str, ...], resolver: ConfigResolver, force_exclude: bool = False
) -> tuple[list[Path], int]:
    """Files as given; folders searched recursively for reports, skipping hidden and ``exclude``d paths.

    Files named explicitly are excluded only with ``force-exclude`` (as in ruff), which is what a
    pre-commit hook that passes every staged file needs. Returns the files and how many were excluded.
    """
    out: list[Path] = []
    skipped = 0
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or f.suffix.lower() not in SUPPORTED_SUFFIXES:
                    continue
                if any(part.startswith(".") for part in f.relative_to(p).parts):
                    continue
                if resolver.for_path(f).excluded(f):
                    skipped += 1
                    continue
                out.append(f)
        elif _force_excluded(p, resolver, force_exclude):
            skipped += 1
        else:
            out.append(p)
    return out, skipped


def _force_excluded(path: Path, resolver: ConfigResolver, force: bool) -> bool:
    settings = resolver.for_path(path)
    return (force or settings.force_exclude) and settings.excluded(path)


def _pack_for(settings: Settings, given: Pack | None) -> Pack | None:
    if given is not None or settings.pack is None:
        return given
    try:
        return load_pack(settings.pack)
    except PackError as exc:
        source = settings.origin.get("pack", settings.path)
        raise ConfigError(f"pack 无法加载：{exc.one_line()}", str(source), where="pack") from None


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
    if options.stdin_name is not None:
        name = Path(options.stdin_name)
        skipped = int(_force_excluded(name, resolver, options.force_exclude))
        items = [] if skipped else [(name, stdin or b"")]
    else:
        files, skipped = expand_paths(paths, resolver, options.force_exclude)
        items = [(f, None) for f in files]
    if not items and not skipped:
        raise InputError(f"没有找到可检查的文件（支持 {' '.join(sorted(SUPPORTED_SUFFIXES))}）")
    pack_ref = options.pack_ref or (str(options.pack.path) if options.pack is not None else None)
    cwd = os.getcwd()
    jobs: list[Job] = []
    for f, data in items:
        settings = resolver.for_path(f)
        _pack_for(settings, options.pack)
        jobs.append(Job(str(f), settings, pack_ref, data, cwd))
    outcomes = execute(jobs, plan_for(options, here), observer)
    diagnostics = [d for o in outcomes for d in o.diagnostics]
    pack_paths = list(dict.fromkeys(o.pack for o in outcomes if o.pack is not None))
    linted = [o.path for o in outcomes if not o.failed]
    run = CheckRun(diagnostics, [j.path for j in jobs], pack_paths, any(o.failed for o in outcomes), here)
    _baseline(run, here, options, linted)
    return run


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
