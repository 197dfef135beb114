"""docs/authoring.md is executed: every code block is a file the tutorial writes, a command it runs, or
the output that command must print.

Markers are HTML comments just before a block: ``<!-- 文件：路径 -->`` writes the block to that path;
a ``sh`` block runs its ``disclosure-lint`` commands in the tutorial's folder; ``<!-- 输出 -->`` (or
``<!-- 输出，退出码 N -->``) holds what the command before it prints, where a line ``…`` stands for
any lines and ``…`` inside a line for any text. Any other block fails the test, so the tutorial
cannot show something that was not run.
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT

from disclosure_lint.cli import main
from disclosure_lint.packs.load import load_pack

DOC = ROOT / "docs" / "authoring.md"
FENCE = re.compile(r"^(\s*)```(\w*)\s*$")
MARKER = re.compile(r"^\s*<!--\s*(文件|输出)(?:：(.+?)|，退出码\s*(\d+))?\s*-->\s*$")


@dataclass
class Block:
    line: int
    lang: str
    text: str
    marker: str | None = None
    arg: str | None = None


def blocks(text: str) -> list[Block]:
    out: list[Block] = []
    lines = text.splitlines()
    i = 0
    marker: tuple[str, str | None] | None = None
    while i < len(lines):
        m = MARKER.match(lines[i])
        fence = FENCE.match(lines[i])
        if m:
            marker = (m.group(1), m.group(2) or m.group(3))
        elif fence:
            indent = len(fence.group(1))
            start = i
            body = []
            i += 1
            while not re.match(r"^\s*```\s*$", lines[i]):
                body.append(lines[i][indent:])
                i += 1
            out.append(Block(start + 1, fence.group(2), "\n".join(body) + "\n", *(marker or (None, None))))
            marker = None
        elif lines[i].strip():
            marker = None
        i += 1
    return out


def _line_regex(line: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in line.split("…")))


def output_matches(expected: str, actual: str) -> bool:
    exp = [x.rstrip() for x in expected.rstrip("\n").splitlines()]
    act = [x.rstrip() for x in actual.rstrip("\n").splitlines()]

    @cache
    def match(e: int, a: int) -> bool:
        if e == len(exp):
            return a == len(act)
        if exp[e].strip() == "…":
            return any(match(e + 1, k) for k in range(a, len(act) + 1))
        return a < len(act) and bool(_line_regex(exp[e]).fullmatch(act[a])) and match(e + 1, a + 1)

    return match(0, 0)


def run(folder: Path, command: str) -> tuple[int, str]:
    """Run one ``disclosure-lint`` command in ``folder`` as a user would, in this process (the tutorial
    edits its pack between commands, so loaded packs are forgotten first)."""
    args = shlex.split(command)
    assert args[0] == "disclosure-lint", command
    load_pack.cache_clear()
    result = CliRunner().invoke(main, args[1:])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output.replace(f"{folder.resolve()}/", "")


def test_every_block_is_marked():
    found = blocks(DOC.read_text(encoding="utf-8"))
    assert len(found) > 20
    for b in found:
        assert b.marker is not None or b.lang == "sh", f"authoring.md:{b.line}: 代码块没有标明用途"
        assert b.marker != "输出" or b.lang == "text", f"authoring.md:{b.line}"


def test_the_tutorial_runs_as_written(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    pending: tuple[int, str, int, str] | None = None  # (doc line, command, exit code, output)

    def settle() -> None:
        if pending is not None:
            line, command, code, output = pending
            assert code == 0, f"authoring.md:{line}: {command} 退出码 {code}\n{output}"

    for b in blocks(DOC.read_text(encoding="utf-8")):
        if b.marker == "文件":
            settle()
            pending = None
            path = tmp_path / b.arg
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(b.text, encoding="utf-8")
        elif b.lang == "sh":
            settle()
            commands = [c for c in b.text.splitlines() if c.strip()]
            for command in commands[:-1]:
                code, output = run(tmp_path, command)
                assert code == 0, f"authoring.md:{b.line}: {command}\n{output}"
            code, output = run(tmp_path, commands[-1])
            pending = (b.line, commands[-1], code, output)
        else:
            assert pending is not None, f"authoring.md:{b.line}: 输出之前没有命令"
            _, command, code, output = pending
            assert code == int(b.arg or 0), f"authoring.md:{b.line}: {command} 退出码 {code}\n{output}"
            assert output_matches(b.text, output), f"authoring.md:{b.line}: {command} 的输出不符：\n{output}"
            pending = None
    settle()


def test_output_matching_is_strict():
    assert output_matches("a\n…\nc\n", "a\nb\nb\nc\n")
    assert output_matches("a…z\n", "abcz\n")
    assert not output_matches("a\nc\n", "a\nb\nc\n")
    assert not output_matches("a\n", "a\nb\n")
    assert not output_matches("a…z\n", "abc\n")
