"""Examples that pin their result: the ``expect`` header of fail examples, not-applicable examples, and
the difference ``pack test`` prints when an example is not met."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import PACK_ID
from workflow_support import run_here

from disclosure_lint.packs.expect import Expected, read_expectations
from disclosure_lint.packs.load import load_pack
from disclosure_lint.packs.test import run_pack_tests

NATIONAL = load_pack(PACK_ID).path
T03 = NATIONAL / "examples" / "T03.ROW-SUM"
RULE = """
rule L.ROW "支出决算表：本年支出合计 = 基本支出 + 项目支出"
  for row r in 公开03表
  assert r.本年支出合计 == r.基本支出 + r.项目支出
"""


def make_pack(folder: Path, rules: str = RULE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(
        f"id: local\nkind: 决算\nyears: [2024]\nextends: {PACK_ID}\nrule_files: [local.rules]\n", encoding="utf-8"
    )
    (folder / "local.rules").write_text(rules, encoding="utf-8")
    return folder


def example(folder: Path, rule: str, name: str, text: str) -> Path:
    path = folder / "examples" / rule / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def unpinned(source: Path) -> str:
    """A bundled example without its own expect header."""
    return re.sub(r"<!-- expect:.*?-->\n", "", source.read_text(encoding="utf-8"), count=1, flags=re.S)


def with_header(header: str, source: Path = T03 / "fail.md") -> str:
    lines = unpinned(source).splitlines(True)
    return lines[0] + header + "".join(lines[1:])


def results_for(folder: Path, rule: str = "L.ROW") -> dict[str, tuple[bool, str, list[str]]]:
    return {r.detail.split(":")[0]: (r.ok, r.detail, r.diff) for r in run_pack_tests(load_pack(str(folder)), rule)}


# The failing row of the T03.ROW-SUM fail example (20105 统计信息事务), as it stands in the file.
FAIL_LINES = unpinned(T03 / "fail.md").splitlines()
ROW = 1 + next(i for i, line in enumerate(FAIL_LINES) if line.startswith("| 20105 "))


def test_header_is_yaml_in_a_comment_and_keeps_lines(tmp_path):
    header = f"<!-- expect:\n- line: {ROW + 5}\n  message: [249.28, 259.28]\n  count: 1\n-->\n"
    path = example(tmp_path, "L.ROW", "fail.md", with_header(header))
    (e,) = read_expectations(path, "L.ROW")
    assert e == Expected("L.ROW", 1, ROW + 5, message=("249.28", "259.28"))
    assert path.read_text(encoding="utf-8").splitlines()[ROW + 5 - 1].startswith("| 20105 ")


def test_a_pinned_example_passes_when_rule_line_count_and_message_match(tmp_path):
    folder = make_pack(tmp_path / "p")
    example(folder, "L.ROW", "pass.md", (T03 / "pass.md").read_text(encoding="utf-8"))
    header = f"<!-- expect: [{{rule: L.ROW, line: {ROW + 1}, message: 249.28}}] -->\n"
    example(folder, "L.ROW", "fail.md", with_header(header))
    ok, detail, _ = results_for(folder)["fail.md"]
    assert ok, detail
    assert "与预期一致" in detail


@pytest.mark.parametrize(
    ("entry", "shown"),
    [
        ("line: 99", "- 预期：L.ROW line 99"),
        ("message: 本年支出合计 999", "- 预期：L.ROW 消息含“本年支出合计 999”"),
        ("count: 2", "- 预期：L.ROW ×2"),
        ("rule: T03.ROLLUP, line: 1", "+ 实际：T03.ROLLUP"),
    ],
)
def test_an_unmet_expectation_fails_and_prints_the_difference(tmp_path, entry, shown):
    folder = make_pack(tmp_path / "p")
    example(folder, "L.ROW", "pass.md", (T03 / "pass.md").read_text(encoding="utf-8"))
    extra = "- {rule: L.ROW}\n" if entry.startswith("rule:") else ""
    example(folder, "L.ROW", "fail.md", with_header(f"<!-- expect:\n{extra}- {{{entry}}}\n-->\n"))
    ok, detail, diff = results_for(folder)["fail.md"]
    assert not ok and "与预期不符" in detail
    assert any(line.startswith(shown) for line in diff), diff


def test_cli_prints_the_difference_under_the_failing_example(tmp_path):
    folder = make_pack(tmp_path / "p")
    example(folder, "L.ROW", "pass.md", (T03 / "pass.md").read_text(encoding="utf-8"))
    example(folder, "L.ROW", "fail.md", with_header("<!-- expect: {line: 3} -->\n"))
    proc = run_here("pack", "test", str(folder), "--rule", "L.ROW")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith("失败  L.ROW") and "fail.md" in x)
    assert lines[at + 1] == "      - 预期：L.ROW line 3"
    assert lines[at + 2].startswith(f"      + 实际：L.ROW line {ROW + 1}, column ")


def test_not_applicable_examples(tmp_path):
    folder = make_pack(tmp_path / "p")
    example(folder, "L.ROW", "pass.md", (T03 / "pass.md").read_text(encoding="utf-8"))
    example(folder, "L.ROW", "fail.md", unpinned(T03 / "fail.md"))
    narrative = (
        "# 不适用：只有说明，没有公开03表\n<!-- expect: {reason: 公开03表} -->\n\n示例市数据局2024年度部门决算\n\n"
        "## 一、收入支出决算总体情况说明\n\n收入总计1.00万元。\n"
    )
    example(folder, "L.ROW", "na.md", narrative)
    example(
        folder,
        "L.ROW",
        "na-wrong.md",
        "# 不适用？实际上规则检查了这张表\n" + (T03 / "pass.md").read_text(encoding="utf-8"),
    )
    results = results_for(folder)
    assert results["na.md"][0], results["na.md"]
    ok, detail, _ = results["na-wrong.md"]
    assert not ok and "应不适用，但规则检查了" in detail


def test_a_not_applicable_reason_that_does_not_match_is_shown(tmp_path):
    folder = make_pack(tmp_path / "p")
    example(folder, "L.ROW", "pass.md", (T03 / "pass.md").read_text(encoding="utf-8"))
    example(folder, "L.ROW", "fail.md", unpinned(T03 / "fail.md"))
    text = "# 不适用\n<!-- expect: {reason: 公开05表} -->\n\n示例市数据局2024年度部门决算\n\n## 说明\n\n无。\n"
    example(folder, "L.ROW", "na.md", text)
    ok, _, diff = results_for(folder)["na.md"]
    assert not ok and diff[0] == "- 预期原因含：“公开05表”" and diff[1].startswith("+ 实际原因：")


def test_malformed_header_names_the_file_and_line(tmp_path):
    folder = make_pack(tmp_path / "p")
    example(folder, "L.ROW", "pass.md", (T03 / "pass.md").read_text(encoding="utf-8"))
    example(folder, "L.ROW", "fail.md", with_header("<!-- expect:\n- {lien: 3}\n-->\n"))
    ok, detail, _ = results_for(folder)["fail.md"]
    assert not ok and "fail.md:2: 预期格式错误：未知的键“lien”" in detail


def test_an_overridden_message_skips_only_the_message_check_of_inherited_examples(tmp_path):
    folder = make_pack(tmp_path / "p", 'override T03.ROW-SUM\n  message "{r.科目名称}的合计不等于各项之和"\n')
    pack = load_pack(str(folder))
    results = run_pack_tests(pack, "T03.ROW-SUM")
    assert results and all(r.ok for r in results), [r.detail for r in results]


def test_pass_examples_take_no_expectation(tmp_path):
    folder = make_pack(tmp_path / "p")
    example(folder, "L.ROW", "pass.md", with_header("<!-- expect: {line: 3} -->\n", T03 / "pass.md"))
    example(folder, "L.ROW", "fail.md", unpinned(T03 / "fail.md"))
    ok, detail, _ = results_for(folder)["pass.md"]
    assert not ok and "通过示例不需要 expect" in detail


def test_expectations_beside_an_example_in_another_format(tmp_path):
    """A PDF or XLSX example cannot hold a comment; its expectations sit in ``<name>.expect.yaml``."""
    folder = make_pack(tmp_path / "p")
    example(folder, "L.ROW", "pass.md", (T03 / "pass.md").read_text(encoding="utf-8"))
    path = example(folder, "L.ROW", "fail.md", unpinned(T03 / "fail.md"))
    (path.parent / "fail.md.expect.yaml").write_text(f"- {{line: {ROW}, cell: null}}\n", encoding="utf-8")
    assert read_expectations(path, "L.ROW") == [Expected("L.ROW", 1, ROW)]
    results = results_for(folder)
    assert set(results) == {"pass.md", "fail.md"}
    assert results["fail.md"][0], results["fail.md"]
