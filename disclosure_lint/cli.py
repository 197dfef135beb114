"""Command line: thin click wrappers around api.py. Every failure ends in one line.

Exit status: 0 clean, 1 errors found (a file that cannot be read is one, ``E.INPUT``), 2 when the run
itself cannot do its job: usage, configuration, a pack that does not load, an internal error.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .dump import report_dict, report_text
from .errors import LintError, PackErrors
from .formatters import FORMATS, RenderContext, get
from .packs.docs import explain, find_rule, markdown, rule_rows, rules_text, write_pages
from .packs.load import Pack, available_pack_dirs, load_pack
from .readers.files import MAX_FILE_BYTES
from .runner import CheckOptions, repository_root, run_check
from .workflow.config import ConfigResolver, settings_dict, settings_text

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
    stdin_name = stdin_filename or ("-" if paths == ("-",) else None)
    options = CheckOptions(
        pack=_load(pack_ref),
        config=config_path,
        stdin_name=stdin_name,
        force_exclude=force_exclude,
        baseline=baseline_path,
        baseline_action="write" if write_baseline else "prune" if prune_baseline else None,
    )
    # One byte past the largest limit, so the reader can say the input is too large.
    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1) if stdin_name is not None else None
    try:
        run = run_check(paths, options, data)
    except LintError as exc:
        _fail(exc.one_line())
        return
    for note in run.notes:
        click.echo(note, err=True)
    ctx = RenderContext(
        files=len(run.files), packs=run.packs, root=str(repository_root()), paths=run.files, statistics=statistics
    )
    _write(get(fmt or run.settings.format or "text")(run.diagnostics, ctx), output)
    sys.exit(EXIT_VIOLATIONS if any(d.severity == "error" for d in run.diagnostics) else EXIT_OK)


def _write(text: str, output: str | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"{output}: 无法写入：{exc.strerror or exc}")


@main.command()
@click.argument("path")
@click.option("--pack", "pack_ref", help="规则包编号或目录（默认自动选择）")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
def extract(path: str, pack_ref: str | None, fmt: str) -> None:
    """输出识别出的报告结构（表、行、单元格及位置、说明章节），供编写规则时参考。"""
    from .api import read_report

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
    pack = _load(pack_ref)
    assert pack is not None
    if fmt == "json":
        click.echo(json.dumps(rule_rows(pack), ensure_ascii=False, indent=2))
    else:
        click.echo(markdown(pack) if fmt == "markdown" else rules_text(pack), nl=False)


@main.command("rule")
@click.argument("rule_id")
@click.option("--pack", "pack_ref", default="cn-final-accounts-2024", show_default=True, help="规则包")
def rule_cmd(rule_id: str, pack_ref: str) -> None:
    """解释一条规则：标题、级别、依据、规则源码与示例。"""
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


@main.group()
def pack() -> None:
    """规则包：列出、校验、运行示例测试。"""


@pack.command("list")
def pack_list() -> None:
    """列出内置规则包。"""
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
    click.echo(f"{p.id}：{len(p.rules)} 条规则，{len(p.specs)} 张表，校验通过。")


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
