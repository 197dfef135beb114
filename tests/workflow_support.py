"""Helpers for the tests that drive the command line the way authors' tooling does."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from conftest import EXAMPLE

from disclosure_lint.cli import main

# 公开03表 合计 row: changing 项目支出 3860.71 to 3870.71 breaks T03.ROW-SUM and T03.TOTAL.
BAD_LINE = 165
# The 03 合计 row's 本年支出合计: it breaks the row's sum, 合计 = Σ类, and the tables and narrative that
# repeat it; all of them are one finding, T03.ROW-SUM at that cell, with the others merged into it.
BAD_CELL = ("合计\t\t4384.83\t524.12", "合计\t\t4394.83\t524.12")


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
