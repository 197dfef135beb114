"""The rule grammar's LALR parser, stored as JSON data next to the grammar.

Building the parser takes 0.1–0.3 s of every start. Lark's own cache (``cache=True``) is a pickle at a
predictable name in the shared temp folder and is un-pickled before it is checked, so any local user
could plant code there for the next user to run. The tables are data, so they are shipped as JSON
(``lark_grammar/rules.lark.json``) and never un-pickled: JSON cannot hold code. They are used only
when they were made from this grammar by this Lark version; otherwise the parser is built from the
grammar. ``python -c "from disclosure_lint.dsl.tables import main; main()"`` writes them after the
grammar changes (a test checks that they are current).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import lark
from lark import Lark
from lark.grammar import Rule
from lark.lexer import TerminalDef

from ..jsondata import decode, encode
from ..resources import grammar_path

OPTIONS: dict[str, Any] = {
    "parser": "lalr",
    "propagate_positions": True,
    "start": ["start", "expr"],
    "maybe_placeholders": True,
}


def fingerprint(grammar: str) -> str:
    return hashlib.sha256(grammar.encode("utf-8")).hexdigest()


def tables_path():
    return grammar_path().with_name("rules.lark.json")


def build(grammar: str) -> Lark:
    return Lark(grammar, **OPTIONS)


def dump(parser: Lark, grammar: str) -> str:
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    stored = {"grammar": fingerprint(grammar), "lark": lark.__version__, "data": encode(data), "memo": encode(memo)}
    return json.dumps(stored, ensure_ascii=False, sort_keys=True) + "\n"


def stored_tables(grammar: str) -> dict[str, Any] | None:
    """The shipped tables if they were made from ``grammar`` by this Lark version."""
    try:
        stored = json.loads(tables_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("grammar") != fingerprint(grammar):
        return None
    return stored if stored.get("lark") == lark.__version__ else None


def load_parser() -> Lark:
    grammar = grammar_path().read_text(encoding="utf-8")
    stored = stored_tables(grammar)
    if stored is None:
        return build(grammar)
    return Lark._load_from_dict(decode(stored["data"]), decode(stored["memo"]))


def main() -> None:
    """Write the tables for the current grammar."""
    grammar = grammar_path().read_text(encoding="utf-8")
    tables_path().write_text(dump(build(grammar), grammar), encoding="utf-8")
