"""The check/extract/rules commands through the real CLI: output contracts and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner
from conftest import EXAMPLE

from disclosure_lint import api, cli
from disclosure_lint.cli import main
from disclosure_lint.resources import packs_dir

JSON_KEYS = {
    "path",
    "rule",
    "severity",
    "message",
    "line",
    "column",
    "end_line",
    "end_column",
    "page",
    "table",
    "row",
    "column_name",
    "expected",
    "actual",
    "fingerprint",
    "bbox",
    "sheet",
    "cell",
    "related",
    "pack",
}


@pytest.fixture
def broken(tmp_path, fixed_example):
    """The corrected example with 公开03表 合计 项目支出 changed from 3860.71 to 3870.71."""
    f = tmp_path / "broken.txt"
    f.write_text(
        fixed_example.read_text(encoding="utf-8").replace(
            "合计\t\t4384.83\t524.12\t3860.71", "合计\t\t4384.83\t524.12\t3870.71", 1
        ),
        encoding="utf-8",
    )
    return f


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_clean_report_exits_zero(fixed_example):
    result = run("check", str(fixed_example), "--pack", "cn-final-accounts-2024")
    assert result.exit_code == 0, result.output
    assert result.output == "检查了 1 个文件，未发现问题；规则包 cn-final-accounts-2024。\n"


def test_example_with_genuine_defects_exits_one():
    result = run("check", str(EXAMPLE))
    assert result.exit_code == 1
    assert "error N.ITEM-AMOUNT" in result.output and "warning N.STALE-YEAR" in result.output


def test_text_output_line_format_and_exit_one(broken):
    result = run("check", str(broken))
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    # One wrong cell, one finding: at the changed cell, with the row sum it breaks merged into it.
    assert first == (
        f"{broken}:165:20: error T03.TOTAL 公开03表[合计].项目支出 3870.71 ≠ 公开03表各类的项目支出之和 3860.71"
        "（差 10.00，容差 0.015）；疑为公开03表 合计 的“项目支出” 3870.71 有误，另有 4 处勾稽关系因此不平"
    )
    assert result.output.splitlines()[-1].startswith("检查了 1 个文件，发现")


def test_json_output_contract(broken):
    result = run("check", str(broken), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert isinstance(data, list) and data
    for d in data:
        assert set(d) == JSON_KEYS
        assert d["line"] >= 1 and d["column"] >= 1 and d["page"] is None
    total = next(d for d in data if d["rule"] == "T03.TOTAL")
    assert (total["line"], total["column"], total["end_column"]) == (165, 20, 27)
    assert (total["table"], total["row"], total["column_name"]) == ("公开03表", "合计", "项目支出")
    assert (total["actual"], total["expected"]) == (3870.71, 3860.71)
    assert any(r["message"].startswith("因此不平：公开03表 合计：本年支出合计") for r in total["related"])


def test_fingerprint_survives_moved_lines(broken, tmp_path):
    before = json.loads(run("check", str(broken), "--format", "json").output)
    moved = tmp_path / "moved.txt"
    moved.write_text("\n\n\n" + broken.read_text(encoding="utf-8"), encoding="utf-8")
    after = json.loads(run("check", str(moved), "--format", "json").output)
    assert [d["fingerprint"] for d in before] == [d["fingerprint"] for d in after]
    assert [d["line"] + 3 for d in before] == [d["line"] for d in after]


def test_missing_file_is_one_error_line_exit_one(tmp_path):
    result = run("check", str(tmp_path / "nope.txt"))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == f"{tmp_path / 'nope.txt'}: error E.INPUT 文件不存在"
    assert "Traceback" not in result.output


def test_batch_keeps_going_after_a_bad_file(broken, tmp_path):
    not_report = tmp_path / "notes.md"
    not_report.write_text("# 会议纪要\n\n今天讨论了预算编制进度。\n", encoding="utf-8")
    result = run("check", str(not_report), str(broken), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data[0]["rule"] == "E.INPUT" and data[0]["path"] == str(not_report)
    assert data[0]["severity"] == "error" and "不是部门预决算公开报告" in data[0]["message"]
    assert any(d["rule"] == "T03.TOTAL" and d["path"] == str(broken) for d in data)


def test_folder_is_expanded(broken, tmp_path):
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("ignored", encoding="utf-8")
    result = run("check", str(tmp_path))
    assert result.exit_code == 1
    assert "检查了 1 个文件" in result.output


def test_unknown_pack_and_usage_errors_exit_two():
    result = run("check", str(EXAMPLE), "--pack", "no-such-pack")
    assert result.exit_code == 2 and "未知的规则包“no-such-pack”" in result.output
    assert run("check").exit_code == 2
    assert run("check", str(EXAMPLE), "--format", "xml").exit_code == 2


def test_internal_error_is_one_line(monkeypatch, capsys):
    def boom(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(api, "lint", boom)
    monkeypatch.setattr(sys, "argv", ["disclosure-lint", "check", str(EXAMPLE)])
    with pytest.raises(SystemExit) as exc:
        cli.run()
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("内部错误：RuntimeError: simulated failure") and "\n" not in err


def test_console_script_runs_out_of_process(broken):
    proc = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "check", str(broken)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1
    assert "T03.TOTAL" in proc.stdout and proc.stderr == ""


def test_extract_json_has_cells_with_locations():
    result = run("extract", str(EXAMPLE))
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["meta"] == {
        "department": "阳泉市数据局",
        "year": 2024,
        "kind": "决算",
        "unit": "万元",
        "title": "2024年度部门决算公开",
        "level": "部门",
        "region": "阳泉市",
    }
    rows = data["tables"]["公开03表"]["rows"]
    total = next(r for r in rows if r["key"] == "合计")
    assert total["cells"]["基本支出"]["amount"] == "524.12"
    assert total["cells"]["基本支出"]["location"]["line"] == 165
    assert any(s["title"] == "三、支出决算情况说明" for s in data["sections"])


def test_extract_text_and_bad_input():
    result = run("extract", str(EXAMPLE), "--format", "text")
    assert result.exit_code == 0 and "== 公开06表" in result.output and "人员经费合计" in result.output
    assert run("extract", "missing.txt").exit_code == 2


def test_rules_and_rule_commands():
    listing = run("rules")
    assert listing.exit_code == 0 and "T03.ROW-SUM" in listing.output
    data = json.loads(run("rules", "--format", "json").output)
    assert {"id", "severity", "title", "ref", "file", "line"} <= set(data[0])
    explained = run("rule", "T03.ROW-SUM")
    assert explained.exit_code == 0
    assert "级别：error" in explained.output and "for row r in 公开03表" in explained.output
    assert run("rule", "NO.SUCH").exit_code == 2


def test_statistics_summarize_a_folder_per_rule_and_per_file(broken, tmp_path):
    (tmp_path / "notes.md").write_text("# 会议纪要\n\n讨论预算。\n", encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    result = run("check", str(tmp_path), "--statistics")
    assert result.exit_code == 1
    out = result.output
    stats = out[out.index("按规则统计：") :]
    assert "T03.TOTAL" in stats and "E.INPUT" in stats and "报告无法读取或识别" in stats
    assert "E.NOT-REPORT" in stats
    per_file = stats[stats.index("按文件统计：") :].splitlines()
    assert any(line.strip().startswith(str(broken)) and "错误" in line for line in per_file)
    assert any("gone.txt：错误 1" in line for line in per_file)
    assert any("notes.md：提示 1" in line for line in per_file)
    assert out.rstrip().splitlines()[-1].startswith("检查了 3 个文件")


def test_the_command_leaves_at_once_with_all_its_output_and_status():
    """The installed command skips the interpreter's teardown: what it printed must all be there."""
    inprocess = run("check", str(EXAMPLE), "--format", "json", "--no-cache")
    proc = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "check", str(EXAMPLE), "--format", "json", "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == inprocess.exit_code == 1
    assert json.loads(proc.stdout) == json.loads(inprocess.output)
    usage = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "check", str(EXAMPLE), "--format", "xml"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert usage.returncode == 2 and "xml" in usage.stderr and usage.stdout == ""


def test_pack_check_counts_the_tables_and_attachments_the_pack_declares():
    manifest = yaml.safe_load((packs_dir() / "cn-final-accounts-2024" / "pack.yaml").read_text(encoding="utf-8"))
    result = run("pack", "check", "cn-final-accounts-2024")
    assert result.exit_code == 0
    assert f"{len(manifest['tables'])} 张表、{len(manifest['attachments'])} 种附件" in result.output
