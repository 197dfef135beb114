"""What an inspector reads after a batch: the progress bar, CSV for spreadsheets, and statistics."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner
from conftest import EXAMPLE, FIXES, edited

from disclosure_lint.batch.jobs import Job, Outcome, failure
from disclosure_lint.batch.progress import Progress
from disclosure_lint.cli import main
from disclosure_lint.formatters.csvrows import HEADER, escape
from disclosure_lint.workflow.config import Settings


def run(*args: str):
    return CliRunner().invoke(main, list(args))


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_shows_done_total_errors_and_current_file_once_the_run_lasts():
    stream, clock = Terminal(), Clock()
    progress = Progress(stream, clock=clock)
    progress.begin(3)
    progress.started(Job("a.pdf", Settings()))
    progress.finished(Job("a.pdf", Settings()), failure("a.pdf", "文件不存在"))
    assert stream.getvalue() == ""  # quick runs stay silent
    clock.now = 1.5
    progress.started(Job("b.pdf", Settings()))
    progress.tick()
    shown = stream.getvalue()
    assert "1/3" in shown and "错误 1" in shown and "b.pdf" in shown
    progress.finished(Job("b.pdf", Settings()), Outcome("b.pdf"))
    progress.close()
    assert "2/3" in stream.getvalue()


def test_progress_only_on_a_terminal_and_not_when_quiet():
    assert Progress.wanted(Terminal(), quiet=False)
    assert not Progress.wanted(Terminal(), quiet=True)
    assert not Progress.wanted(io.StringIO(), quiet=False)


def test_a_check_piped_to_a_file_writes_nothing_to_stderr():
    result = CliRunner().invoke(main, ["check", str(EXAMPLE)])
    assert result.stderr == ""


def test_csv_has_one_row_per_finding(tmp_path):
    result = run("check", str(EXAMPLE), "--format", "csv")
    found = json.loads(run("check", str(EXAMPLE), "--format", "json").output)
    assert result.output.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(result.output[1:])))
    assert tuple(rows[0]) == HEADER
    assert len(rows) == len(found) + 1
    for row, d in zip(rows[1:], found, strict=True):
        record = dict(zip(HEADER, row, strict=True))
        assert (record["file"], record["rule"], record["severity"]) == (d["path"], d["rule"], d["severity"])
        assert (record["line"], record["message"], record["column"]) == (
            str(d["line"]),
            d["message"],
            d["column_name"] or "",
        )


def test_csv_cells_cannot_start_a_formula():
    assert [escape(v) for v in ("=SUM(A1)", "+1", "-3.5", "@cmd", "\t=1", "普通", None, 12)] == [
        "'=SUM(A1)",
        "'+1",
        "'-3.5",
        "'@cmd",
        "'\t=1",
        "普通",
        "",
        "12",
    ]


def test_statistics_count_each_file_by_rule_prefix_and_each_rule_by_files(tmp_path, example_text):
    (tmp_path / "a.txt").write_text(example_text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(edited(example_text, FIXES[1:]), encoding="utf-8")
    result = run("check", str(tmp_path), "--statistics")
    lines = result.output.splitlines()
    pack = "（规则包 cn-final-accounts-2024）"
    assert (
        f"  {tmp_path / 'a.txt'}：错误 4，警告 4，提示 17（A 错误 3；H 警告 2，提示 17；N 错误 1，警告 2）{pack}"
        in lines
    )
    assert f"  {tmp_path / 'b.txt'}：错误 1（N 错误 1）{pack}" in lines
    [item] = [ln for ln in lines if " N.ITEM-AMOUNT " in ln and "个文件" in ln]
    assert item.split()[:4] == ["2", "N.ITEM-AMOUNT", "error", "2"]
