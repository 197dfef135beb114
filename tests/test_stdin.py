"""``--stdin-filename``: editors pipe a buffer in; the name decides configuration and how findings read."""

from __future__ import annotations

import pytest
from conftest import EXAMPLE
from workflow_support import BAD_CELL, BAD_LINE, check_json, cli, ours, rules_of, write_report


@pytest.fixture
def buffer(tmp_path, monkeypatch) -> bytes:
    monkeypatch.chdir(tmp_path)
    return write_report(tmp_path / "scratch.txt").read_bytes()


def test_stdin_is_reported_under_the_given_name(buffer):
    result, found = check_json("--stdin-filename", "drafts/report.md", "-", stdin=buffer)
    assert result.exit_code == 1
    assert {f["path"] for f in found} == {"drafts/report.md"}
    assert [(f["rule"], f["line"]) for f in ours(found)] == [("T03.ROW-SUM", BAD_LINE), ("T03.TOTAL", BAD_LINE)]


def test_stdin_name_drives_configuration_discovery_and_per_file_ignores(buffer, tmp_path):
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "disclosure-lint.toml").write_text(
        '[per-file-ignores]\n"report.md" = ["T03.TOTAL"]\n', encoding="utf-8"
    )
    _, found = check_json("--stdin-filename", "drafts/report.md", stdin=buffer)
    assert rules_of(ours(found)) == ["T03.ROW-SUM"]
    _, found = check_json("--stdin-filename", "drafts/other.md", stdin=buffer)
    assert rules_of(ours(found)) == ["T03.ROW-SUM", "T03.TOTAL"]
    _, found = check_json("--stdin-filename", "report.md", stdin=buffer)
    assert rules_of(ours(found)) == ["T03.ROW-SUM", "T03.TOTAL"]


def test_stdin_content_wins_over_the_file_on_disk(buffer, tmp_path):
    write_report(tmp_path / "report.txt", broken=False)
    _, found = check_json("--stdin-filename", "report.txt", "-", stdin=buffer)
    assert rules_of(ours(found)) == ["T03.ROW-SUM", "T03.TOTAL"]
    _, found = check_json("--stdin-filename", "scratch.txt", stdin=EXAMPLE.read_bytes())
    assert ours(found) == []


def test_plain_dash_reads_stdin(buffer):
    result = cli("check", "-", stdin=buffer)
    assert result.exit_code == 1
    assert f"\n-:{BAD_LINE}:5: error T03.ROW-SUM" in "\n" + result.stdout
    assert BAD_CELL[1] in result.stdout


@pytest.mark.parametrize("args", [("--stdin-filename", "a.md", "other.txt"), ("-", "other.txt"), ()])
def test_stdin_misuse_is_a_usage_error(buffer, args):
    result = cli("check", *args, stdin=buffer)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1


def test_unreadable_stdin_is_an_input_finding(buffer):
    result, found = check_json("--stdin-filename", "x.md", stdin="只有一句话。".encode())
    assert result.exit_code == 1
    assert [(f["path"], f["rule"]) for f in found] == [("x.md", "E.INPUT")]
