"""The 2024 pack's pass/fail examples, run by the pack's own test runner and through the CLI.

The negative cases prove the runner can fail: a copy of the pack is damaged in one way each,
and ``pack test`` must then exit 1 with a line naming the rule.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PACK_ID

from disclosure_lint.packs.load import load_pack
from disclosure_lint.packs.locate import available_pack_dirs
from disclosure_lint.packs.test import pinned_share, run_pack_tests, unpinned_examples

PACK = load_pack(PACK_ID)
RULE_IDS = [r.id for r in PACK.rules]
EXAMPLES = PACK.path / "examples"
SUMMARY = re.compile(r"^(\d+)/(\d+) 项示例测试通过。$")


def pack_test(ref: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "pack", "test", str(ref)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_examples_pass_and_fail_as_declared(rule_id):
    results = run_pack_tests(PACK, only=rule_id)
    details = "\n".join(f"{'ok' if r.ok else 'FAILED'}: {r.detail}" for r in results)
    assert results, f"{rule_id}: the runner returned no result"
    assert all(r.ok for r in results), f"{rule_id}:\n{details}"
    assert len(results) >= 2, f"{rule_id}:\n{details}"


def test_every_example_folder_names_a_rule_of_the_pack():
    folders = {d.name for d in EXAMPLES.iterdir() if d.is_dir()}
    assert folders - set(RULE_IDS) == set()


@pytest.mark.parametrize("folder", available_pack_dirs(), ids=lambda d: d.name)
def test_every_bundled_failing_example_pins_its_rule_and_place(folder):
    pack = load_pack(str(folder))
    total, pinned = pinned_share(pack)
    assert [str(p.relative_to(folder)) for p in unpinned_examples(pack)] == []
    assert pinned == total
    # A pack without failing examples of its own must take them from the pack it extends.
    assert total > 0 or len(pack.lineage) > 1


def test_examples_use_both_table_forms():
    texts = [f.read_text(encoding="utf-8") for f in EXAMPLES.glob("*/*.md")]
    piped = sum(1 for t in texts if re.search(r"^\|.*\|\s*$", t, re.M))
    tabbed = sum(1 for t in texts if re.search(r"^[^|\n]*\t", t, re.M))
    assert piped >= 20 and tabbed >= 20, (piped, tabbed)


def test_cli_pack_test_passes_and_prints_a_summary():
    proc = pack_test(PACK_ID)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    last = next(x for x in proc.stdout.splitlines() if SUMMARY.match(x))
    m = SUMMARY.match(last)
    assert m, last
    assert m.group(1) == m.group(2)
    assert int(m.group(2)) >= 2 * len(RULE_IDS)


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(PACK.path, target)
    return target


def _failing_line(proc: subprocess.CompletedProcess[str], rule_id: str) -> str:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("失败") and rule_id in ln.split()]
    assert lines, proc.stdout
    return lines[0]


def test_cli_fails_when_a_failing_example_no_longer_fails(pack_copy):
    folder = pack_copy / "examples" / "T03.ROW-SUM"
    shutil.copyfile(folder / "pass.md", folder / "fail.md")
    line = _failing_line(pack_test(pack_copy), "T03.ROW-SUM")
    assert "fail.md" in line and "应报告问题但没有" in line


def test_cli_fails_when_a_rule_has_no_passing_example(pack_copy):
    (pack_copy / "examples" / "T01.BALANCE" / "pass.md").unlink()
    line = _failing_line(pack_test(pack_copy), "T01.BALANCE")
    assert "缺少通过示例" in line


def test_cli_fails_when_a_passing_example_is_not_assessable(pack_copy):
    examples = pack_copy / "examples"
    # A fragment holding 公开06表 only: the rule also needs 公开05表, so it is never assessed.
    shutil.copyfile(examples / "T06.ROLLUP" / "pass.md", examples / "X.T05-T06" / "pass.md")
    line = _failing_line(pack_test(pack_copy), "X.T05-T06")
    assert "pass.md" in line and "规则未被实际检查" in line and "公开05表" in line


def test_cli_fails_on_an_example_file_that_is_neither_pass_nor_fail(pack_copy):
    folder = pack_copy / "examples" / "T10.VEHICLES"
    (folder / "fail.md").rename(folder / "wrong.md")
    proc = pack_test(pack_copy)
    line = _failing_line(proc, "T10.VEHICLES")
    assert "wrong.md" in line or "缺少不通过示例" in line
    assert "缺少不通过示例" in proc.stdout and "wrong.md: 示例文件名应以 pass、fail 或 na 开头" in proc.stdout


def test_cli_fails_when_a_passing_example_draws_a_tail_warning(pack_copy):
    folder = pack_copy / "examples" / "T06.ROLLUP"
    shutil.copyfile(folder / "fail-tail.md", folder / "pass.md")
    line = _failing_line(pack_test(pack_copy), "T06.ROLLUP")
    assert "pass.md" in line and "不应报告问题" in line and "尾差" in line
