"""Shared definitions, partial overrides of inherited rules, ``at`` and rule status.

Each is checked on the bundled example report, in a small pack that extends the national one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLE, PACK_ID
from workflow_support import cli

from disclosure_lint import lint
from disclosure_lint.errors import PackError, PackErrors
from disclosure_lint.packs.load import load_pack
from disclosure_lint.packs.test import run_pack_tests


def make_pack(folder: Path, rules: str, yaml: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(
        f"id: local\nkind: 决算\nyears: [2024]\nextends: {PACK_ID}\nrule_files: [local.rules]\n{yaml}",
        encoding="utf-8",
    )
    (folder / "local.rules").write_text(rules, encoding="utf-8")
    return folder


def first_error(folder: Path) -> PackError:
    with pytest.raises(PackError) as exc:
        load_pack(str(folder))
    err = exc.value
    return err.errors[0] if isinstance(err, PackErrors) else err


# ------------------------------------------------------------------ definitions
def test_constants_word_lists_and_functions(tmp_path):
    rules = """
define 尾差 = 0.05
define 合计行(表) = 表[合计]
define 支出项目 = ["基本支出", "项目支出"]
define 占比(部分, 整体) = 部分 / 整体 * 100

rule L.SHARE "说明中的基本支出、项目支出占比与支出决算表一致"
  match "{名称:支出项目}…占[比|支出合计的]{占比值:比例}%" in section "支出决算情况说明"
  let 合计 = 合计行(公开03表).本年支出合计
  assert abs(占比值 - 占比(if(名称 == "基本支出", 合计行(公开03表).基本支出, 合计行(公开03表).项目支出), 合计)) <= 尾差
"""
    pack = load_pack(str(make_pack(tmp_path / "p", rules)))
    result = lint(EXAMPLE, pack)
    outcome = result.outcomes["L.SHARE"]
    assert outcome.passed == 2 and outcome.failed == 0, outcome.reasons
    assert {d.name for d in pack.unused_definitions} & {"尾差", "合计行", "支出项目", "占比"} == set()


def test_a_parents_definitions_are_used_by_a_child(tmp_path):
    rules = 'rule L.A "t"\n  match "{年份:年度}年" in section "预算绩效"\n  when 在书名号中(前文)\n  assert false\n'
    pack = load_pack(str(make_pack(tmp_path / "p", rules)))
    assert "在书名号中" in pack.definitions
    assert pack.rule("L.A") is not None


def test_a_child_redefinition_changes_the_inherited_rules(tmp_path):
    """The parent's N.STALE-YEAR exempts years after its 比较用语; a child that adds 按照 to the list
    turns off the finding on “按照2023年底…” in the example."""
    base = [d.loc.line for d in lint(EXAMPLE, PACK_ID).diagnostics if d.rule == "N.STALE-YEAR"]
    rules = 'define 比较用语 = ["比", "较", "与", "同", "和", "对比", "相比", "自", "从", "按照"]\n'
    pack = load_pack(str(make_pack(tmp_path / "p", rules)))
    lines = [d.loc.line for d in lint(EXAMPLE, pack).diagnostics if d.rule == "N.STALE-YEAR"]
    assert len(base) == 2 and lines == base[1:]


@pytest.mark.parametrize(
    ("rules", "fragment", "line", "col"),
    [
        ('define 甲 = 乙\ndefine 乙 = 甲\nrule L.A "t"\n  assert 甲 == 1\n', "引用了自身", 2, 12),
        ('define 比例(a) = a * 100\nrule L.A "t"\n  assert 比例(1, 2) == 1\n', "需要 1 个参数", 3, 10),
        (
            'define 甲 = 1\ndefine 甲 = 2\nrule L.A "t"\n  assert 甲 == 1\n',
            "定义“甲”重复（首次定义于 local.rules:1:1）",
            2,
            1,
        ),
        ('define sum = 1\nrule L.A "t"\n  assert 1 == 1\n', "与内置函数同名", 1, 1),
        (
            'define 坏(a) = a.不存在\nrule L.A "t"\n  for row r in 公开03表\n  assert 坏(r) == 1\n',
            "（使用于",
            1,
            17,
        ),
    ],
)
def test_definition_errors_are_located(tmp_path, rules, fragment, line, col):
    err = first_error(make_pack(tmp_path / "p", rules))
    assert fragment in err.message
    assert (Path(err.path).name, err.line, err.col) == ("local.rules", line, col), err.one_line()


def test_match_patterns_from_definitions(tmp_path):
    rules = """
