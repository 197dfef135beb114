"""What start-up keeps between runs (parsed rule files, Lark tables) in a folder only this user can write."""

from __future__ import annotations

import json
import os

import pytest

from disclosure_lint import privatecache
from disclosure_lint.dsl import astcache
from disclosure_lint.dsl.parser import parse_source
from disclosure_lint.packs.load import available_pack_dirs


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    privatecache.private_cache_dir.cache_clear()
    yield tmp_path / "disclosure-lint"
    privatecache.private_cache_dir.cache_clear()


RULE_FILES = sorted(f for d in available_pack_dirs() for f in d.glob("*.rules"))


@pytest.mark.parametrize("path", RULE_FILES, ids=[f"{p.parent.name}/{p.name}" for p in RULE_FILES])
def test_every_bundled_rule_file_survives_the_json_round_trip(path):
    items = parse_source(path.read_text(encoding="utf-8"), str(path))
    assert items and astcache.load(json.loads(json.dumps(astcache.dump(items)))) == items


def test_a_cached_parse_is_used_and_a_bad_entry_is_parsed_again(own_cache, monkeypatch):
    path = RULE_FILES[0]
    text = path.read_text(encoding="utf-8")
    first = astcache.parse_source_cached(text, str(path))
    [entry] = (own_cache / "rules").glob("*.json")
    monkeypatch.setattr(astcache, "parse_source", lambda *a: pytest.fail("parsed although cached"))
    assert astcache.parse_source_cached(text, str(path)) == first
    monkeypatch.undo()
    entry.write_text(json.dumps([{"$c": "Rule", "id": "forged"}]), encoding="utf-8")
    assert astcache.parse_source_cached(text, str(path)) == first
    entry.write_text(json.dumps([{"$c": "Popen", "args": "rm"}]), encoding="utf-8")
    assert astcache.parse_source_cached(text, str(path)) == first


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_may_write_is_not_used(own_cache):
    own_cache.mkdir(mode=0o700)
    own_cache.chmod(0o777)
    assert privatecache.private_cache_dir() is None
    own_cache.chmod(0o700)
    privatecache.private_cache_dir.cache_clear()
    assert privatecache.private_cache_dir() == own_cache
