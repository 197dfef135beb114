"""The pre-commit hook, installed by pre-commit itself from a snapshot of this repository, run on a
repository that holds a report with one wrong table cell; once its findings are in a committed
baseline, the hook passes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT
from identify.identify import ALL_TAGS, tags_from_path
from openpyxl import Workbook
from workflow_support import BAD_LINE, write_report

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
PROJECT_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "disclosure_lint", "rules", "lark_grammar")


def _git(cwd: Path, *args: str) -> str:
    out = subprocess.run(
        [
            "git",
            "-c",
            "user.name=disclosure-lint",
            "-c",
            "user.email=lint@example.invalid",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=cwd,
        env=_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return {**env, **extra}


def _hook_repository(dest: Path) -> str:
    """A git repository holding the current working tree of the project (committed or not); its commit."""
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, dest / name)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "Snapshot")
    return _git(dest, "rev-parse", "HEAD")


def test_hook_definition_uses_tags_identify_knows():
    [hook] = HOOKS
    assert hook["id"] == "disclosure-lint"
    assert hook["entry"] == "disclosure-lint check"
    assert hook["language"] == "python"
    assert hook["require_serial"] is True
    assert set(hook["types_or"]) <= ALL_TAGS


def test_hook_selects_reports_of_every_format_and_nothing_else(tmp_path):
    [hook] = HOOKS
    files = re.compile(hook["files"])
    (tmp_path / "a.txt").write_text("正文\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# 标题\n", encoding="utf-8")
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    Workbook().save(tmp_path / "d.xlsx")
    (tmp_path / "e.py").write_text("print(1)\n", encoding="utf-8")
    (tmp_path / "f.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")

    def selected(p: Path) -> bool:
        return bool(files.search(p.name)) and bool(tags_from_path(str(p)) & set(hook["types_or"]))

    assert [p.name for p in sorted(tmp_path.iterdir()) if selected(p)] == ["a.txt", "b.md", "c.pdf", "d.xlsx"]


def test_precommit_hook_fails_and_prints_the_finding(tmp_path):
    hook_repo = tmp_path / "hook"
    hook_repo.mkdir()
    rev = _hook_repository(hook_repo)
    work = tmp_path / "work"
    work.mkdir()
    _git(work, "init", "-q")
    write_report(work / "report.txt")
    (work / "build.py").write_text("print('not a report')\n", encoding="utf-8")
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hook_repo.as_posix()}\n  rev: {rev}\n  hooks:\n  - id: disclosure-lint\n", encoding="utf-8"
    )
    _git(work, "add", "-A")
    env = _env(PRE_COMMIT_HOME=str(tmp_path / "cache"), PRE_COMMIT_COLOR="never")
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert re.search(r"^disclosure-lint\.+Failed$", output, re.MULTILINE), output
    assert f"report.txt:{BAD_LINE}:5: error T03.ROW-SUM" in output
    assert "build.py" not in output

    recorded = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "check", "report.txt", "--write-baseline"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert recorded.returncode == 0, recorded.stderr
    _git(work, "add", "-A")
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--files", "report.txt"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"^disclosure-lint\.+Passed$", run.stdout, re.MULTILINE)