define 合计句 = "[本年]支出[决算]合计[为]"
rule L.A "t"
  match 合计句 + "{金额}万元" in section "支出决算情况说明"
  assert 金额 == 公开03表[合计].本年支出合计
"""
    pack = load_pack(str(make_pack(tmp_path / "p", rules)))
    assert lint(EXAMPLE, pack).outcomes["L.A"].passed == 1


# ------------------------------------------------------------------ overrides
def test_override_changes_severity_tolerance_message_and_keeps_the_parents_examples(tmp_path):
    rules = """
override N.ITEM-AMOUNT
  severity warning
  message "说明中“{m.label}”的金额 {m.金额} 万元与公开06表不一致"
"""
    pack = load_pack(str(make_pack(tmp_path / "p", rules)))
    (d,) = [d for d in lint(EXAMPLE, pack).diagnostics if d.rule == "N.ITEM-AMOUNT"]
    assert d.severity == "warning" and d.message == "说明中“电费”的金额 0.09 万元与公开06表不一致"
    parent = load_pack(PACK_ID)
    assert pack.example_dirs("N.ITEM-AMOUNT") == parent.example_dirs("N.ITEM-AMOUNT")
    results = run_pack_tests(pack, "N.ITEM-AMOUNT")
    assert results and all(r.ok for r in results), [r.detail for r in results]
    assert "override N.ITEM-AMOUNT" in pack.checked["N.ITEM-AMOUNT"].source


def test_override_replaces_one_where(tmp_path):
    """The example's one N.ITEM-AMOUNT finding is about 电费; a where that leaves out 电费 keeps the
    other items checked and reports nothing."""
    base = lint(EXAMPLE, PACK_ID).outcomes["N.ITEM-AMOUNT"]
    rules = 'override N.ITEM-AMOUNT\n  where m: exists(m.row) and m.label != "电费"\n'
    pack = load_pack(str(make_pack(tmp_path / "p", rules)))
    result = lint(EXAMPLE, pack)
    assert [d for d in result.diagnostics if d.rule == "N.ITEM-AMOUNT"] == []
    outcome = result.outcomes["N.ITEM-AMOUNT"]
    assert outcome.failed == 0 and 0 < outcome.passed < base.passed + base.failed


def test_override_tolerance(tmp_path):
    pack = load_pack(str(make_pack(tmp_path / "p", "override N.ITEM-AMOUNT\n  tolerance 1\n")))
    assert [d for d in lint(EXAMPLE, pack).diagnostics if d.rule == "N.ITEM-AMOUNT"] == []


@pytest.mark.parametrize(
    ("rules", "fragment", "line", "col"),
    [
        ("override N.ITEM-AMOUT\n  severity warning\n", "是否应为“N.ITEM-AMOUNT”", 1, 1),
        ("override N.ITEM-AMOUNT\n  severity fatal\n", "严重级别", 2, 12),
        ("override N.INCOME-ITEM\n  where 名称 == c\n", "有多个 for 或 match", 2, 3),
        ("override N.ITEM-AMOUNT\n  where m: m.不存在 == 1\n", "提及变量没有“不存在”", 2, 14),
    ],
)
def test_override_errors_are_located_in_the_child(tmp_path, rules, fragment, line, col):
    err = first_error(make_pack(tmp_path / "p", rules))
    assert fragment in err.message
    assert (Path(err.path).name, err.line, err.col) == ("local.rules", line, col), err.one_line()


# ------------------------------------------------------------------ at
AT_RULE = """
rule L.AT "一般公共服务支出的本年支出合计不超过项目支出"
  for row r in 公开03表 where code(r) == "201"
  assert r.本年支出合计 <= r.项目支出
  {at}
