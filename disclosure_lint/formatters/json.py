"""A JSON array; every diagnostic has exactly the keys of the documented contract."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ..model import Diagnostic
from . import RenderContext


def number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def as_dict(d: Diagnostic, ctx: RenderContext) -> dict[str, Any]:
    """The documented keys; ``pack`` is the pack the file was checked with (null for an unreadable file)."""
    loc = d.loc
    return {
        "path": loc.path,
        "rule": d.rule,
        "severity": d.severity,
        "message": d.message,
        "line": loc.line,
        "column": loc.col,
        "end_line": loc.end_line,
        "end_column": loc.end_col,
        "page": loc.page,
        "table": d.table,
        "row": d.row,
        "column_name": d.column_name,
        "expected": number(d.expected),
        "actual": number(d.actual),
        "fingerprint": d.fingerprint,
        "pack": ctx.file_packs.get(loc.path),
    }


def render(diagnostics: list[Diagnostic], ctx: RenderContext) -> str:
    return json.dumps([as_dict(d, ctx) for d in diagnostics], ensure_ascii=False, indent=2) + "\n"
