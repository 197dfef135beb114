"""The committed baseline: write it, survive edits that move lines, report and prune stale entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from workflow_support import BAD_LINE, check_json, cli, ours, rules_of, write_report

from disclosure_lint.model import Diagnostic, Location
from disclosure_lint.workflow.baseline import Baseline

NAME = "disclosure-lint-baseline.json"


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_report(tmp_path / "reports" / "a.txt")
    return tmp_path


def _entries(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["entries"]


def _fingerprints(found: list[dict]) -> set[str]:
    return {f["fingerprint"] for f in found}


def test_write_baseline_then_nothing_is_reported(here):
    _, before = check_json("reports/a.txt")
    result = cli("check", "reports/a.txt", "--write-baseline")
    assert result.exit_code == 0
    assert result.stderr == f"{NAME}: 已写入基线，共 {len(_fingerprints(before))} 条\n"
    entries = _entries(here / NAME)
    assert [(e["path"], e["rule"], e["table"], e["row"], e["column"]) for e in entries if e["rule"][:4] == "T03."] == [
        ("reports/a.txt", "T03.ROW-SUM", "公开03表", "合计", "本年支出合计"),
    ]
    assert len((here / NAME).read_text(encoding="utf-8").splitlines()) == len(entries) + 6
    result, found = check_json("reports/a.txt")
    assert (result.exit_code, found) == (0, [])


def test_baseline_survives_moved_lines_but_not_new_findings(here):
    cli("check", "reports/a.txt", "--write-baseline")
    write_report(here / "reports" / "a.txt", insert={1: "草稿说明\n\n另一段说明"})
    result, found = check_json("reports/a.txt")
    assert (result.exit_code, found) == (0, [])
    lines = (here / "reports" / "a.txt").read_text(encoding="utf-8").splitlines()
    row = BAD_LINE + 3
    lines[row] = lines[row].replace("250.21", "250.91", 1)
    (here / "reports" / "a.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, found = check_json("reports/a.txt")
    assert result.exit_code == 1
    assert any(f["line"] == row + 1 and f["row"] == "201" for f in found)
    assert not _fingerprints(found) & {e["fingerprint"] for e in _entries(here / NAME)}


def test_fixed_finding_leaves_an_unused_entry_until_pruned(here):
    _, broken = check_json("reports/a.txt")
    _, published = check_json(str(write_report(here / "copy" / "published.txt", broken=False)))
    gone = _fingerprints(broken) - _fingerprints(published)
    # One wrong cell, one finding (its consequences are merged into it).
    assert len(gone) == 1
    cli("check", "reports/a.txt", "--write-baseline")
    write_report(here / "reports" / "a.txt", broken=False)
    result, found = check_json("reports/a.txt")
    assert result.exit_code == 0
    assert [(f["path"], f["rule"], f["severity"]) for f in found] == [(NAME, "E.UNUSED-SUPPRESSION", "warning")] * len(
        gone
    )
    lines = (here / NAME).read_text(encoding="utf-8").splitlines()
    assert {next(fp for fp in gone if fp in lines[f["line"] - 1]) for f in found} == gone
    assert any("reports/a.txt T03.ROW-SUM（公开03表 合计 本年支出合计）" in f["message"] for f in found)
    result = cli("check", "reports/a.txt", "--prune-baseline")
    assert result.stderr == f"{NAME}: 已从基线清除 {len(gone)} 个不再出现的问题\n"
    assert {e["fingerprint"] for e in _entries(here / NAME)} == _fingerprints(broken) - gone
    result, found = check_json("reports/a.txt")
    assert (result.exit_code, found) == (0, [])


def test_entries_of_files_not_checked_now_are_kept_and_deleted_files_are_stale(here):
    write_report(here / "reports" / "b.txt")
    cli("check", "reports", "--write-baseline")
    of_b = [e for e in _entries(here / NAME) if e["path"] == "reports/b.txt"]
    assert of_b
    assert {e["path"] for e in _entries(here / NAME)} == {"reports/a.txt", "reports/b.txt"}
    result, found = check_json("reports/a.txt")
    assert (result.exit_code, found) == (0, [])
    (here / "reports" / "b.txt").unlink()
    _, found = check_json("reports/a.txt")
    assert rules_of(found) == ["E.UNUSED-SUPPRESSION"] * len(of_b)
    assert all("reports/b.txt" in f["message"] for f in found)
    cli("check", "reports/a.txt", "--prune-baseline")
    assert {e["path"] for e in _entries(here / NAME)} == {"reports/a.txt"}


def test_write_baseline_leaves_out_comments_and_what_they_suppress(here):
    write_report(
        here / "reports" / "a.txt",
        insert={BAD_LINE: "<!-- disclosure-lint-disable-next-line T03.TOTAL T01.BALANCE -- 已说明 -->"},
    )
    result, found = check_json("reports/a.txt", "--write-baseline")
    rules = [e["rule"] for e in _entries(here / NAME)]
    assert "T03.ROW-SUM" in rules
    assert not {"T03.TOTAL", "E.UNUSED-SUPPRESSION"} & set(rules)
    assert result.exit_code == 0
    assert [(f["rule"], f["line"]) for f in found] == [("E.UNUSED-SUPPRESSION", BAD_LINE)]


def test_baseline_lives_next_to_the_configuration_and_can_be_moved(here, monkeypatch):
    (here / "pyproject.toml").write_text('[tool.disclosure-lint]\nbaseline = "ci/known.json"\n', encoding="utf-8")
    (here / "ci").mkdir()
    monkeypatch.chdir(here / "reports")
    result = cli("check", "a.txt", "--write-baseline")
    assert result.stderr.startswith(f"{here / 'ci' / 'known.json'}: 已写入基线，共 ")
    assert {e["path"] for e in _entries(here / "ci" / "known.json")} == {"../reports/a.txt"}
    assert check_json("a.txt")[1] == []
    result, found = check_json("a.txt", "--baseline", "other.json")
    assert rules_of(ours(found)) == ["T03.ROW-SUM"]


def test_write_and_prune_together_is_a_usage_error(here):
    result = cli("check", "reports/a.txt", "--write-baseline", "--prune-baseline")
    assert result.exit_code == 2
    assert "不能同时使用" in result.stderr


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{", "基线文件格式错误：Expecting property name enclosed in double quotes"),
        ('{"version": 1}', "顶层应为含 entries 列表的对象"),
        ('{"version": 9, "entries": []}', "不支持的版本 9"),
        ('{"version": 1, "entries": [{"path": "a"}]}', "第 1 个条目须有字符串 path、rule、fingerprint"),
    ],
)
def test_bad_baseline_is_one_line_exit_2(here, text, reason):
    (here / NAME).write_text(text, encoding="utf-8")
    result = cli("check", "reports/a.txt")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{here / NAME}")
    assert reason in result.stderr
    assert result.stderr.count("\n") == 1


def test_page_located_findings_are_baselined_by_fingerprint(tmp_path):
    """PDF findings have a page and no line; the key is the file and the fingerprint only."""
    report = tmp_path / "r.pdf"
    report.write_bytes(b"%PDF-1.4\n")
    first = Diagnostic("T03.ROW-SUM", "error", "m", Location(str(report), page=3), fingerprint="abc")
    baseline = Baseline(tmp_path / NAME)
    baseline.record([first], {"r.pdf"})
    baseline.save()
    moved = Diagnostic("T03.ROW-SUM", "error", "m", Location(str(report), page=4), fingerprint="abc")
    other = Diagnostic("T03.TOTAL", "error", "m", Location(str(report), page=4), fingerprint="def")
    kept, used = Baseline.load(tmp_path / NAME).apply([moved, other])
    assert kept == [other]
    assert used == {("r.pdf", "abc"): 1}


def test_repeated_fingerprint_is_counted(tmp_path):
    report = str(tmp_path / "r.txt")
    same = [Diagnostic("N.X", "warning", "m", Location(report, line=n), fingerprint="f1") for n in (3, 9, 12)]
    baseline = Baseline(tmp_path / NAME)
    baseline.record(same[:2], {"r.txt"})
    assert [e.count for e in baseline.entries.values()] == [2]
    kept, used = baseline.apply(same)
    assert kept == same[2:]
    assert baseline.prune(used, {"r.txt"}) == 0
