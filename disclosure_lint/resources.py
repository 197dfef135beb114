"""Where the bundled rule packs and grammar live: inside the wheel, or at the repository root."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PKG = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """``rules`` or ``lark_grammar``: the wheel ships them under ``disclosure_lint/_data``."""
    bundled = _PKG / "_data" / name
    if bundled.is_dir():
        return bundled
    return _PKG.parent / name


def grammar_path() -> Path:
    return data_dir("lark_grammar") / "rules.lark"


def packs_dir() -> Path:
    return data_dir("rules")
