"""Command line: thin click wrappers around api.py. Every failure ends in one line.

Exit status: 0 clean, 1 errors found (a file that cannot be read is one, ``E.INPUT``), 2 when the run
itself cannot do its job: usage, configuration, a pack that does not load, an internal error.

Each command imports what it needs when it runs. ``check`` hands files to worker processes, which
import the rule engine themselves once their file is open (``batch.jobs``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .batch import warm
from .batch.executor import EXECUTORS
from .batch.progress import Progress
from .errors import LintError, PackErrors
from .formatters import BINARY_FORMATS, FORMATS, NEEDS_PACKS, RenderContext, get
from .packs.locate import available_pack_dirs
from .readers import sniff
from .readers.files import MAX_FILE_BYTES
from .runner import CheckOptions, clean_cache, repository_root, run_check
from .workflow.config import ConfigResolver, settings_dict, settings_text

if TYPE_CHECKING:
    from .packs.load import Pack

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(EXIT_ERROR)


def _fail_with(exc: LintError) -> None:
    """Every error of a pack that does not load, one line each; any other error in one line."""
    _fail("\n".join(exc.lines()) if isinstance(exc, PackErrors) else exc.one_line())


def _load(pack: str | None) -> Pack | None:
    if pack is None:
        return None
    from .packs.load import load_pack

    try:
        return load_pack(pack)
    except LintError as exc:
        _fail_with(exc)
    return None  # pragma: no cover - _fail exits


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="disclosure-lint")
def main() -> None:
    """disclosure-lint：部门预决算公开报告检查工具。"""


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--pack", "pack_ref", help="规则包编号或目录（默认取配置中的 pack，否则按报告类型与年度自动选择）")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="使用这个配置文件，不再查找 pyproject.toml、disclosure-lint.toml",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="输出格式（默认取配置中的 format，否则为 text）")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="写入文件而不是标准输出")
@click.option("--stdin-filename", help="从标准输入读取报告（路径写“-”），以此文件名报告问题、查找配置")
@click.option("--force-exclude", is_flag=True, help="命令行直接给出的文件也按配置的 exclude 排除")
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False),
    help="基线文件（默认为配置文件所在目录或当前目录下的 disclosure-lint-baseline.json）",
)
@click.option("--write-baseline", is_flag=True, help="把本次检查发现的全部问题写入基线")
@click.option("--prune-baseline", is_flag=True, help="从基线中删除已不再出现的问题")
@click.option("--statistics", is_flag=True, help="文本输出末尾附按规则、按文件的统计（批量检查时使用）")
@click.option(
    "--strict-pack", is_flag=True, help="报告年度没有规则包时不按相邻年度的规则包检查，而是报告无法检查（E.INPUT）"
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="并行检查的进程数（默认为 CPU 核数）")
@click.option("--timeout", type=click.FloatRange(min=0), help="每个文件的检查时限（秒，默认 120，0 表示不限）")
@click.option("--memory-limit", type=click.IntRange(min=0), help="每个文件可用的内存上限（MB，默认 2048，0 表示不限）")
@click.option("--no-cache", is_flag=True, help="不读取也不写入检查结果缓存")
@click.option(
    "--executor", type=click.Choice(EXECUTORS), default="local", show_default=True, help="在本机或 Dask 集群上检查"
)
@click.option("--scheduler", help="Dask 调度器地址（--executor dask 时使用，如 tcp://10.0.0.1:8786）")
@click.option("-q", "--quiet", is_flag=True, help="不显示进度条和提示信息")
def check(
    paths: tuple[str, ...],
    pack_ref: str | None,
    config_path: str | None,
    fmt: str | None,
    output: str | None,
    stdin_filename: str | None,
    force_exclude: bool,
    baseline_path: str | None,
    write_baseline: bool,
    prune_baseline: bool,
    statistics: bool,
    strict_pack: bool,
    jobs: int | None,
    timeout: float | None,
    memory_limit: int | None,
    no_cache: bool,
    executor: str,
    scheduler: str | None,
    quiet: bool,
) -> None:
    """检查一个或多个报告（文本/Markdown、PDF、XLSX，或包含它们的目录；“-”表示标准输入）。"""
    if write_baseline and prune_baseline:
        _fail("--write-baseline 与 --prune-baseline 不能同时使用")
    if "-" in paths and paths != ("-",):
        _fail("标准输入“-”只能单独检查")
    if stdin_filename is not None and paths not in ((), ("-",)):
        _fail("使用 --stdin-filename 时路径只能是“-”")
    if not paths and stdin_filename is None:
        _fail("请给出要检查的文件或目录（“-”表示标准输入）")
    if fmt in BINARY_FORMATS and output is None:
        _fail(f"{fmt} 格式须用 -o 指定输出文件")
    stdin_name = stdin_filename or ("-" if paths == ("-",) else None)
    options = CheckOptions(
        pack=_load(pack_ref),
        config=config_path,
        stdin_name=stdin_name,
        force_exclude=force_exclude,
        baseline=baseline_path,
        baseline_action="write" if write_baseline else "prune" if prune_baseline else None,
        strict_pack=strict_pack,
        pack_ref=pack_ref,
        jobs=jobs,
        timeout=timeout,
        memory_mb=memory_limit,
        cache=not no_cache,
        executor=executor,
        scheduler=scheduler,
    )
    # One byte past the largest limit, so the reader can say the input is too large.
    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1) if stdin_name is not None else None
    progress = Progress(sys.stderr) if Progress.wanted(sys.stderr, quiet) else None
    try:
        run = run_check(paths, options, data, progress)
    except LintError as exc:
        _fail(exc.one_line())
        return
    finally:
        if progress is not None:
            progress.close()
    if not quiet:
        for note in run.notes:
            click.echo(note, err=True)
    name = fmt or run.settings.format or "text"
    packs = run.packs() if name in NEEDS_PACKS else []
    ctx = RenderContext(
        files=len(run.files),
        packs=packs,
        root=str(repository_root()),
        paths=run.files,
        statistics=statistics,
        checked=run.checked,
    )
    _write(get(name)(run.diagnostics, ctx), output)
    sys.exit(EXIT_VIOLATIONS if any(d.severity == "error" for d in run.diagnostics) else EXIT_OK)


def _write(text: str | bytes, output: str | None) -> None:
    if output is None:
        if isinstance(text, bytes):
            _fail("该输出格式须用 -o 指定输出文件")
        click.echo(text, nl=False)
        return
    try:
        if isinstance(text, bytes):
            Path(output).write_bytes(text)
        else:
            Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"{output}: 无法写入：{exc.strerror or exc}")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="批注副本的路径（默认为“原文件名.checked.pdf”）")
@click.option("--pack", "pack_ref", help="规则包编号或目录（默认取配置中的 pack，否则自动选择）")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="使用这个配置文件，不再查找")
def annotate(path: str, output: str | None, pack_ref: str | None, config_path: str | None) -> None:
    """生成 PDF 报告的批注副本：每个问题在原处高亮，批注中写明规则、问题与期望值；原文件不做改动。"""
    from .formatters.summary import note, rule_infos
    from .formatters.text import line
    from .pages.annotate import annotate as write_annotated

    source = Path(path)
    target = Path(output) if output else source.with_name(f"{source.stem}.checked.pdf")
    if not source.is_file():
        _fail(f"{path}: 文件不存在")
    if target.resolve() == source.resolve():
        _fail(f"{path}: 批注副本不能覆盖原文件，请用 -o 指定另一个文件")
    with source.open("rb") as fh:
        if sniff(source, fh.read(8)) != "pdf":
            _fail(f"{path}: 只能为 PDF 报告生成批注副本")
    try:
        run = run_check((path,), CheckOptions(pack=_load(pack_ref), config=config_path))
        if any(f.error for f in run.checked):
            for d in run.diagnostics:
                click.echo(line(d), err=True)
            sys.exit(EXIT_VIOLATIONS)
        infos = rule_infos(run.diagnostics, RenderContext(packs=run.packs()))
        mine = [d for d in run.diagnostics if d.loc.path == str(source)]
        done = write_annotated(source, target, mine, lambda d: note(d, infos.get(d.rule)))
    except LintError as exc:
        _fail(exc.one_line())
        return
    except OSError as exc:
        _fail(f"{target}: 无法写入：{exc.strerror or exc}")
        return
    pages = f"，{done.notes} 条页面批注（问题没有具体位置）" if done.notes else ""
    click.echo(f"{target}: 已为 {len(mine)} 个问题添加批注：{done.highlights} 处高亮{pages}。")
    sys.exit(EXIT_VIOLATIONS if any(d.severity == "error" for d in mine) else EXIT_OK)


@main.command()
@click.argument("path")
@click.option("--pack", "pack_ref", help="规则包编号或目录（默认自动选择）")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
def extract(path: str, pack_ref: str | None, fmt: str) -> None:
    """输出识别出的报告结构（表、行、单元格及位置、说明章节），供编写规则时参考。"""
    from .api import read_report
    from .dump import report_dict, report_text

    pack = _load(pack_ref)
    try:
        report, used = read_report(path, pack)
    except LintError as exc:
        _fail(exc.one_line())
        return
    if fmt == "json":
        click.echo(json.dumps(report_dict(report, used.id), ensure_ascii=False, indent=2))
    else:
        click.echo(report_text(report, used.id), nl=False)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--pack", "pack_ref", help="规则包编号或目录（默认取配置中的 pack，否则自动选择）")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="使用这个配置文件，不再查找")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def coverage(path: str, pack_ref: str | None, config_path: str | None, fmt: str) -> None:
    """列出检查覆盖的范围：叙述与附表中的每个金额、比例由哪条规则核对，各表的读取情况，各规则的判断次数。"""
    from .api import lint
    from .engine.coverage import coverage as covered
    from .formatters.coverage import render_json, render_text

    try:
        settings = ConfigResolver(config_path).for_path(Path(path))
        result = lint(path, _load(pack_ref), settings=settings)
    except LintError as exc:
        _fail(exc.one_line())
        return
    assert result.report is not None and result.pack is not None
    cov = covered(result.report, result.pack.rules, result.outcomes)
    click.echo((render_json if fmt == "json" else render_text)(path, cov), nl=False)


@main.command("rules")
@click.option("--pack", "pack_ref", default="cn-final-accounts-2024", show_default=True, help="规则包")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown 生成 docs/rules/<规则包>.md 文档页",
)
def rules_cmd(pack_ref: str, fmt: str) -> None:
    """列出规则包中的规则。"""
    from .packs.docs import markdown, rule_rows, rules_text

    pack = _load(pack_ref)
    assert pack is not None
    if fmt == "json":
        click.echo(json.dumps(rule_rows(pack), ensure_ascii=False, indent=2))
    else:
        click.echo(markdown(pack) if fmt == "markdown" else rules_text(pack), nl=False)


@main.command("rule")
@click.argument("rule_id")
@click.option("--pack", "pack_ref", help="规则包（默认在全部内置规则包中查找，定义不同时逐一列出）")
def rule_cmd(rule_id: str, pack_ref: str | None) -> None:
    """解释一条规则：标题、级别、依据、规则源码与示例。"""
    from .packs.docs import explain, explain_all, find_rule, rule_definitions

    if pack_ref is None:
        packs = [p for d in available_pack_dirs() if (p := _load(str(d))) is not None]
        definitions = rule_definitions(packs, rule_id)
        if not definitions:
            _fail(f"内置规则包中都没有规则 {rule_id}")
        click.echo(explain_all(definitions), nl=False)
        return
    pack = _load(pack_ref)
    assert pack is not None
    info = find_rule(pack, rule_id)
    if info is None:
        _fail(f"规则包 {pack.id} 中没有规则 {rule_id}")
        return
    click.echo(explain(pack, info), nl=False)


@main.group("config")
def config_group() -> None:
    """配置：查看对某个文件或目录生效的设置。"""


@config_group.command("show")
@click.argument("path", required=False)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="使用这个配置文件，不再查找")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def config_show(path: str | None, config_path: str | None, fmt: str) -> None:
    """显示生效的设置及其来源（默认针对当前目录）。"""
    try:
        resolver = ConfigResolver(config_path)
        target = Path(path) if path else Path.cwd()
        settings = resolver.for_folder(target) if target.is_dir() else resolver.for_path(target)
    except LintError as exc:
        _fail(exc.one_line())
        return
    if fmt == "json":
        click.echo(json.dumps(settings_dict(settings), ensure_ascii=False, indent=2))
    else:
        click.echo(settings_text(settings), nl=False)


@main.group("cache")
def cache_group() -> None:
    """检查结果缓存：未改动的文件再次检查时直接取用上次的结果。"""


@cache_group.command("clean")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="使用这个配置文件，不再查找")
def cache_clean(config_path: str | None) -> None:
    """删除缓存目录（默认为配置文件所在目录或当前目录下的 .disclosure-lint-cache）。"""
    try:
        root, count = clean_cache(config_path)
    except LintError as exc:
        _fail(exc.one_line())
        return
    except OSError as exc:
        _fail(str(exc))
        return
    click.echo(f"{root}: 已清除 {count} 条缓存" if count else f"{root}: 没有缓存")


@main.group()
def pack() -> None:
    """规则包：列出、校验、运行示例测试。"""


@pack.command("list")
def pack_list() -> None:
    """列出内置规则包。"""
    from .packs.load import load_pack

    for d in available_pack_dirs():
        try:
            p = load_pack(str(d))
        except LintError as exc:
            click.echo(f"{d.name}  （无法加载：{exc.one_line()}）")
            continue
        years = "、".join(str(y) for y in p.years)
        click.echo(f"{p.id}  {p.kind} {years}  {p.title}（{len(p.rules)} 条规则）")


@pack.command("check")
@click.argument("pack_ref")
def pack_check(pack_ref: str) -> None:
    """校验规则包：语法、类型、表结构（报告全部错误），以及示例是否齐全、附件字段是否在示例中读到。"""
    from .packs.verify import verify_pack
    from .recognize.facts import FACT_SPECS

    p = _load(pack_ref)
    assert p is not None
    found = verify_pack(p)
    for w in found.warnings:
        click.echo(f"{w.one_line()}（警告）", err=True)
    for e in found.errors:
        click.echo(e.one_line(), err=True)
    if found.errors:
        click.echo(f"{p.id}：{len(found.errors)} 处问题。")
        sys.exit(EXIT_VIOLATIONS)
    declared = [s for name, s in p.specs.items() if name not in FACT_SPECS]
    tables = sum(not s.attachment for s in declared)
    attachments = f"、{len(declared) - tables} 种附件" if len(declared) > tables else ""
    click.echo(f"{p.id}：{len(p.rules)} 条规则，{tables} 张表{attachments}，校验通过。")


@pack.command("test")
@click.argument("pack_ref", default="cn-final-accounts-2024")
@click.option("--rule", "only", help="只测试这一条规则")
def pack_test(pack_ref: str, only: str | None) -> None:
    """运行规则包自带的通过/不通过/不适用示例；与预期不符时列出差异。"""
    from .packs.test import pinned_share, run_pack_tests

    p = _load(pack_ref)
    assert p is not None
    failures = 0
    results = run_pack_tests(p, only)
    for res in results:
        mark = "通过" if res.ok else "失败"
        click.echo(f"{mark}  {res.rule:<24} {res.detail}")
        for line in res.diff:
            click.echo(f"      {line}")
        failures += not res.ok
    click.echo(f"{len(results) - failures}/{len(results)} 项示例测试通过。")
    total, pinned = pinned_share(p)
    if total and only is None:
        click.echo(
            f"本规则包的不通过示例 {total} 个，其中 {pinned} 个写明了预期的规则与位置（{pinned * 100 // total}%）。"
        )
    sys.exit(EXIT_VIOLATIONS if failures else EXIT_OK)


@pack.command("docs")
@click.argument("pack_refs", nargs=-1)
@click.option(
    "-o",
    "--output",
    default="docs/rules",
    show_default=True,
    type=click.Path(file_okay=False),
    help="写入这个目录，每个规则包一页 <规则包>.md",
)
def pack_docs(pack_refs: tuple[str, ...], output: str) -> None:
    """重新生成规则文档页（默认为全部内置规则包）：规则、级别、依据、源码与内置检查。"""
    from .packs.docs import write_pages

    refs = pack_refs or tuple(str(d) for d in available_pack_dirs())
    packs = [p for p in (_load(r) for r in refs) if p is not None]
    try:
        for page in write_pages(packs, Path(output)):
            click.echo(f"已生成 {page}")
    except OSError as exc:
        _fail(f"{output}: 无法写入：{exc.strerror or exc}")


@main.command()
def server() -> None:
    """启动语言服务器（LSP，经标准输入输出通信），在编辑器中实时显示报告与规则文件的问题。"""
    from .lsp import serve

    serve()


def run() -> None:
    """Entry point that turns any unexpected exception into one line and exit status 2."""
    try:
        main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        _fail("已中止")
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except LintError as exc:
        _fail(exc.one_line())
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(EXIT_ERROR)
    except Exception as exc:
        if os.environ.get("DISCLOSURE_LINT_DEBUG"):
            raise
        _fail(f"内部错误：{type(exc).__name__}: {exc}（设置 DISCLOSURE_LINT_DEBUG=1 可查看详细信息）")
    sys.exit(EXIT_OK)


def console() -> None:
    """The installed command: ``run``, then leave at once.

    Tearing down the interpreter frees every object of the run one by one, a tenth of a second
    on a long PDF, after the last line is written; the files are closed and the workers stopped by
    then, so only the standard streams need flushing.
    """
    try:
        run()
        code = EXIT_OK
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else EXIT_OK if exc.code is None else EXIT_ERROR
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        code = code or EXIT_ERROR
    warm.stop()
    os._exit(code)
