"""The inspection ledger (检查台账): an XLSX workbook of a batch for the inspectors' superiors.

One sheet lists every finding with the department, year and kind of its report; one sheet sums up
each file; one sheet per rule family counts its rules' findings per file. Every sheet has a frozen
header row and an autofilter. The texts come from the checked documents, which anyone may have
written, so a text that a spreadsheet would run as a formula is stored as text and marked so.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Diagnostic
from . import RenderContext
from .summary import FAMILIES, FileFindings, by_file, family, family_label, rule_infos, where
from .text import SEVERITY_ZH

FINDING_COLUMNS = (
    ("文件", 40),
    ("部门", 24),
    ("年度", 7),
    ("类型", 7),
    ("页/行", 14),
    ("规则", 20),
    ("级别", 7),
    ("问题描述", 70),
    ("期望值", 14),
    ("实际值", 14),
    ("规则依据", 24),
    ("规则名称", 40),
)
FILE_COLUMNS = (
    ("文件", 40),
    ("部门", 24),
    ("年度", 7),
    ("类型", 7),
    ("规则包", 30),
    ("状态", 10),
    ("错误", 7),
    ("警告", 7),
    ("提示", 7),
    ("说明", 60),
)
# What a spreadsheet takes as the start of a formula (OWASP's list, with the full-width forms IMEs type).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8EAED")
_AMOUNT = "#,##0.00"


def render(diagnostics: list[Diagnostic], ctx: RenderContext) -> bytes:
    files = by_file(diagnostics, ctx)
    infos = rule_infos(diagnostics, ctx)
    book = Workbook()
    findings = book.active
    findings.title = "问题清单"
    _header(findings, FINDING_COLUMNS)
    for f in files:
        meta = f.file.meta
        for d in f.diagnostics:
            info = infos.get(d.rule)
            _row(
                findings,
                [
                    f.file.path,
                    meta and meta.department,
                    meta and meta.year,
                    meta and meta.kind,
                    where(d.loc),
                    d.rule,
                    SEVERITY_ZH[d.severity],
                    d.message,
                    d.expected,
                    d.actual,
                    info.ref if info else "",
                    d.title or (info.title if info else ""),
                ],
            )
    _files_sheet(book.create_sheet("文件汇总"), files)
    for code in _families(diagnostics):
        _family_sheet(book.create_sheet(_sheet_name(family_label(code))), code, files)
    for ws in book.worksheets:
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _families(diagnostics: list[Diagnostic]) -> list[str]:
    """Every standard family, so ledgers of different batches line up, then any other one found."""
    found = {family(d.rule) for d in diagnostics}
    return [*FAMILIES, *sorted(found - set(FAMILIES))]


def _files_sheet(ws: Worksheet, files: list[FileFindings]) -> None:
    _header(ws, FILE_COLUMNS)
    for f in files:
        meta = f.file.meta
        _row(
            ws,
            [
                f.file.path,
                meta and meta.department,
                meta and meta.year,
                meta and meta.kind,
                f.file.pack,
                f.status,
                f.count("error"),
                f.count("warning"),
                f.count("info"),
                f.file.error or "",
            ],
        )


def _family_sheet(ws: Worksheet, code: str, files: list[FileFindings]) -> None:
    rules = sorted({d.rule for f in files for d in f.diagnostics if family(d.rule) == code})
    _header(ws, (("文件", 40), ("部门", 24), *((r, max(12, len(r) + 2)) for r in rules), ("合计", 8)))
    for f in files:
        counts = [sum(1 for d in f.diagnostics if d.rule == r) for r in rules]
        _row(ws, [f.file.path, f.file.meta and f.file.meta.department, *counts, sum(counts)])


def _header(ws: Worksheet, columns: tuple[tuple[str, int], ...]) -> None:
    for i, (name, width) in enumerate(columns, 1):
        cell = ws.cell(1, i, name)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        ws.column_dimensions[get_column_letter(i)].width = width


def _row(ws: Worksheet, values: list) -> None:
    row = ws.max_row + 1
    for i, value in enumerate(values, 1):
        cell = ws.cell(row, i)
        if isinstance(value, Decimal):
            cell.value = value
            cell.number_format = _AMOUNT if value != value.to_integral_value() else "#,##0"
        elif isinstance(value, int) and not isinstance(value, bool):
            cell.value = value
        elif value:
            text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
            cell.value = text
            if text.startswith(_FORMULA_START):
                cell.data_type = "s"
                cell.quotePrefix = True
            if len(text) > 30:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _sheet_name(label: str) -> str:
    """Sheet names are at most 31 characters, without ``[]:*?/\\``."""
    return "".join(" " if ch in "[]:*?/\\" else ch for ch in label)[:31]
