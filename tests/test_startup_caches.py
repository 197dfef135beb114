"""What start-up keeps between runs (parsed rule files, Lark tables) in a folder only this user can write."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import EXAMPLE

from disclosure_lint import matching, privatecache
from disclosure_lint.dsl import astcache, parser
from disclosure_lint.dsl.parser import parse_source
from disclosure_lint.packs import locate, yamlfile
from disclosure_lint.packs.load import load_pack
from disclosure_lint.packs.locate import available_pack_dirs


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """A private cache folder of the test's own, and patterns as a new process finds them: none compiled yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(matching, "_packs_patterns", {})
    privatecache.private_cache_dir.cache_clear()
    yield tmp_path / "disclosure-lint"
    privatecache.private_cache_dir.cache_clear()


RULE_FILES = sorted(f for d in available_pack_dirs() for f in d.glob("*.rules"))


@pytest.mark.parametrize("path", RULE_FILES, ids=[f"{p.parent.name}/{p.name}" for p in RULE_FILES])
def test_every_bundled_rule_file_survives_the_json_round_trip(path):
    items = parse_source(path.read_text(encoding="utf-8"), str(path))
    assert items and astcache.load(json.dumps(astcache.dump(items))) == items


def test_a_cached_parse_is_used_and_a_bad_entry_is_parsed_again(own_cache, monkeypatch):
    path = RULE_FILES[0]
    text = path.read_text(encoding="utf-8")
    first = astcache.parse_source_cached(text, str(path))
    [entry] = (own_cache / "rules").glob("*.json")
    monkeypatch.setattr(parser, "parse_source", lambda *a: pytest.fail("parsed although cached"))
    assert astcache.parse_source_cached(text, str(path)) == first
    monkeypatch.undo()
    entry.write_text(json.dumps([{"$c": "Rule", "id": "forged"}]), encoding="utf-8")
    assert astcache.parse_source_cached(text, str(path)) == first
    entry.write_text(json.dumps([{"$c": "Popen", "args": "rm"}]), encoding="utf-8")
    assert astcache.parse_source_cached(text, str(path)) == first
    kept = json.loads(json.dumps(astcache.dump(first)))
    kept[0]["pos"]["line"] = 1.5  # a number the parser never writes
    entry.write_text(json.dumps(kept), encoding="utf-8")
    assert astcache.parse_source_cached(text, str(path)) == first
    entry.write_text(json.dumps([{"$d": "1", "$c": "Rule"}]), encoding="utf-8")
    assert astcache.parse_source_cached(text, str(path)) == first


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_may_write_is_not_used(own_cache):
    own_cache.mkdir(mode=0o700)
    own_cache.chmod(0o777)
    assert privatecache.private_cache_dir() is None
    own_cache.chmod(0o700)
    privatecache.private_cache_dir.cache_clear()
    assert privatecache.private_cache_dir() == own_cache


PATTERN = r"(?<=包括)(?P<项>[^，。]{2,12}?)(?:支出|经费)(?P<金额>\d+(?:\.\d+)?)万元"
TEXT = "主要包括办公经费12.50万元，以及差旅费3万元。"


OTHER = r"(?P<项>[^，。]{2,12})费"


def test_a_packs_patterns_are_kept_compiled_and_rebuilt_from_its_entry(own_cache, monkeypatch):
    with matching.keeping("一个规则包"):
        first = matching.compile(PATTERN)
        matching.compile(OTHER)
    [entry] = (own_cache / "patterns").glob("*.json")
    assert set(json.loads(entry.read_text(encoding="utf-8"))["patterns"]) == {PATTERN, OTHER}
    monkeypatch.setattr(matching.regex, "compile", lambda *a, **k: pytest.fail("compiled although kept"))
    matching._packs_patterns.clear()  # as in the next run
    with matching.keeping("一个规则包"):
        again = matching.compile(PATTERN)
    assert again is not first and again.pattern == PATTERN and again.groupindex == first.groupindex
    assert again.search(TEXT).groupdict() == first.search(TEXT).groupdict() == {"项": "办公", "金额": "12.50"}
    assert set(json.loads(entry.read_text(encoding="utf-8"))["patterns"]) == {PATTERN, OTHER}  # nothing compiled


def test_a_pattern_another_pack_compiled_in_this_process_is_kept_for_this_one_too(own_cache):
    with matching.keeping("一个规则包"):
        matching.compile(PATTERN)
    with matching.keeping("另一个规则包"):
        matching.compile(PATTERN)
    entries = [json.loads(e.read_text(encoding="utf-8")) for e in (own_cache / "patterns").glob("*.json")]
    assert [set(e["patterns"]) for e in entries] == [{PATTERN}, {PATTERN}]


def test_a_packs_pattern_built_again_while_checking_is_not_compiled_again(own_cache, monkeypatch):
    with matching.keeping("一个规则包"):
        first = matching.compile(PATTERN)
    monkeypatch.setattr(matching.regex, "compile", lambda *a, **k: pytest.fail("compiled again"))
    assert matching.compile(PATTERN) is first
    assert matching.search(PATTERN, TEXT).group("金额") == "12.50"


