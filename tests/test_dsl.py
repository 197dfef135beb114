"""Rule language: syntax and type errors are located; valid rules evaluate as written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT

from disclosure_lint import lint
from disclosure_lint.cli import main
from disclosure_lint.dsl.check import Checker, SchemaEnv
from disclosure_lint.dsl.parser import parse_rules
from disclosure_lint.errors import PackError
from disclosure_lint.packs.load import load_pack

PACK_DIR = ROOT / "rules" / "cn-final-accounts-2024"


def check_text(pack, text: str) -> list:
    checker = Checker(SchemaEnv(pack.specs), "t.rules")
    return [checker.rule(r) for r in parse_rules(text, "t.rules")]


def error_of(pack, text: str) -> PackError:
    with pytest.raises(PackError) as exc:
        check_text(pack, text)
    return exc.value


def test_syntax_error_names_token_and_expectation(pack):
    err = error_of(pack, 'rule T03.X "标题"\n  for row r in 公开03表\n  assert r.本年支出合计 == == 1\n')
    assert (err.line, err.col) == (3, 22)
    assert "意外的 '=='" in err.message and "名称" in err.message


def test_rule_id_must_look_like_an_id(pack):
    err = error_of(pack, 'rule t03 "标题" assert 1 == 1')
    assert (err.line, err.col) == (1, 6) and "规则编号" in err.message


@pytest.mark.parametrize(
    ("source", "line", "col", "fragment"),
    [
        ('rule T.A "t"\n  for row r in 公开03表\n  assert r.本年支出合 == 0', 3, 12, "没有名为“本年支出合”的列"),
        ('rule T.A "t"\n  assert 公开99表[合计].x == 0', 2, 10, "未知的名称“公开99表”"),
        ('rule T.A "t"\n  assert 公开03表.本年支出合计 == 0', 2, 16, "需要先选择行"),
        ('rule T.A "t"\n  assert 公开01表.其他[总计].金额 == 0', 2, 16, "没有名为“其他”的分区"),
        ('rule T.A "t"\n  for row r in 公开03表\n  assert sum(r) == 0', 3, 14, "参数应为"),
        ('rule T.A "t"\n  for row r in 公开03表\n  assert r.__class__ == 0', 3, 12, "没有名为“__class__”的列"),
        ('rule T.A "t"\n  for row r in 公开03表\n  assert nosuch(r) == 0', 3, 10, "未知函数“nosuch”"),
        ('rule T.A "t"\n  for row r in 公开03表\n  assert r.本年支出合计', 3, 3, "需要一个条件"),
        ('rule T.A "t"\n  severity fatal\n  assert 1 == 1', 2, 12, "严重级别"),
        ('rule T.A "t"\n  for row r in 公开03表\n  assert r.科目名称 == 1', 3, 10, "无法比较"),
        ('rule T.A "t"\n  for row r in 公开03表\n  message "{r.不存在}"\n  assert 1 == 1', 3, 15, "不存在"),
        ('rule T.A "t"\n  match "{金额:钱}万元"\n  assert 金额 == 1', 2, 14, "未知的捕获类型"),
        ('rule T.A "t"\n  for row r in 公开03表\n  for row r in 公开05表\n  assert 1 == 1', 3, 3, "重复定义"),
        # one capture name in two places that can both match; in two alternatives of different types
        ('rule T.A "t"\n  match "{金额}万元，{金额}万元"\n  assert 金额 == 1', 2, 18, "在同一模式中重复"),
        ('rule T.A "t"\n  match "({金额}万元|{金额:数量}个)"\n  assert 金额 == 1', 2, 19, "类型应相同"),
        ('rule T.A "t"\n  assert exists(subject(公开05表, "208", "05"))', 2, 17, "需要 4 个参数"),
        # the amount after a label: a constant pattern with one numeric capture, after a text label
        (
            'rule T.A "t"\n  assert count(amounts_after("科技", "{甲}万元{乙}万元", "s")) == 1',
            2,
            36,
            "恰有一个数值捕获",
        ),
        (
            'rule T.A "t"\n  let p = "{乙}万元"\n  assert count(amounts_after("科技", p, "s")) == 1',
            3,
            16,
            "须为字符串常量",
        ),
        (
            'rule T.A "t"\n  assert count(amounts_after(report_year(), "{乙}万元", "s")) == 1',
            2,
            30,
            "第一个参数应为文本",
        ),
    ],
)
def test_type_errors_are_located(pack, source, line, col, fragment):
    err = error_of(pack, source)
    assert fragment in err.message
    assert (err.line, err.col) == (line, col), err.one_line()


def test_rule_without_assert_is_rejected(pack):
    assert "没有 assert" in error_of(pack, 'rule T.A "t" for row r in 公开03表').message


def test_lanci_column_reference_resolves_to_name(pack):
    (rule,) = check_text(pack, 'rule T.A "t" for row r in 公开03表 assert r.栏次2 <= r.栏次1')
    cmp = rule.clauses[-1].expr
    assert (cmp.left.column, cmp.right.column) == ("基本支出", "本年支出合计")


def _copy_pack(tmp_path: Path) -> Path:
    dest = tmp_path / "pack"
    shutil.copytree(PACK_DIR, dest, ignore=shutil.ignore_patterns("examples"))
    return dest


def test_broken_rule_file_fails_pack_load_with_location(tmp_path):
    dest = _copy_pack(tmp_path)
    rules = dest / "tables.rules"
    text = rules.read_text(encoding="utf-8").replace("r.对附属单位补助支出", "r.对附属单位补助", 1)
    rules.write_text(text, encoding="utf-8")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "r.对附属单位补助\n" in s + "\n")
    with pytest.raises(PackError) as exc:
        load_pack(str(dest))
    assert exc.value.path == str(rules) and exc.value.line == line
    assert exc.value.one_line().startswith(f"{rules}:{line}:")


def test_cli_reports_pack_error_before_reading_reports(tmp_path):
    dest = _copy_pack(tmp_path)
    (dest / "structure.rules").write_text('rule S.X "t"\n  assert 公开03表[合计].本年支出 == 1\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--pack", str(dest), "does-not-exist.txt"])
    assert result.exit_code == 2
    assert "structure.rules:2:" in result.output and "没有名为“本年支出”的列" in result.output
    assert "不存在" not in result.output  # no report was read


def test_bad_yaml_is_located(tmp_path):
    dest = _copy_pack(tmp_path)
    (dest / "pack.yaml").write_text("id: x\nkind: 决算\ntables: [\n", encoding="utf-8")
    with pytest.raises(PackError) as exc:
        load_pack(str(dest))
    assert exc.value.line is not None and "YAML" in exc.value.message


def test_rule_ids_never_carry_a_year(tmp_path):
    dest = _copy_pack(tmp_path)
    with (dest / "structure.rules").open("a", encoding="utf-8") as fh:
        fh.write('\nrule T2024.X "t" assert 1 == 1\n')
    with pytest.raises(PackError, match="不应包含年份"):
        load_pack(str(dest))


def test_extends_overrides_severity_and_disables(tmp_path):
    child = tmp_path / "child"
    child.mkdir()
    (child / "pack.yaml").write_text(
        f"id: child\nkind: 决算\nyears: [2024]\nextends: {PACK_DIR}\n"
        "disable: [T10.VEHICLES]\nseverity: {T03.ROW-SUM: warning}\nrule_files: [extra.rules]\n"
        "tables:\n  公开03表:\n    title: 部门支出决算表\n",
        encoding="utf-8",
    )
    (child / "extra.rules").write_text(
        'rule C.BASIC "基本支出不超过合计" for row r in 部门支出决算表 assert r.基本支出 <= r.本年支出合计\n',
        encoding="utf-8",
    )
    pack = load_pack(str(child))
    assert pack.rule("T10.VEHICLES") is None
    assert pack.rule("T03.ROW-SUM").severity == "warning"
    assert pack.specs["公开03表"].title == "部门支出决算表"
    assert pack.specs["公开03表"].column_names()[0] == "本年支出合计"  # the rest of the schema is inherited
    result = lint(EXAMPLE, pack)
    assert result.outcomes["C.BASIC"].passed == 25


def test_custom_message_interpolates_bound_values(tmp_path, pack):
    child = tmp_path / "msg"
    child.mkdir()
    (child / "pack.yaml").write_text(
        f"id: msg\nkind: 决算\nyears: [2024]\nextends: {PACK_DIR}\nrule_files: [m.rules]\n", encoding="utf-8"
    )
    (child / "m.rules").write_text(
        'rule M.BIG "项目支出不超过 1000 万元"\n  severity warning\n  for row r in 公开03表 where level(r) == 1\n'
        '  assert r.项目支出 <= 1000\n  message "{r.科目名称}的项目支出 {actual} 万元超过 {expected} 万元"\n',
        encoding="utf-8",
    )
    result = lint(EXAMPLE, load_pack(str(child)))
    msgs = [d.message for d in result.diagnostics if d.rule == "M.BIG"]
    assert msgs == ["科学技术支出的项目支出 3835.73 万元超过 1000 万元"]


def test_a_broken_pack_that_does_not_apply_does_not_stop_selection(tmp_path):
    broken = tmp_path / "packs" / "broken-2019"
    broken.mkdir(parents=True)
    (broken / "pack.yaml").write_text(
        "id: broken-2019\nkind: 决算\nyears: [2019]\nrule_files: [x.rules]\n", encoding="utf-8"
    )
    (broken / "x.rules").write_text("rule X.BROKEN 缺少引号", encoding="utf-8")
    result = lint(EXAMPLE, search=(tmp_path / "packs",))
    assert result.pack.id == "cn-final-accounts-2024"
    with pytest.raises(PackError) as exc:
        load_pack(str(broken))
    assert exc.value.one_line().startswith(f"{broken / 'x.rules'}:1:")