"""


def test_at_chooses_the_cell_a_finding_points_to(tmp_path, example_text):
    default = lint(EXAMPLE, load_pack(str(make_pack(tmp_path / "a", AT_RULE.format(at="")))))
    pointed = lint(EXAMPLE, load_pack(str(make_pack(tmp_path / "b", AT_RULE.format(at="at r.项目支出")))))
    (d0,) = [d for d in default.diagnostics if d.rule == "L.AT"]
    (d1,) = [d for d in pointed.diagnostics if d.rule == "L.AT"]
    assert (d0.column_name, d1.column_name) == ("本年支出合计", "项目支出")
    assert d0.loc.line == d1.loc.line
    line = example_text.splitlines()[d1.loc.line - 1]
    assert line[d1.loc.col - 1 : d1.loc.end_col - 1] == "24.98"


def test_at_is_the_same_in_text_pdf_and_xlsx(tmp_path, example_text, make_pdf, make_xlsx):
    pack = load_pack(str(make_pack(tmp_path / "b", AT_RULE.format(at="at r.项目支出"))))
    seen = []
    for path in (EXAMPLE, make_pdf(example_text), make_xlsx().path):
        (d,) = [d for d in lint(path, pack).diagnostics if d.rule == "L.AT"]
        seen.append((d.table, d.row, d.column_name, d.fingerprint))
    assert seen[0] == seen[1] == seen[2] == (seen[0][0], "201", "项目支出", seen[0][3])


def test_at_a_text_capture_points_at_the_words(tmp_path, example_text):
    rules = """
rule L.NAME "说明中的电费"
  match "{名称:电费|水费}{金额}万元" in section "一般公共预算财政拨款基本支出决算情况说明"
  when 名称 == "电费"
  assert 金额 == 0
  at 名称
"""
    result = lint(EXAMPLE, load_pack(str(make_pack(tmp_path / "p", rules))))
    found = [d for d in result.diagnostics if d.rule == "L.NAME"]
    assert found
    for d in found:
        assert example_text.splitlines()[d.loc.line - 1][d.loc.col - 1 : d.loc.end_col - 1] == "电费"


def test_at_needs_something_with_a_place(tmp_path):
    err = first_error(make_pack(tmp_path / "p", 'rule L.A "t"\n  assert 1 == 1\n  at 1 == 1\n'))
    assert "at 应指向" in err.message and (err.line, err.col) == (3, 6)


# ------------------------------------------------------------------ status
STATUS_RULES = """
rule L.PREVIEW "预览规则"
  status preview
  since 2025
  for row r in 公开03表 where code(r) == "201"
  assert r.本年支出合计 <= r.项目支出

rule L.OLD "旧规则"
  status deprecated L.PREVIEW
  for row r in 公开03表 where code(r) == "201"
  assert r.本年支出合计 <= r.基本支出
"""


def test_preview_rules_run_only_when_selected_by_id(tmp_path):
    folder = make_pack(tmp_path / "p", STATUS_RULES)
    report = tmp_path / "report.txt"
    report.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    off = cli("check", str(report), "--pack", str(folder), "--format", "json")
    assert "L.PREVIEW" not in off.stdout and "L.OLD" in off.stdout
    (tmp_path / "disclosure-lint.toml").write_text('pack = "p"\nextend-select = ["L.PREVIEW"]\n', encoding="utf-8")
    on = cli("check", str(report), "--format", "json")
    assert "L.PREVIEW" in on.stdout


def test_deprecated_rules_are_noted_once_with_their_replacement(tmp_path):
    folder = make_pack(tmp_path / "p", STATUS_RULES)
    reports = []
    for name in ("a.txt", "b.txt"):
        reports.append(tmp_path / name)
        reports[-1].write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("check", *map(str, reports), "--pack", str(folder))
    assert result.stderr.count("L.OLD") == 1
    assert "local：规则 L.OLD 已弃用，请改用 L.PREVIEW" in result.stderr


def test_rules_listing_shows_status_and_since(tmp_path):
    folder = make_pack(tmp_path / "p", STATUS_RULES)
    lines = cli("rules", "--pack", str(folder)).stdout.splitlines()
    assert next(x for x in lines if x.startswith("L.PREVIEW ")).endswith("预览规则（预览，自 2025 起）")
    assert next(x for x in lines if x.startswith("L.OLD ")).endswith("旧规则（已弃用，请改用 L.PREVIEW）")


@pytest.mark.parametrize(
    ("clause", "fragment"),
    [
        ("status experimental", "状态应为"),
        ("status deprecated L.NOPE", "替代规则 L.NOPE 不存在"),
        ("status stable L.A", "只有"),
    ],
)
def test_bad_status(tmp_path, clause, fragment):
    err = first_error(make_pack(tmp_path / "p", f'rule L.A "t"\n  {clause}\n  assert 1 == 1\n'))
    assert fragment in err.message and (err.line, err.col) == (2, 10)