def test_checking_a_report_compiles_none_of_the_patterns_its_pack_compiled(own_cache, monkeypatch):
    """``~`` comparisons, captures and mentions use the patterns compiled when the pack loaded; only
    patterns made from the report's own text (a row label) are compiled while checking."""
    from disclosure_lint.api import read_report
    from disclosure_lint.engine.evaluate import run_rules
    from disclosure_lint.engine.views import ReportIndex

    report, pack = read_report(EXAMPLE, load_pack.__wrapped__("cn-final-accounts-2024"))
    loaded = set(matching._packs_patterns)
    compiled: list[str] = []
    real = matching.regex.compile
    monkeypatch.setattr(matching.regex, "compile", lambda p, *a, **k: compiled.append(p) or real(p, *a, **k))
    diagnostics, _ = run_rules(pack.rules, report, ReportIndex(report, pack.specs))
    assert diagnostics and len(loaded) > 100
    assert not loaded & set(compiled)
    assert any("住房保障支出" in p for p in compiled)  # a row label of the report's own


def test_patterns_outside_a_pack_load_are_not_kept(own_cache):
    assert matching.compile(PATTERN).search(TEXT)
    assert not (own_cache / "patterns").exists()


def _other_entry(data: dict) -> dict:
    with matching.keeping("别的规则包"):
        matching.compile(OTHER)
    kept = json.loads(matching._entry_path("别的规则包").read_text(encoding="utf-8"))
    return {**data, "patterns": {PATTERN: kept["patterns"][OTHER]}}


def _fitting_checksum(args: str) -> list[str]:
    return [args, matching._checksum(PATTERN, args)]


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: {**d, "patterns": {PATTERN: [d["patterns"][PATTERN][0], "0" * 64]}},  # corrupted
        _other_entry,  # another pattern's entry
        lambda d: {**d, "regex": "0.0"},  # another regex version
        lambda d: {**d, "patterns": {PATTERN: _fitting_checksum('{"t": [1, 2]}')}},  # arguments that do not fit
        lambda d: {**d, "patterns": {PATTERN: "?"}},  # not an entry at all
        lambda d: [d],  # not a pack's entry file
    ],
    ids=["corrupted", "another-pattern", "another-regex", "unfit-arguments", "not-an-entry", "not-a-file-of-entries"],
)
def test_an_entry_that_does_not_fit_is_compiled_again(own_cache, damage):
    with matching.keeping("一个规则包"):
        first = matching.compile(PATTERN)
    entry = matching._entry_path("一个规则包")
    data = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps(damage(data)), encoding="utf-8")
    matching._packs_patterns.clear()  # as in the next run
    with matching.keeping("一个规则包"):
        again = matching.compile(PATTERN)
    assert again.search(TEXT).groupdict() == first.search(TEXT).groupdict()
    assert json.loads(entry.read_text(encoding="utf-8")) == data  # written again, whole


def test_a_pack_loads_the_same_from_kept_patterns(own_cache):
    cold = load_pack.__wrapped__("cn-final-accounts-2024")
    assert list((own_cache / "patterns").glob("*.json"))
    warm = load_pack.__wrapped__("cn-final-accounts-2024")
    kept = [(c.regex.pattern, c.regex.groupindex) for r in warm.rules for c in r.clauses if c.regex is not None]
    fresh = [(c.regex.pattern, c.regex.groupindex) for r in cold.rules for c in r.clauses if c.regex is not None]
    assert kept == fresh and kept


def test_the_command_line_imports_neither_the_rule_engine_nor_a_pdf_library():
    """A check's worker imports them once its file is open, so that the import overlaps the reading."""
    heavy = (
        "disclosure_lint.api",
        "disclosure_lint.engine.evaluate",
        "disclosure_lint.packs.load",
        "pdfplumber",
        "pypdfium2",
        "lark",
        "disclosure_lint.recognize",
    )
    code = f"import sys, disclosure_lint.cli; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


PACK_YAML = "id: demo\nkind: 决算\nyears: [2024]\nrule_files: [a.rules]\nseverity:\n  T01.TOTAL: warning\n"


def _read_kept(path):
    locate._parsed.cache_clear()
    return locate.read_pack_yaml(path)


def test_a_parsed_pack_yaml_is_kept_and_read_back_without_yaml(own_cache, tmp_path, monkeypatch):
    path = tmp_path / "pack.yaml"
    path.write_text(PACK_YAML, encoding="utf-8")
    first = _read_kept(path)
    [entry] = (own_cache / "packyaml").glob("*.json")
    monkeypatch.setattr(yamlfile, "parse_yaml", lambda *a: pytest.fail("parsed although kept"))
    again = _read_kept(path)
    assert again == first and again.keys[("severity", "T01.TOTAL")] == first.keys[("severity", "T01.TOTAL")]
    assert (again.values[("years", "0")].line, again.values[("years", "0")].col) == (3, 9)
    monkeypatch.undo()
    entry.write_text(json.dumps({"data": [], "keys": [], "values": []}), encoding="utf-8")
    assert _read_kept(path) == first  # an entry that does not fit is parsed again


def test_pack_yaml_data_json_would_change_is_not_kept(own_cache, tmp_path):
    path = tmp_path / "pack.yaml"
    path.write_text(PACK_YAML + "notes:\n  2024: 新表样\n", encoding="utf-8")
    assert _read_kept(path).data["notes"] == {2024: "新表样"}
    assert not list((own_cache / "packyaml").glob("*.json"))
