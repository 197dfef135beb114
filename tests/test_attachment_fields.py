"""Attachment fields read what they name, or nothing: a field found nowhere on a form is absent (its
rules are not assessable), a pattern given with a label reads only the labelled row, and a
percentage field keeps its printed precision. ``pack check`` warns about a field no example shows."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from conftest import EXAMPLE, PACK_ID
from workflow_support import run_here

from disclosure_lint import lint
from disclosure_lint.packs.load import load_pack

FORM = load_pack(PACK_ID).path / "examples" / "A.STAFF" / "pass.md"
RATE_ROW = "预算执行率\t99.92%\t\t\t\t\t\n"


def make_pack(folder: Path, fields: str, rules: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(
        f"id: local\nkind: 决算\nyears: [2024]\nextends: {PACK_ID}\nrule_files: [local.rules]\n"
        f"attachments:\n  整体支出绩效自评表:\n    fields:\n{fields}",
        encoding="utf-8",
    )
    (folder / "local.rules").write_text(rules, encoding="utf-8")
    return folder


def report(tmp_path: Path, with_rate: bool) -> Path:
    text = FORM.read_text(encoding="utf-8")
    if with_rate:
        text = text.replace("执行情况（10分）\t9", RATE_ROW + "执行情况（10分）\t9")
    path = tmp_path / ("with.md" if with_rate else "without.md")
    path.write_text(text, encoding="utf-8")
    return path


RULES = """
rule L.RATE "预算执行率不低于 90%"
  for row p in 整体支出绩效自评表
  assert p.执行率 >= 90

rule L.HAS-RATE "自评表填写了预算执行率"
  for row p in 整体支出绩效自评表
  assert exists(p.执行率)
"""


def test_percentage_field_is_read_with_its_printed_precision(tmp_path):
    pack = load_pack(str(make_pack(tmp_path / "p", "      执行率: {label: 预算执行率, type: 比例}\n", RULES)))
    result = lint(report(tmp_path, True), pack)
    row = result.report.tables["整体支出绩效自评表"].rows[0]
    value = row.cells["执行率"]
    assert (value.amount, value.decimals, value.raw) == (Decimal("99.92"), 2, "99.92%")
    assert result.outcomes["L.RATE"].passed == 1 and result.outcomes["L.HAS-RATE"].passed == 1


def test_a_field_found_nowhere_is_absent_not_zero(tmp_path):
    pack = load_pack(str(make_pack(tmp_path / "p", "      执行率: {label: 预算执行率, type: 比例}\n", RULES)))
    result = lint(report(tmp_path, False), pack)
    assert "执行率" not in result.report.tables["整体支出绩效自评表"].rows[0].cells
    rate = result.outcomes["L.RATE"]
    assert (rate.passed, rate.failed, rate.not_assessable) == (0, 0, 1)
    assert "未找到“执行率”" in rate.reasons[0]
    has = result.outcomes["L.HAS-RATE"]
    assert (has.passed, has.failed) == (0, 1)
    assert [d.rule for d in result.diagnostics if d.rule.startswith("L.")] == ["L.HAS-RATE"]


def test_a_pattern_with_a_label_never_reads_another_row(tmp_path):
    """Without the 预算执行率 row, the pattern must not pick up a number elsewhere on the form (the
    form prints scores such as “48” and rates such as “≥99%”)."""
    fields = '      执行率: {label: 预算执行率, pattern: "{值:比例}%", type: 比例}\n'
    pack = load_pack(str(make_pack(tmp_path / "p", fields, RULES)))
    without = lint(report(tmp_path, False), pack)
    assert "执行率" not in without.report.tables["整体支出绩效自评表"].rows[0].cells
    with_rate = lint(report(tmp_path, True), pack)
    value = with_rate.report.tables["整体支出绩效自评表"].rows[0].cells["执行率"]
    assert (value.amount, value.decimals) == (Decimal("99.92"), 2)


def test_a_score_in_the_labelled_cell_is_not_read_as_a_rate(tmp_path):
    """The example's project forms print the 项目执行情况 score (“1”, “10”); one of them writes
    “预算执行率63.76%，自评得分7分。” A rate field on that label reads 63.76 there and nothing elsewhere."""
    rules = 'rule L.R "执行率"\n  for row p in 项目支出绩效自评表\n  assert p.执行率 >= 0\n'
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        f"id: local\nkind: 决算\nyears: [2024]\nextends: {PACK_ID}\nrule_files: [local.rules]\n"
        "attachments:\n  项目支出绩效自评表:\n    fields:\n"
        '      执行率: {label: 项目执行情况, pattern: "预算执行率{值:比例}%", type: 比例}\n',
        encoding="utf-8",
    )
    (folder / "local.rules").write_text(rules, encoding="utf-8")
    result = lint(EXAMPLE, load_pack(str(folder)))
    rates = [r.cells["执行率"].amount for r in result.report.tables["项目支出绩效自评表"].rows if "执行率" in r.cells]
    assert rates == [Decimal("63.76")]
    scores = [r.cells["执行得分"].amount for r in result.report.tables["项目支出绩效自评表"].rows]
    assert len(scores) > 1 and Decimal(7) in scores


def test_pack_check_warns_about_a_field_that_matches_in_no_example(tmp_path):
    folder = make_pack(tmp_path / "p", "      执行率: {label: 预算执行率, type: 比例}\n", "")
    proc = run_here("pack", "check", str(folder))
    assert proc.returncode == 0, proc.stderr
    (warning,) = proc.stderr.splitlines()
    assert warning.startswith(f"{folder / 'pack.yaml'}:9:7: 字段 执行率 在 ") and warning.endswith("（警告）")
