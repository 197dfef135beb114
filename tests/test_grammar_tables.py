"""The rule grammar's parser comes from JSON tables shipped with the grammar, never from a pickle."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import lark
import pytest

from disclosure_lint.dsl import tables
from disclosure_lint.resources import packs_dir

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_tables_are_made_from_the_current_grammar():
    grammar = tables.grammar_path().read_text(encoding="utf-8")
    stored = json.loads(tables.tables_path().read_text(encoding="utf-8"))
    regenerate = 'python -c "from disclosure_lint.dsl.tables import main; main()"'
    assert stored["grammar"] == tables.fingerprint(grammar), f"lark_grammar/rules.lark.json 已过期：运行 {regenerate}"


def test_shipped_tables_parse_every_rule_file_like_a_freshly_built_parser():
    grammar = tables.grammar_path().read_text(encoding="utf-8")
    if tables.stored_tables(grammar) is None:
        pytest.skip(f"the tables were written by another Lark version than {lark.__version__}; the parser is built")
    shipped, built = tables.load_parser(), tables.build(grammar)
    files = sorted(packs_dir().glob("*/*.rules"))
    assert len(files) >= 8
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert shipped.parse(text, start="start") == built.parse(text, start="start"), f
    assert shipped.parse("a + 1", start="expr") == built.parse("a + 1", start="expr")


def test_stale_or_damaged_tables_fall_back_to_building(tmp_path, monkeypatch):
    grammar = tables.grammar_path().read_text(encoding="utf-8")
    fake = tmp_path / "rules.lark.json"
    monkeypatch.setattr(tables, "tables_path", lambda: fake)
    fake.write_text("{not json", encoding="utf-8")
    assert tables.stored_tables(grammar) is None
    fake.write_text(json.dumps({"grammar": "0" * 64, "lark": lark.__version__}), encoding="utf-8")
    assert tables.stored_tables(grammar) is None
    assert tables.load_parser().parse("1 + 2", start="expr").data == "binop"


class _Plant:
    """Un-pickling this creates the marker file: what a planted grammar cache could do."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.makedirs, (self.marker,))


def test_a_planted_lark_cache_is_never_unpickled(tmp_path):
    shared = tmp_path / "tmp"
    shared.mkdir()
    env = {**os.environ, "TMPDIR": str(shared)}
    grammar_opts = "from disclosure_lint.dsl import tables; g = tables.grammar_path().read_text('utf-8')"
    old_way = f"import lark; {grammar_opts}; lark.Lark(g, cache=True, **tables.OPTIONS)"
    subprocess.run([sys.executable, "-c", old_way], env=env, check=True, cwd=ROOT)
    (cache_file,) = shared.glob(".lark_cache_*.tmp")  # the predictable name Lark's cache=True uses
    marker = tmp_path / "planted-code-ran"
    # Lark reads a line (a hash) and un-pickles what follows before comparing that hash.
    cache_file.write_bytes(b"0\n" + pickle.dumps(_Plant(str(marker))))
    ours = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "pack", "check", "cn-final-accounts-2024"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert ours.returncode == 0, ours.stderr
    assert not marker.exists()
    assert list(shared.iterdir()) == [cache_file], "the tool writes nothing to the shared temp folder"
    # The same plant does run code through Lark's own cache: the test can fail.
    subprocess.run([sys.executable, "-c", old_way], env=env, capture_output=True, cwd=ROOT)
    assert marker.exists()
