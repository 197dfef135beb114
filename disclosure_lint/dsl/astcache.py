"""Parsed rule files kept as JSON, so that a process loading a pack need not parse them again.

Parsing is over half of a pack's load time, paid by every CLI run and worker. An entry is the AST
of one rule file, keyed on the file's name and text and on the grammar and the code that builds
and reads the AST; it is read back only into the classes of ``dsl.ast``, and anything that does
not fit is a miss. Entries live in the user's private cache folder.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import fields, is_dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from ..privatecache import entry_path, source_digest, write_entry
from ..resources import grammar_path
from . import ast as A

# class name -> (class, its field names, the keys an entry of it has)
_CLASSES = {
    name: (cls, names, {"$c", *names})
    for name, cls in vars(A).items()
    if isinstance(cls, type) and is_dataclass(cls) and cls.__module__ == A.__name__
    for names in [tuple(f.name for f in fields(cls))]
}


@cache
def _code_digest() -> str:
    here = Path(__file__).resolve().parent
    return source_digest(grammar_path(), *(here / name for name in ("ast.py", "parser.py", "astcache.py")))


def dump(node: Any) -> Any:
    if isinstance(node, Decimal):
        return {"$d": str(node)}
    if is_dataclass(node) and not isinstance(node, type):
        return {"$c": type(node).__name__, **{f.name: dump(getattr(node, f.name)) for f in fields(node)}}
    if isinstance(node, list):
        return [dump(x) for x in node]
    if node is None or isinstance(node, str | int):
        return node
    raise TypeError(type(node).__name__)


def _node(data: dict[str, Any]) -> Any:
    """One JSON object as ``dump`` wrote it; the JSON parser calls this for each, innermost first."""
    if "$d" in data:
        if len(data) != 1:
            raise KeyError("$d")
        return Decimal(data["$d"])
    cls, names, keys = _CLASSES[data["$c"]]
    if data.keys() != keys:
        raise KeyError(data["$c"])
    return cls(*[data[n] for n in names])


def _no_float(text: str) -> Any:
    raise ValueError(f"{text}: dump writes no floats")


def load(text: str) -> Any:
    """What ``dump`` was given, from its JSON text."""
    return json.loads(text, object_hook=_node, parse_float=_no_float)


def parse_source_cached(text: str, file: str) -> list[A.Rule | A.Define | A.Override]:
    """``parse_source`` (rules, definitions, overrides), from the cache when this file's text was parsed
    before; the parser, and Lark with it, is imported only for a file the cache has not seen."""
    entry = entry_path("rules", _code_digest(), file, text)
    if entry is not None:
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError, InvalidOperation):
            items = load(entry.read_text(encoding="utf-8"))
            if isinstance(items, list) and all(isinstance(r, (A.Rule, A.Define, A.Override)) for r in items):
                return items
    from .parser import parse_source

    items = parse_source(text, file)
    if entry is not None:
        with contextlib.suppress(OSError, TypeError):
            write_entry(entry, json.dumps(dump(items), ensure_ascii=False))
    return items
