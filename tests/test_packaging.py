"""The wheel carries rules/ and lark_grammar/: install it into a fresh venv and run from elsewhere.

Runs offline: the wheel is built without build isolation, installed without dependencies, and the
fresh venv borrows the already-installed dependencies through a .pth line (which does not pull in
this checkout's editable install, because .pth files inside that folder are not processed).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(work / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next((work / "dist").glob("disclosure_lint-*.whl"))
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return env_dir


def test_wheel_contains_rules_and_grammar(installed):
    python = installed / "bin" / "python"
    out = subprocess.run(
        [str(python), "-c", "import disclosure_lint.resources as r; print(r.packs_dir()); print(r.grammar_path())"],
        check=True,
        capture_output=True,
        text=True,
        cwd="/",
    ).stdout
    packs, grammar = out.split()
    assert packs.startswith(str(installed)) and Path(packs, "cn-final-accounts-2024", "pack.yaml").is_file()
    assert grammar.startswith(str(installed)) and Path(grammar).is_file()


def test_installed_cli_checks_from_another_directory(installed, tmp_path):
    report = tmp_path / "report.txt"
    shutil.copy(EXAMPLE, report)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [str(installed / "bin" / "disclosure-lint"), "check", "report.txt", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stderr == ""
    assert all(d["path"] == "report.txt" for d in json.loads(proc.stdout))
    listing = subprocess.run(
        [str(installed / "bin" / "disclosure-lint"), "rules"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=True,
    ).stdout
    assert "T03.ROW-SUM" in listing


def test_installed_cli_writes_the_review_report(installed, tmp_path):
    """The report's styles and filter script are package data: they must be inside the wheel."""
    report = tmp_path / "report.txt"
    shutil.copy(EXAMPLE, report)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [str(installed / "bin" / "disclosure-lint"), "check", "report.txt", "--format", "html", "-o", "r.html"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "article.finding" in html and 'form.querySelector(".shown-count")' in html
