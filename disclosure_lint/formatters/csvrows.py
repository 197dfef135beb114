"""One row per finding for spreadsheets: file, place, rule, severity, message, table, row, column.

Written with a UTF-8 byte-order mark so that Excel and WPS open the Chinese text correctly. A cell
that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is prefixed with ``'``, so a report cannot smuggle a formula into the
inspector's workbook.
"""

from __future__ import annotations

import csv
import io

from ..model import Diagnostic
from . import RenderContext

HEADER = ("file", "page", "line", "col", "cell", "rule", "severity", "message", "table", "row", "column")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def row(d: Diagnostic) -> list[str]:
    loc = d.loc
    cell = f"{loc.sheet}!{loc.cell}" if loc.sheet and loc.cell else loc.sheet
    values = (loc.path, loc.page, loc.line, loc.col, cell, d.rule, d.severity, d.message, d.table, d.row, d.column_name)
    return [escape(v) for v in values]


def render(diagnostics: list[Diagnostic], ctx: RenderContext) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(row(d) for d in diagnostics)
    return "\ufeff" + out.getvalue()
