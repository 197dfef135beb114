"""A rule that would run for ever on some report stops at its time limit, and the check goes on."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from disclosure_lint import matching
from disclosure_lint.api import lint
from disclosure_lint.cli import main
from disclosure_lint.packs.load import load_pack

# Backtracking over every way to split a long run of word characters into ones and twos.
BOMB = r"(\w|\w\w)+$"
RUN = "甲" * 60 + "！"
# Four nested loops over 公开03表: millions of bindings, no regular expression at all.
LOOPS = "  for row a in 公开03表\n  for row b in 公开03表\n  for row c in 公开03表\n  for row d in 公开03表\n"


def _pack(tmp_path: Path, rules: str) -> str:
    base = load_pack("cn-final-accounts-2024").path
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "pack.yaml").write_text(f"id: slow\nextends: {base}\nrule_files: [slow.rules]\n", encoding="utf-8")
    (folder / "slow.rules").write_text(rules, encoding="utf-8")
    return str(folder)


@pytest.fixture
def short_limit(monkeypatch):
    monkeypatch.setattr(matching, "RULE_SECONDS", 0.3)


def _report(tmp_path: Path, fixed_example: Path) -> Path:
    text = fixed_example.read_text(encoding="utf-8")
    heading = "一、收入支出决算总体情况说明"
    assert heading in text
    path = tmp_path / "report.txt"
    path.write_text(text.replace(heading, f"{heading}\n\n{RUN}", 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "body",
    [f'  match regex "{BOMB}" in document\n  assert false\n', f"{LOOPS}  assert a.本年支出合计 >= 0\n"],
    ids=["regex", "bindings"],
)
def test_a_rule_out_of_time_is_one_finding_and_the_others_still_run(tmp_path, fixed_example, short_limit, body):
    pack = _pack(tmp_path, f'rule Z.SLOW "慢规则"\n  severity warning\n{body}')
    report = _report(tmp_path, fixed_example)
    broken = report.read_text(encoding="utf-8").replace(
        "合计\t\t4384.83\t524.12\t3860.71", "合计\t\t4384.83\t524.12\t3870.71"
    )
    report.write_text(broken, encoding="utf-8")
    result = lint(report, pack)
    timeouts = [d for d in result.diagnostics if d.rule == "E.RULE-TIMEOUT"]
    assert [d.message for d in timeouts] == [
        "规则 Z.SLOW（慢规则）检查本报告用时超过 0.3 秒的上限，已停止；"
        "该规则对本报告不作判断，请规则包作者简化其文字模式"
    ]
    assert not any(d.rule == "Z.SLOW" for d in result.diagnostics)
    assert {"T03.ROW-SUM", "T03.TOTAL"} <= {d.rule for d in result.diagnostics}
    assert result.outcomes["Z.SLOW"].timed_out


def test_a_regex_bomb_in_a_pack_does_not_hang_the_command_line(tmp_path, fixed_example, short_limit):
    pack = _pack(
        tmp_path, f'rule Z.SLOW "慢规则"\n  severity warning\n  match regex "{BOMB}" in document\n  assert false\n'
    )
    result = CliRunner().invoke(main, ["check", "--pack", pack, str(_report(tmp_path, fixed_example))])
    assert result.exit_code == 1
    # Under a heavily loaded machine a bundled rule may also exceed the shortened budget.
    [line] = [ln for ln in result.output.splitlines() if "E.RULE-TIMEOUT" in ln and "Z.SLOW" in ln]
    assert "规则 Z.SLOW（慢规则）" in line


def test_adjacent_free_captures_are_rejected_by_pack_check(tmp_path):
    rule = (
        'rule Z.ADJ "相邻捕获"\n  severity warning\n  match "{a:文本}{b:文本}{c:文本}X" in document\n  assert false\n'
    )
    pack = _pack(tmp_path, rule)
    result = CliRunner().invoke(main, ["pack", "check", pack])
    assert result.exit_code == 2
    col = rule.splitlines()[2].index('"') + 1 + len("{a:文本}") + 1
    assert result.output == (
        f"{Path(pack) / 'slow.rules'}:3:{col}: 文本捕获“a”与“b”之间没有任何文字，匹配长句时可能极慢；"
        "请在两者之间写出分隔的文字\n"
    )


@pytest.mark.parametrize(
    "pattern",
    ["{a:文本}，{b:文本}X", "{a:文本}(的|之){b:文本}", "{名称:名称}{金额}万元", "{a:文本}{方向:增加|减少}{b:文本}"],
)
def test_captures_with_text_between_them_are_accepted(tmp_path, pattern):
    rule = f'rule Z.OK "可以"\n  severity warning\n  match "{pattern}" in document\n  assert false\n'
    assert load_pack(_pack(tmp_path, rule)).rule("Z.OK") is not None
