"""Command line: thin click wrappers around api.py. Every failure ends in one line and exit status 2."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .api import lint
from .dump import report_dict, report_text
from .errors import LintError
from .formatters import FORMATS, RenderContext, get
from .model import Diagnostic, Location
from .packs import Pack, available_pack_dirs, load_pack
from .readers import SUPPORTED_SUFFIXES

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(EXIT_ERROR)


def expand_paths(paths: tuple[str, ...]) -> list[Path]:
    """Files as given; folders are searched recursively for supported reports (hidden ones skipped)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            out.extend(found)
        else:
            out.append(p)
    return out


def input_diagnostic(path: str, exc: LintError) -> Diagnostic:
    """A file that could not be checked is reported like a finding, so batches lose nothing."""
    loc = Location(exc.path or path, exc.line, exc.col)
    return Diagnostic("E.INPUT", "error", exc.message, loc, fingerprint=f"input:{path}")


def _load(pack: str | None) -> Pack | None:
    if pack is None:
        return None
    try:
        return load_pack(pack)
    except LintError as exc:
        _fail(exc.one_line())
    return None  # pragma: no cover - _fail exits


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="disclosure-lint")
def main() -> None:
    """disclosure-lint：部门预决算公开报告检查工具。"""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--pack", "pack_ref", help="规则包编号或目录（默认按报告类型与年度自动选择）")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="输出格式")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="写入文件而不是标准输出")
def check(paths: tuple[str, ...], pack_ref: str | None, fmt: str, output: str | None) -> None:
    """检查一个或多个报告（文本/Markdown、PDF、XLSX，或包含它们的目录）。"""
    pack = _load(pack_ref)
    files = expand_paths(paths)
    if not files:
        _fail("没有找到可检查的文件（支持 .txt .md .pdf .xlsx）")
    diagnostics: list[Diagnostic] = []
    bad_input = False
    packs: list[Pack] = []
    for f in files:
        try:
            result = lint(f, pack)
        except LintError as exc:
            bad_input = True
            diagnostics.append(input_diagnostic(str(f), exc))
            continue
        diagnostics.extend(result.diagnostics)
        if result.pack is not None and result.pack not in packs:
            packs.append(result.pack)
    text = get(fmt)(diagnostics, RenderContext(files=len(files), packs=packs))
    _write(text, output)
    if bad_input:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_VIOLATIONS if any(d.severity == "error" for d in diagnostics) else EXIT_OK)


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
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_cmd(pack_ref: str, fmt: str) -> None:
    """列出规则包中的规则。"""
    pack = _load(pack_ref)
    assert pack is not None
    rows = [
        {"id": r.id, "severity": r.severity, "title": r.rule.title, "ref": r.rule.ref,
         "file": os.path.relpath(r.rule.file, pack.path), "line": r.rule.pos.line}
        for r in pack.rules
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    width = max((len(r["id"]) for r in rows), default=10)
    click.echo(f"{pack.id}：{pack.title}（{len(rows)} 条规则）")
    for r in rows:
        click.echo(f"{r['id']:<{width}}  {r['severity']:<7}  {r['title']}")


@main.command("rule")
@click.argument("rule_id")
@click.option("--pack", "pack_ref", default="cn-final-accounts-2024", show_default=True, help="规则包")
def rule_cmd(rule_id: str, pack_ref: str) -> None:
    """解释一条规则：标题、级别、依据、规则源码与示例。"""
    pack = _load(pack_ref)
    assert pack is not None
    compiled = pack.rule(rule_id)
    if compiled is None:
        _fail(f"规则包 {pack.id} 中没有规则 {rule_id}")
        return
    r = compiled.rule
    click.echo(f"{r.id}  {r.title}")
    click.echo(f"级别：{compiled.severity}")
    if r.ref:
        click.echo(f"依据：{r.ref}")
    if r.doc:
        click.echo(f"说明：{r.doc}")
    click.echo(f"定义：{os.path.relpath(r.file, pack.path)}:{r.pos.line}\n")
    click.echo(r.source.rstrip() + "\n")
    for d in pack.example_dirs(rule_id):
        for f in sorted(d.iterdir()):
            kind = "通过示例" if f.name.startswith("pass") else "不通过示例"
            click.echo(f"--- {kind}：{f.name}")
            click.echo(f.read_text(encoding="utf-8").rstrip() + "\n")


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
    """加载并校验规则包（语法、类型、表结构），不读取任何报告。"""
    p = _load(pack_ref)
    assert p is not None
    click.echo(f"{p.id}：{len(p.rules)} 条规则，{len(p.specs)} 张表，校验通过。")


@pack.command("test")
@click.argument("pack_ref", default="cn-final-accounts-2024")
@click.option("--rule", "only", help="只测试这一条规则")
def pack_test(pack_ref: str, only: str | None) -> None:
    """运行规则包自带的通过/不通过示例。"""
    from .packtest import run_pack_tests

    p = _load(pack_ref)
    assert p is not None
    failures = 0
    results = run_pack_tests(p, only)
    for res in results:
        mark = "通过" if res.ok else "失败"
        click.echo(f"{mark}  {res.rule:<24} {res.detail}")
        failures += not res.ok
    click.echo(f"{len(results) - failures}/{len(results)} 项示例测试通过。")
    sys.exit(EXIT_VIOLATIONS if failures else EXIT_OK)


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

