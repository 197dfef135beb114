"""A JSON array; every diagnostic has exactly the keys of the documented contract.

Locations are given as SARIF gives them: a PDF box is ``[x0, top, x1, bottom]`` in points from the
top-left of the page as displayed (pdfplumber's convention), an XLSX place is a sheet and a cell, and
``related`` lists the other places of the finding (the other terms of a broken sum) in the same form.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ..model import Diagnostic, Location
from . import RenderContext


def number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def bbox(loc: Location) -> list[float] | None:
    """The box rounded to a hundredth of a point: finer than any printed glyph, and stable to compare."""
    return [round(v, 2) for v in loc.bbox] if loc.bbox else None


def _place(loc: Location) -> dict[str, Any]:
    return {
        "path": loc.path,
        "line": loc.line,
        "column": loc.col,
        "end_line": loc.end_line,
        "end_column": loc.end_col,
        "page": loc.page,
        "bbox": bbox(loc),
        "sheet": loc.sheet,
        "cell": loc.cell,
    }


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
        "bbox": bbox(loc),
        "sheet": loc.sheet,
        "cell": loc.cell,
        "related": [{"message": r.message, **_place(r.loc)} for r in d.related],
        "pack": ctx.pack_of(loc.path),
    }


def render(diagnostics: list[Diagnostic], ctx: RenderContext) -> str:
    return json.dumps([as_dict(d, ctx) for d in diagnostics], ensure_ascii=False, indent=2) + "\n"
