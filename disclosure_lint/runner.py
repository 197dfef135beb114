"""``disclosure-lint check`` as a function: paths (or stdin) -> diagnostics, with configuration and baseline.

Each file gets the settings of its nearest configuration file; settings that concern the whole run
(output format, baseline location) come from the configuration that applies to the working directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .api import lint
from .errors import ConfigError, InputError, LintError, PackError
from .model import Diagnostic, Location
from .packs.builtin import BUILTIN_RULES
from .packs.load import Pack, load_pack
from .readers import SUPPORTED_SUFFIXES
from .workflow.baseline import Baseline
from .workflow.config import ConfigResolver, Settings
from .workflow.selection import apply_selection, named


@dataclass
class CheckOptions:
    pack: Pack | None = None
    config: str | None = None
    stdin_name: str | None = None
    force_exclude: bool = False
    baseline: str | None = None
    baseline_action: str | None = None


@dataclass
class CheckRun:
    diagnostics: list[Diagnostic]
    files: list[str]
    packs: list[Pack]
    bad_input: bool
    settings: Settings
    notes: list[str] = field(default_factory=list)


def input_diagnostic(path: str, exc: LintError) -> Diagnostic:
    """A file that could not be checked is reported like a finding, so batches lose nothing."""
    loc = Location(exc.path or path, exc.line, exc.col)
    return Diagnostic(
        "E.INPUT", "error", exc.message, loc, fingerprint=f"input:{path}", title=BUILTIN_RULES["E.INPUT"].title
    )


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


def run_check(paths: tuple[str, ...], options: CheckOptions, stdin: bytes | None = None) -> CheckRun:
    """Check files (or ``stdin`` under ``options.stdin_name``) and apply the baseline."""
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
    diagnostics: list[Diagnostic] = []
    packs: list[Pack] = []
    linted: list[str] = []
    bad_input = False
    for f, data in items:
        settings = resolver.for_path(f)
        pack = _pack_for(settings, options.pack)
        try:
            result = lint(f, pack, data, settings=settings)
        except LintError as exc:
            bad_input = True
            diagnostics.append(input_diagnostic(str(f), exc))
            continue
        linted.append(str(f))
        diagnostics.extend(result.diagnostics)
        if result.pack is not None and result.pack not in packs:
            packs.append(result.pack)
    run = CheckRun(diagnostics, [str(f) for f, _ in items], packs, bad_input, here)
    _baseline(run, here, options, linted)
    run.notes.extend(deprecation_notes(packs, run.diagnostics, here))
    return run


def deprecation_notes(packs: list[Pack], diagnostics: list[Diagnostic], settings: Settings) -> list[str]:
    """One line per deprecated rule that reported something or that the configuration selects by id."""
    reported = {d.rule for d in diagnostics}
    notes: dict[str, str] = {}
    for pack in packs:
        for rule in pack.rules:
            checked = rule.rule
            if checked.status == "deprecated" and (rule.id in reported or named(settings, rule.id)):
                instead = f"，请改用 {checked.replaced_by}" if checked.replaced_by else ""
                notes.setdefault(rule.id, f"{pack.id}：规则 {rule.id} 已弃用{instead}")
    return list(notes.values())


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
