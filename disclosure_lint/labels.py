"""Normalization of row labels, header texts and titles, so matching ignores print noise.

Printed labels carry ordinals (``一、``, ``（一）``, ``1.``), wrapped spaces, half/full-width
parentheses and unit suffixes (``(辆)``); none of that is part of the item's name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ORDINAL = re.compile(
    r"^(?:第[一二三四五六七八九十百]+部分|[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)]、?"
    r"|\d+[、.．](?!\d)|[（(]\d+[）)]、?|[①-⑳])\s*"
)
_UNIT_SUFFIX = re.compile(r"[（(](?:辆|台|套|台、套|台（套）|个|人|人次|万元|元|%|％)[）)]$")
_CLASS_SUFFIX = re.compile(r"[（(](?:类|款|项)[）)]$")
_SPACE = re.compile(r"\s+")
_TAGS = re.compile(r"</?[a-zA-Z][^>]*>")
_PAREN = str.maketrans({"(": "（", ")": "）", "[": "【", "]": "】", ":": "：", ";": "；", ",": "，"})


@lru_cache(maxsize=1 << 16)
def squash(text: str) -> str:
    """Remove tags and all whitespace; unify parentheses to full width. The base of every comparison."""
    text = _TAGS.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub("", text).translate(_PAREN)


def strip_ordinal(text: str) -> str:
    return _ORDINAL.sub("", text, count=1)


def ordinal_rank(text: str) -> int | None:
    """Outline depth implied by a heading's numbering: 第一部分 > 一、 > （一） > 1、 > (1)."""
    t = text.strip()
    if re.match(r"^第[一二三四五六七八九十百]+部分", t):
        return 1
    if re.match(r"^[一二三四五六七八九十百]+、", t):
        return 2
    if re.match(r"^[（(][一二三四五六七八九十百]+[）)]", t):
        return 3
    if re.match(r"^\d+[、.．](?!\d)", t):
        return 4
    if re.match(r"^[（(]\d+[）)]", t):
        return 5
    return None


@lru_cache(maxsize=1 << 16)
def label_key(text: str) -> str:
    """The lookup key of a row label: no ordinal, no spaces, no unit or 类/款/项 suffix."""
    t = strip_ordinal(squash(text))
    t = _UNIT_SUFFIX.sub("", t)
    t = _CLASS_SUFFIX.sub("", t)
    return t


def code_of(text: str) -> str | None:
    """A subject code (3/5/7-digit functional, 3/5-digit economic) or None."""
    t = squash(text)
    if re.fullmatch(r"\d{3}(?:\d{2}){0,2}", t):
        return t
    return None
