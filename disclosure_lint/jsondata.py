"""JSON for the Python data it has no form of: tuples, bytes and mapping keys other than strings.

What is kept as data rather than pickled goes through here: Lark's parser tables, shipped beside the
grammar (``dsl.tables``), and the compiled patterns kept in the private cache folder (``matching``).
"""

from __future__ import annotations

import base64
from typing import Any

_TUPLE, _PAIRS, _BYTES = "__tuple__", "__pairs__", "__bytes__"


def encode(value: Any) -> Any:
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {_PAIRS: [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {_TUPLE: [encode(v) for v in value]}
    if isinstance(value, bytes):
        return {_BYTES: base64.b64encode(value).decode("ascii")}
    if isinstance(value, list):
        return [encode(v) for v in value]
    return value


def decode(value: Any) -> Any:
    if isinstance(value, dict):
        if _PAIRS in value:
            return {decode(k): decode(v) for k, v in value[_PAIRS]}
        if _TUPLE in value:
            return tuple(decode(v) for v in value[_TUPLE])
        if _BYTES in value:
            return base64.b64decode(value[_BYTES], validate=True)
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value
