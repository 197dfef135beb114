"""The findings cache: reused only while nothing the findings depend on has changed, never trusted blindly."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

from disclosure_lint import api
from disclosure_lint.api import lint, read_report
from disclosure_lint.batch.cache import FORMAT, Cache, diagnostic_dict, diagnostic_from_dict, meta_dict, meta_from_dict
from disclosure_lint.cli import main
from disclosure_lint.workflow.config import Settings


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def here(tmp_path, monkeypatch, example_text):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCLOSURE_LINT_CACHE_DIR")
    (tmp_path / "a.txt").write_text(example_text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(example_text.replace("电费0.09万元", "水费0.09万元", 1), encoding="utf-8")
    return tmp_path


def entries(root) -> list:
    return sorted((root / ".disclosure-lint-cache").glob(f"v{FORMAT}/*/*.json"))


def no_checking(monkeypatch):
    """From here on a file that is really checked ends the run: only cached results may appear."""

    def refuse(*args, **kwargs):
        raise AssertionError("checked although cached")

    monkeypatch.setattr(api, "lint", refuse)


def test_a_warm_run_reports_exactly_what_the_cold_run_did(here, monkeypatch):
    cold = run("check", ".", "--format", "json")
    assert cold.exit_code == 1 and len(entries(here)) == 2
    no_checking(monkeypatch)
    warm = run("check", ".", "--format", "json")
    assert (warm.exit_code, warm.output) == (cold.exit_code, cold.output)
    assert (here / ".disclosure-lint-cache" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")


def test_no_cache_neither_reads_nor_writes(here, monkeypatch):
    assert run("check", ".", "--no-cache").exit_code == 1
    assert entries(here) == []
    run("check", ".")
    assert len(entries(here)) == 2
    no_checking(monkeypatch)
    assert isinstance(run("check", ".", "--no-cache").exception, AssertionError)


def test_a_changed_file_or_setting_is_checked_again(here):
    first = run("check", ".", "--format", "json")
    (here / "b.txt").write_text((here / "a.txt").read_text(encoding="utf-8"), encoding="utf-8")
    second = json.loads(run("check", ".", "--format", "json").output)
    assert [d["rule"] for d in second if d["path"] == "b.txt"] == [d["rule"] for d in second if d["path"] == "a.txt"]
    assert second != json.loads(first.output)
    (here / "disclosure-lint.toml").write_text('[severity]\n"N.ITEM-AMOUNT" = "warning"\n', encoding="utf-8")
    third = json.loads(run("check", ".", "--format", "json").output)
    assert {d["severity"] for d in third if d["rule"] == "N.ITEM-AMOUNT"} == {"warning"}


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: "[]",
        lambda text: json.dumps({**json.loads(text), "key": "0" * 64}),
        lambda text: json.dumps({**json.loads(text), "format": 99}),
        lambda text: json.dumps({**json.loads(text), "diagnostics": [{"rule": 1}]}),
    ],
    ids=["truncated", "not-an-entry", "foreign-key", "other-format", "malformed-finding"],
)
def test_an_unusable_entry_is_ignored_and_rebuilt(here, damage):
    cold = run("check", "a.txt", "--format", "json")
    [entry] = entries(here)
    entry.write_text(damage(entry.read_text(encoding="utf-8")), encoding="utf-8")
    again = run("check", "a.txt", "--format", "json")
    assert again.output == cold.output
    assert Cache(here / ".disclosure-lint-cache").load(entry.stem, "a.txt") is not None


def test_cache_clean_removes_only_a_cache_folder(here):
    run("check", ".")
    result = run("cache", "clean")
    assert result.exit_code == 0 and "已清除 2 条缓存" in result.output
    assert not (here / ".disclosure-lint-cache").exists()
    (here / ".disclosure-lint-cache").mkdir()
    (here / ".disclosure-lint-cache" / "keep.txt").write_text("not ours", encoding="utf-8")
    result = run("cache", "clean")
    assert result.exit_code == 2 and "不是 disclosure-lint 的缓存目录" in result.output
    assert (here / ".disclosure-lint-cache" / "keep.txt").exists()


def test_findings_survive_the_json_round_trip_exactly(make_pdf, example_text, pack):
    text_findings = lint(EXAMPLE, pack).diagnostics
    pdf_findings = lint(make_pdf(example_text), pack).diagnostics
    assert any(d.loc.bbox for d in pdf_findings) and any(d.related for d in text_findings + pdf_findings)
    for d in text_findings + pdf_findings:
        assert diagnostic_from_dict(json.loads(json.dumps(diagnostic_dict(d)))) == d
        stored = json.loads(json.dumps(diagnostic_dict(d, d.loc.path)))
        assert stored["loc"]["path"] is None
        assert diagnostic_from_dict(stored, "elsewhere/r.pdf").loc.path == "elsewhere/r.pdf"


def test_the_key_names_content_path_and_settings(tmp_path):
    cache = Cache(tmp_path)
    base = cache.key(b"report", "a.txt", None, Settings())
    assert cache.key(b"report", "a.txt", None, Settings()) == base
    assert cache.key(b"report!", "a.txt", None, Settings()) != base
    assert cache.key(b"report", "b.txt", None, Settings()) != base
    assert cache.key(b"report", str(tmp_path / "x" / ".." / "a.txt"), None, Settings()) == cache.key(
        b"report", str(tmp_path / "a.txt"), None, Settings()
    )
    assert cache.key(b"report", "a.txt", "cn-final-accounts-2024", Settings()) != base
    assert cache.key(b"report", "a.txt", None, Settings(severity={"N.": "warning"})) != base
    assert cache.key(b"report", "a.txt", None, Settings(strict_pack=True)) != base


def test_what_a_report_was_recognized_as_survives_the_json_round_trip(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("示例市数据局2024年度单位决算\n\n## 一、收入支出决算总体情况说明\n\n收入总计1.00万元。\n")
    report, _ = read_report(path)
    meta = report.meta
    assert (meta.kind, meta.year, meta.level, meta.region) == ("决算", 2024, "单位", "示例市")
    assert meta_from_dict(json.loads(json.dumps(meta_dict(meta, report.path))), report.path) == meta


def test_an_unwritable_cache_does_not_stop_the_check(here, monkeypatch):
    (here / ".disclosure-lint-cache").write_text("a file where the folder should be", encoding="utf-8")
    result = run("check", "a.txt")
    assert result.exit_code == 1 and "N.ITEM-AMOUNT" in result.output
    assert os.path.isfile(here / ".disclosure-lint-cache")


def test_the_language_server_shares_the_cache_for_saved_buffers_only(here, monkeypatch):
    from disclosure_lint.lsp.reports import lint_buffer

    path = str(here / "a.txt")
    text = (here / "a.txt").read_text(encoding="utf-8")
    first = lint_buffer(path, text)
    assert len(entries(here)) == 1
    run("check", "b.txt")
    no_checking(monkeypatch)
    assert lint_buffer(path, text) == first
    assert lint_buffer(str(here / "b.txt"), (here / "b.txt").read_text(encoding="utf-8"))  # stored by the CLI
    with pytest.raises(AssertionError, match="checked although cached"):
        lint_buffer(path, text.replace("电费0.09万元", "水费0.09万元", 1))  # unsaved edits are checked
