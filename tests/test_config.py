"""Project configuration through the real command line: discovery, inheritance, rule selection, errors."""

from __future__ import annotations

import json
import re

import pytest
from workflow_support import check_json, cli, ours, rules_of, write_report

from disclosure_lint import lint
from disclosure_lint.workflow.config import settings_for
from disclosure_lint.workflow.globs import Glob

MERGED = ["T03.ROW-SUM"]


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A folder with one broken report, used as the working directory."""
    monkeypatch.chdir(tmp_path)
    write_report(tmp_path / "reports" / "a.txt")
    return tmp_path


def test_without_configuration_every_rule_reports(project):
    result, found = check_json("reports/a.txt")
    assert result.exit_code == 1
    assert rules_of(ours(found)) == MERGED


@pytest.mark.parametrize(
    ("table", "keep"),
    [
        ('ignore = ["T03.ROW-SUM"]', lambda rule, level: rule != "T03.ROW-SUM"),
        ('ignore = ["T03."]', lambda rule, level: not rule.startswith("T03.")),
        ('ignore = ["error"]', lambda rule, level: level != "error"),
        ('select = ["warning"]', lambda rule, level: level == "warning"),
        ('select = ["T03.TOTAL"]', lambda rule, level: rule == "T03.TOTAL"),
        ('select = ["T03."]\nignore = ["T03.ROW-SUM"]', lambda rule, level: rule == "T03.TOTAL"),
        (
            'select = ["X."]\nextend-select = ["T03.ROW-SUM"]',
            lambda rule, level: rule.startswith("X.") or rule == "T03.ROW-SUM",
        ),
        (
            'ignore = ["T03."]\nextend-select = ["T03.TOTAL"]',
            lambda rule, level: rule[:4] != "T03." or rule == "T03.TOTAL",
        ),
        (
            'select = ["N.", "T03."]\nignore = ["warning"]',
            lambda rule, level: rule.startswith(("N.", "T03.")) and level != "warning",
        ),
        (
            'select = ["error"]\nignore = ["T03.ROW-SUM"]',
            lambda rule, level: level == "error" and rule != "T03.ROW-SUM",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_select_and_ignore_by_id_prefix_and_severity(project, table, keep):
    """What the configuration keeps is shown, or merged into a kept finding about the same wrong cell;
    nothing it drops is shown."""
    fired = _fired(lint("reports/a.txt").diagnostics)
    (project / "disclosure-lint.toml").write_text(table + "\n", encoding="utf-8")
    result, found = check_json("reports/a.txt")
    assert all(keep(f["rule"], f["severity"]) for f in found)
    configured = lint("reports/a.txt", settings=settings_for("reports/a.txt"))
    assert [(d.rule, d.loc.line) for d in configured.diagnostics] == [(f["rule"], f["line"]) for f in found]
    assert _fired(configured.diagnostics) == {(r, level) for r, level in fired if keep(r, level)}
    assert result.exit_code == (1 if any(f["severity"] == "error" for f in found) else 0)


def _fired(diagnostics) -> set[tuple[str, str]]:
    """Every finding, counting the ones merged into the finding about their cause."""
    return {(x.rule, x.severity) for d in diagnostics for x in (d, *d.absorbed)}


def test_pyproject_table_and_severity_override(project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.disclosure-lint.severity]\n"T03.ROW-SUM" = "warning"\n"T03." = "info"\n',
        encoding="utf-8",
    )
    _, found = check_json("reports/a.txt")
    assert [(f["rule"], f["severity"]) for f in ours(found)] == [("T03.ROW-SUM", "warning"), ("T03.TOTAL", "info")]


def test_selection_by_severity_name_sees_overridden_severity(project):
    (project / "disclosure-lint.toml").write_text(
        'ignore = ["warning"]\n[severity]\n"T03.TOTAL" = "warning"\n', encoding="utf-8"
    )
    _, found = check_json("reports/a.txt")
    assert rules_of(ours(found)) == ["T03.ROW-SUM"]
    assert "warning" not in {f["severity"] for f in found}


def test_per_file_ignores_glob_relative_to_the_configuration(project):
    write_report(project / "drafts" / "b.txt")
    (project / "disclosure-lint.toml").write_text(
        '[per-file-ignores]\n"drafts/*.txt" = ["T03.ROW-SUM"]\n"a.txt" = ["warning", "T03.TOTAL"]\n', encoding="utf-8"
    )
    _, found = check_json("reports/a.txt", "drafts/b.txt")
    assert [(f["path"], f["rule"]) for f in ours(found)] == [
        ("reports/a.txt", "T03.ROW-SUM"),
        ("drafts/b.txt", "T03.TOTAL"),
    ]
    assert "warning" in {f["severity"] for f in found if f["path"] == "drafts/b.txt"}
    assert "warning" not in {f["severity"] for f in found if f["path"] == "reports/a.txt"}


def test_nearest_file_wins_and_dotfile_beats_plain_name(project):
    (project / "pyproject.toml").write_text('[tool.disclosure-lint]\nignore = ["T03.TOTAL"]\n', encoding="utf-8")
    (project / "reports" / "disclosure-lint.toml").write_text('ignore = ["T03.ROW-SUM"]\n', encoding="utf-8")
    _, found = check_json("reports/a.txt")
    assert rules_of(ours(found)) == ["T03.TOTAL"]
    (project / "reports" / ".disclosure-lint.toml").write_text('ignore = ["T03."]\n', encoding="utf-8")
    _, found = check_json("reports/a.txt")
    assert rules_of(ours(found)) == []


def test_pyproject_without_table_is_skipped_in_discovery(project):
    (project / "disclosure-lint.toml").write_text('ignore = ["T03.TOTAL"]\n', encoding="utf-8")
    (project / "reports" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    _, found = check_json("reports/a.txt")
    assert rules_of(ours(found)) == ["T03.ROW-SUM"]


def test_each_file_uses_its_own_nearest_configuration(project):
    write_report(project / "other" / "b.txt")
    (project / "reports" / "disclosure-lint.toml").write_text('ignore = ["T03.ROW-SUM"]\n', encoding="utf-8")
    _, found = check_json("reports", "other")
    assert [(f["path"], f["rule"]) for f in ours(found)] == [
        ("reports/a.txt", "T03.TOTAL"),
        ("other/b.txt", "T03.ROW-SUM"),
    ]
    # The ignored T03.ROW-SUM is not among the consequences merged into a.txt's finding.
    merged = [int(re.search(r"另有 (\d+) 处勾稽关系因此不平", f["message"]).group(1)) for f in ours(found)]
    assert merged[0] == merged[1] - 1


def test_extend_inherits_and_layers_selection(project):
    (project / "base.toml").write_text(
        'select = ["T03."]\nexclude = ["old"]\n[severity]\n"T03.TOTAL" = "warning"\n', encoding="utf-8"
    )
    (project / "reports" / "disclosure-lint.toml").write_text(
        'extend = "../base.toml"\nignore = ["T03.ROW-SUM"]\n', encoding="utf-8"
    )
    _, found = check_json("reports/a.txt")
    assert [(f["rule"], f["severity"]) for f in ours(found)] == [("T03.TOTAL", "warning")]
    shown = json.loads(cli("config", "show", "reports/a.txt", "--format", "json").stdout)
    assert shown["config"] == str(project / "reports" / "disclosure-lint.toml")
    assert shown["extends"] == [str(project / "base.toml")]
    assert shown["sources"]["severity"] == str(project / "base.toml")
    assert [layer["file"] for layer in shown["rule-selection"]] == [
        str(project / "base.toml"),
        str(project / "reports" / "disclosure-lint.toml"),
    ]


def test_explicit_config_skips_discovery(project):
    (project / "reports" / "disclosure-lint.toml").write_text('ignore = ["T03."]\n', encoding="utf-8")
    (project / "ci.toml").write_text('ignore = ["T03.TOTAL"]\n', encoding="utf-8")
    _, found = check_json("reports/a.txt", "--config", "ci.toml")
    assert rules_of(ours(found)) == ["T03.ROW-SUM"]


def test_exclude_applies_to_folders_and_force_exclude_to_named_files(project):
    write_report(project / "reports" / "old" / "b.txt")
    write_report(project / "reports" / "c.md")
    (project / "disclosure-lint.toml").write_text('exclude = ["old", "reports/*.md"]\n', encoding="utf-8")
    _, found = check_json("reports")
    assert {f["path"] for f in found} == {"reports/a.txt"}
    _, found = check_json("reports/old/b.txt")
    assert {f["path"] for f in found} == {"reports/old/b.txt"}
    result, found = check_json("reports/old/b.txt", "reports/c.md", "--force-exclude")
    assert (result.exit_code, found) == (0, [])


def test_force_exclude_from_configuration(project):
    (project / "README.md").write_text("# 说明\n\n这不是报告。\n", encoding="utf-8")
    (project / "disclosure-lint.toml").write_text('exclude = ["README.md"]\nforce-exclude = true\n', encoding="utf-8")
    result, found = check_json("README.md", "reports/a.txt")
    assert {f["path"] for f in found} == {"reports/a.txt"}
    assert rules_of(ours(found)) == MERGED
    assert result.exit_code == 1


def test_pack_and_format_from_configuration(project):
    (project / "disclosure-lint.toml").write_text(
        'pack = "cn-final-accounts-2024"\nformat = "github"\n', encoding="utf-8"
    )
    result = cli("check", "reports/a.txt")
    assert "\n::error file=reports/a.txt,line=165,col=5," in "\n" + result.stdout
    assert "\nreports/a.txt:165:5: error" in "\n" + cli("check", "reports/a.txt", "--format", "text").stdout


def test_config_show_names_the_file_each_setting_came_from(project):
    (project / "pyproject.toml").write_text(
        '[tool.disclosure-lint]\nformat = "sarif"\nignore = ["N."]\n[tool.disclosure-lint.severity]\n"T03." = "info"\n',
        encoding="utf-8",
    )
    result = cli("config", "show")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"# 配置文件：{project / 'pyproject.toml'}"
    assert f'format = "sarif"  # 来自 {project / "pyproject.toml"}' in lines
    assert "exclude = []  # 默认" in lines
    assert f'#   {project / "pyproject.toml"}: ignore = ["N."]' in lines
    assert any(line.startswith('severity = { "T03." = "info" }') for line in lines)


@pytest.mark.parametrize(
    ("text", "where", "reason"),
    [
        ('selct = ["T03."]\n', "selct", "未知的配置项“selct”"),
        ('ignore = ["t03.row-sum"]\n', "ignore", "“t03.row-sum”不是规则编号"),
        ('ignore = "T03."\n', "ignore", "ignore 应为字符串列表"),
        ('format = "xml"\n', "format", "输出格式“xml”无效"),
        ('[severity]\n"T03.TOTAL" = "fatal"\n', "severity.T03.TOTAL", "级别“fatal”无效"),
        ('[per-file-ignores]\n"a/*" = "T03."\n', "per-file-ignores.a/*", "应为字符串列表"),
        ('extend = "missing.toml"\n', "extend", "extend 指向的文件“missing.toml”不存在"),
        ('force-exclude = "yes"\n', "force-exclude", "force-exclude 应为 true 或 false"),
    ],
)
def test_bad_key_or_value_is_one_line_naming_file_and_key(project, text, where, reason):
    (project / "disclosure-lint.toml").write_text(text, encoding="utf-8")
    for result in (cli("check", "reports/a.txt"), cli("config", "show")):
        assert result.exit_code == 2
        assert result.stdout == ""
        message = result.stderr.strip()
        assert "\n" not in message
        assert message.startswith(f"{project / 'disclosure-lint.toml'} ({where}): ")
        assert reason in message


def test_bad_key_in_pyproject_names_the_tool_table(project):
    (project / "pyproject.toml").write_text('[tool.disclosure-lint]\nformats = "json"\n', encoding="utf-8")
    result = cli("check", "reports/a.txt")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{project / 'pyproject.toml'} (tool.disclosure-lint.formats): ")


def test_toml_syntax_error_gives_line_and_column(project):
    (project / "disclosure-lint.toml").write_text('format = "text"\nignore = [T03]\n', encoding="utf-8")
    result = cli("check", "reports/a.txt")
    assert result.exit_code == 2
    assert result.stderr == f"{project / 'disclosure-lint.toml'}:2:11: TOML 格式错误：Invalid value\n"


def test_unknown_pack_in_configuration_names_the_key(project):
    (project / "disclosure-lint.toml").write_text('pack = "no-such-pack"\n', encoding="utf-8")
    result = cli("check", "reports/a.txt")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{project / 'disclosure-lint.toml'} (pack): pack 无法加载")


@pytest.mark.parametrize(
    ("pattern", "path", "hit"),
    [
        ("reports/*.md", "reports/a.md", True),
        ("reports/*.md", "reports/sub/a.md", False),
        ("reports/**/*.md", "reports/sub/deeper/a.md", True),
        ("reports/**/*.md", "reports/a.md", True),
        ("reports", "reports/sub/a.md", True),
        ("/reports/", "x/reports/a.md", False),
        ("草稿", "x/草稿/a.md", True),
        ("*.pdf", "x/y/a.pdf", True),
        ("a?.md", "ab.md", True),
        ("a[0-9].md", "a7.md", True),
        ("a[!0-9].md", "a7.md", False),
    ],
)
def test_glob_matches_like_gitignore(tmp_path, pattern, path, hit):
    assert Glob(pattern, tmp_path).matches(tmp_path / path) is hit
