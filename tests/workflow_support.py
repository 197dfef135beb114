"""Helpers for the tests that drive the command line the way authors' tooling does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result
from conftest import EXAMPLE

from disclosure_lint.cli import main

# 公开03表 合计 row: changing 项目支出 3860.71 to 3870.71 breaks T03.ROW-SUM and T03.TOTAL.
BAD_LINE = 165
BAD_CELL = ("3860.71", "3870.71")


def write_report(path: Path, *, broken: bool = True, insert: dict[int, str] | None = None) -> Path:
    """The bundled example, optionally with one table cell changed and lines inserted before given lines."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    if broken:
        lines[BAD_LINE - 1] = lines[BAD_LINE - 1].replace(*BAD_CELL)
    for before, text in sorted((insert or {}).items(), reverse=True):
        lines.insert(before - 1, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    """``disclosure-lint ARGS`` as its own process: the exit status and both streams, as a shell sees them."""
    return subprocess.run(
        [sys.executable, "-m", "disclosure_lint", *args], capture_output=True, text=True, timeout=300, check=False
    )


def run_here(*args: str) -> subprocess.CompletedProcess[str]:
    """The same in this process, which saves a start-up per call; an exception fails the call."""
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(["disclosure-lint", *args], result.exit_code, result.stdout, result.stderr)


def cli(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin)


def check_json(*args: str, stdin: bytes | None = None) -> tuple[Result, list[dict]]:
    """``disclosure-lint check ARGS --format json``: the result and the parsed findings."""
    result = cli("check", *args, "--format", "json", stdin=stdin)
    return result, json.loads(result.stdout) if result.stdout.strip() else []


def rules_of(findings: list[dict]) -> list[str]:
    return [f["rule"] for f in findings]


def ours(findings: list[dict]) -> list[dict]:
    """The findings the changed cell causes in 公开03表 itself, and those about suppressions; the example's
    own findings as published (in its narrative and attachments) are left out."""
    return [f for f in findings if f["rule"].startswith(("T03.", "E."))]
