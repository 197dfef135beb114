"""Configuration typos are errors that say what is close, never a silent change of what is checked."""

from __future__ import annotations

import pytest
from workflow_support import cli, write_report


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_report(tmp_path / "reports" / "a.txt")
    return tmp_path


def _error(project, text: str) -> str:
    """The one line ``check`` and ``config show`` both stop with (exit status 2)."""
    (project / "disclosure-lint.toml").write_text(text, encoding="utf-8")
    lines = set()
    for result in (cli("check", "reports/a.txt"), cli("config", "show")):
        assert result.exit_code == 2, result.output
        assert result.stdout == "" and result.stderr.count("\n") == 1
        lines.add(result.stderr.strip())
    (line,) = lines
    return line


@pytest.mark.parametrize(
    ("text", "where", "close"),
    [
        ('select = ["ZZ.NOPE"]\n', "select", None),
        ('ignore = ["T03.ROW-SUMM"]\n', "ignore", "T03.ROW-SUM"),
        ('extend-select = ["N.ITEM-AMONT"]\n', "extend-select", "N.ITEM-AMOUNT"),
        ('[severity]\n"N.ITEM-AMONT" = "warning"\n', "severity.N.ITEM-AMONT", "N.ITEM-AMOUNT"),
        ('[per-file-ignores]\n"*.txt" = ["S.EMPTY-NOTES"]\n', "per-file-ignores.*.txt", "S.EMPTY-NOTE"),
        ('ignore = ["TT03."]\n', "ignore", "T03."),
    ],
)
def test_unknown_rule_id_names_the_key_and_what_is_close(project, text, where, close):
    line = _error(project, text)
    assert line.startswith(f"{project / 'disclosure-lint.toml'} ({where}): 未知的规则编号")
    assert "已安装的规则包和内置检查中都没有" in line
    if close is None:
        assert "相近的有" not in line and "disclosure-lint rules" in line
    else:
        assert f"相近的有：{close}" in line


def test_ids_prefixes_severities_and_builtin_checks_are_accepted(project):
    text = 'select = ["N.", "T03", "error", "E.INPUT"]\nignore = ["T03.TOTAL"]\n[severity]\n"H." = "info"\n'
    (project / "disclosure-lint.toml").write_text(text, encoding="utf-8")
    result = cli("check", "reports/a.txt")
    assert result.exit_code == 1
    assert "T03.ROW-SUM" in result.stdout and "T03.TOTAL" not in result.stdout


def test_with_a_pack_ids_are_checked_against_that_pack(project):
    # A.STAFF is a rule of the final-accounts pack, not of the budget pack.
    assert cli("config", "show").exit_code == 0
    (project / "disclosure-lint.toml").write_text('select = ["A.STAFF"]\n', encoding="utf-8")
    assert cli("config", "show").exit_code == 0
    line = _error(project, 'pack = "cn-budget-2026"\nselect = ["A.STAFF"]\n')
    assert "规则包 cn-budget-2026 和内置检查中都没有" in line


@pytest.mark.parametrize(
    ("text", "where", "reason"),
    [
        ('exclude = ["[unclosed"]\n', "exclude", "glob“[unclosed”无效：“[”没有对应的“]”"),
        ('[per-file-ignores]\n"[z-a].txt" = ["N."]\n', "per-file-ignores.[z-a].txt", "方括号中的字符范围无效"),
    ],
)
def test_invalid_globs_are_errors(project, text, where, reason):
    line = _error(project, text)
    assert line.startswith(f"{project / 'disclosure-lint.toml'} ({where}): ")
    assert reason in line


def test_escaped_bracket_is_a_literal(project):
    (project / "reports" / "[draft].txt").write_text("# 草稿\n", encoding="utf-8")
    (project / "disclosure-lint.toml").write_text('exclude = ["\\\\[draft\\\\].txt"]\n', encoding="utf-8")
    result = cli("check", "reports")
    assert result.exit_code == 1
    assert "[draft].txt" not in result.stdout


def test_toml_nested_ten_thousand_deep_is_one_line(project):
    line = _error(project, "a = " + "[" * 10_000 + "]" * 10_000 + "\n")
    assert line == f"{project / 'disclosure-lint.toml'}: TOML 格式错误：数组或表的嵌套层数过深"


def test_config_show_fails_when_its_pack_does_not_load(project):
    line = _error(project, 'pack = "no-such-pack"\n')
    assert line.startswith(f"{project / 'disclosure-lint.toml'} (pack): pack 无法加载")
