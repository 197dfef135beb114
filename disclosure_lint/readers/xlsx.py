"""XLSX reader (openpyxl): visible sheets in workbook order -> Headings, Paragraphs and RawTables.

A sheet may hold one table, several tables stacked, or prose. Rows are read top to bottom: a blank
row or a caption row (表号, 表名, 编制单位, 金额单位, 年度) ends a table, and a note row (注：/说明：)
ends it and becomes a paragraph. Before a table, single-cell rows are prose; inside a table they
stay rows (section captions, an empty 合计 row). Bold short cells outside tables are headings, their
level ranked by font size. Numbers become the text the printed sheet shows (see ``numfmt``);
formulas use their cached results, and a formula without one is reported as ``E.FORMULA``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from openpyxl.utils import get_column_letter

from ..errors import InputError
from ..labels import ordinal_rank
from ..model import Block, Cell, Document, Heading, Location, Paragraph, Problem, RawTable, Segment
from .numfmt import format_number
from .xlsx_file import open_workbooks

_NOTE = re.compile(r"^(?:注|说明|备注)\s*[\d一二三四五六七八九十]*\s*[:：]")
_CODE_CELL = re.compile(r"^(?:公开|附)?\s*0?\d{1,2}\s*表$|^公开\s*0?\d{1,2}$|^(?:附)?表\s*\d{1,2}$")
_LABEL_CELL = re.compile(r"^(?:(?:金额)?单位|部门名称|单位名称|部门|编制(?:部门|单位)|填报(?:部门|单位))\s*[:：]")
_YEAR_CELL = re.compile(r"^\d{4}\s*年度?$")
_TITLE_CELL = re.compile(r"表\s*(?:[（(]续(?:表)?[）)]|续表)?$")
_SENTENCE_END = re.compile(r"[。；;，,：:！!？?]$")
_DEFAULT_SHEET = re.compile(r"^(?:Sheet|工作表)\s*\d+(?:\s*\(\d+\))?$", re.IGNORECASE)
_TITLE_MAX = 60
_HEADING_MAX = 60
_MAX_LEVEL = 6
MAX_GRID_CELLS = 1_000_000
"""Rows x columns of all tables emitted: a stray value far to the right would otherwise pad every row."""


@dataclass(slots=True)
class _Entry:
    """A visible, non-empty cell."""

    text: str
    loc: Location
    bold: bool
    size: float


def read_xlsx(path: str | Path, data: bytes | None = None) -> Document:
    """Read an XLSX workbook into the same Document the text reader produces."""
    spath = str(path)
    values, formulas = open_workbooks(Path(path), data)
    out = _Output(spath)
    for ws in values.worksheets:
        if ws.sheet_state != "visible":
            continue
        fws = formulas[ws.title] if formulas is not None else None
        _SheetReader(ws, fws, out).read()
    out.assign_heading_levels()
    if not out.blocks:
        raise InputError("工作簿中没有任何内容（所有可见工作表均为空）", spath)
    return Document(spath, "xlsx", out.blocks, out.problems)


class _Output:
    """Blocks and problems of the whole workbook, and the heading font sizes that rank levels."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.blocks: list[Block] = []
        self.problems: list[Problem] = []
        self.headings: list[tuple[Heading, float]] = []
        self.grid_cells = 0

    def prose(self, entry: _Entry) -> None:
        lines = [ln.strip() for ln in entry.text.splitlines()]
        if _heading_like(entry, lines):
            heading = Heading(lines[0], 0, entry.loc)
            self.blocks.append(heading)
            self.headings.append((heading, entry.size))
            return
        para: list[str] = []
        for ln in [*lines, ""]:
            if ln:
                para.append(ln)
            elif para:
                text = "".join(para)
                self.blocks.append(Paragraph(text, entry.loc, [Segment(0, len(text), entry.loc)]))
                para = []

    def table(self, rows: list[list[Cell]], sheet: str) -> None:
        self.grid_cells += len(rows) * len(rows[0])
        if self.grid_cells > MAX_GRID_CELLS:
            raise InputError(
                f"工作表“{sheet}”中的表格范围过大（所有表格合计超过 {MAX_GRID_CELLS} 个单元格）", self.path
            )
        self.blocks.append(RawTable(rows, rows[0][0].loc))

    def assign_heading_levels(self) -> None:
        """The largest heading font is level 1, the next size level 2, and so on."""
        sizes = sorted({size for _, size in self.headings}, reverse=True)
        rank = {size: min(i + 1, _MAX_LEVEL) for i, size in enumerate(sizes)}
        for heading, size in self.headings:
            heading.level = rank[size]


def _heading_like(entry: _Entry, lines: list[str]) -> bool:
    text = lines[0] if len(lines) == 1 else ""
    return (
        entry.bold
        and bool(text)
        and len(text) <= _HEADING_MAX
        and not _SENTENCE_END.search(text)
        and not _NOTE.match(text)
        and not _LABEL_CELL.match(text)
    )


def _caption_cell(text: str) -> str | None:
    """Which kind of caption a cell is: code, label, year or title; None for anything else."""
    t = "".join(text.split())
    if _CODE_CELL.match(t):
        return "code"
    if _LABEL_CELL.match(t):
        return "label"
    if _YEAR_CELL.match(t):
        return "year"
    if _TITLE_CELL.search(t) and len(t) <= _TITLE_MAX and "：" not in t and ":" not in t:
        return "title"
    return None


def _is_caption_row(entries: list[_Entry]) -> bool:
    """A row of table captions: one caption cell, or several with at least one code or label."""
    kinds = [_caption_cell(e.text) for e in entries]
    if any(k is None for k in kinds):
        return False
    return len(kinds) == 1 or any(k in ("code", "label") for k in kinds)


class _SheetReader:
    def __init__(self, ws, fws, out: _Output) -> None:
        self.ws = ws
        self.fws = fws
        self.out = out
        self.sheet = ws.title
        self.grid: dict[int, dict[int, _Entry]] = {}
        self.spans: dict[tuple[int, int], int] = {}
        self.continued: set[int] = set()
        self.hidden_rows: set[int] = set()
        self.hidden_cols: set[int] = set()
        self.table: list[int] = []
        self.held: tuple[int, _Entry] | None = None
        self.started = False

    def loc(self, row: int, col: int) -> Location:
        return Location(self.out.path, sheet=self.sheet, cell=f"{get_column_letter(col)}{row}")

    def read(self) -> None:
        self._collect()
        prev: int | None = None
        for r in sorted(set(self.grid) | self.continued):
            if prev is not None and any(x not in self.hidden_rows for x in range(prev + 1, r)):
                self._flush()
                self._release()
            prev = r
            self._row(r)
        self._flush()
        self._release()

    def _collect(self) -> None:
        ws = self.ws
        hidden_rows = self.hidden_rows
        hidden_cols = self.hidden_cols
        hidden_rows.update(r for r, dim in ws.row_dimensions.items() if dim.hidden)
        for dim in ws.column_dimensions.values():
            if dim.hidden and dim.min is not None:
                hidden_cols.update(range(dim.min, (dim.max or dim.min) + 1))
        # openpyxl's public iterators walk the whole bounding box and create a cell for every gap;
        # the cell map holds only the cells present in the file.
        for (r, c), cell in sorted(ws._cells.items()):
            if r in hidden_rows or c in hidden_cols:
                continue
            text = self._text(cell, r, c)
            if text:
                # Only text can be a heading; reading a cell's font is costly in openpyxl.
                font = cell.font if isinstance(cell.value, str) else None
                bold, size = (bool(font.b), float(font.sz or 11)) if font is not None else (False, 11.0)
                self.grid.setdefault(r, {})[c] = _Entry(text, self.loc(r, c), bold, size)
        for rng in ws.merged_cells.ranges:
            anchor = (rng.min_row, rng.min_col)
            if anchor[1] in self.grid.get(anchor[0], {}):
                self.spans[anchor] = rng.max_col
                self.continued.update(r for r in range(rng.min_row + 1, rng.max_row + 1) if r not in hidden_rows)

    def _text(self, cell, row: int, col: int) -> str:
        value = cell.value
        if value is None:
            self._check_formula(cell, row, col)
            return ""
        if cell.data_type == "e":
            self.out.problems.append(
                Problem("E.FORMULA", f"单元格显示错误值 {value}，无法读取数值", self.loc(row, col))
            )
            return ""
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, (int, float, Decimal)):
            return format_number(value, cell.number_format)
        if isinstance(value, datetime):
            return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
        if isinstance(value, (date, time)):
            return value.isoformat()
        if isinstance(value, timedelta):
            return str(value)
        return str(value).strip()

    def _check_formula(self, cell, row: int, col: int) -> None:
        """A formula whose result was never saved: the printed value is unknown, not blank."""
        if self.fws is None or cell.data_type == "str":
            return
        fcell = self.fws._cells.get((row, col))
        if fcell is None or fcell.data_type != "f":
            return
        formula = str(getattr(fcell.value, "text", None) or fcell.value)
        if not formula.startswith("="):
            formula = "=" + formula
        if len(formula) > 40:
            formula = formula[:39] + "…"
        self.out.problems.append(
            Problem(
                "E.FORMULA",
                f"公式 {formula} 没有保存计算结果，无法读取数值（请在 Excel 中打开并重新保存）",
                self.loc(row, col),
            )
        )

    def _row(self, r: int) -> None:
        cols = self.grid.get(r, {})
        entries = [cols[c] for c in sorted(cols)]
        if not entries:
            if self.table:
                self.table.append(r)
            return
        if _is_caption_row(entries) or (len(entries) == 1 and _NOTE.match(entries[0].text)):
            self._flush()
            self._release()
            for e in entries:
                self._prose(e)
            return
        if len(entries) >= 2 or self.table:
            if not self.table and self.held is not None:
                self.table.append(self.held[0])
            self.table.append(r)
            return
        self._release()
        self.held = (r, entries[0])

    def _prose(self, entry: _Entry) -> None:
        self.started = True
        self.out.prose(entry)

    def _release(self) -> None:
        """The single-cell row held back in case it heads the table below is prose after all."""
        if self.held is not None:
            self._prose(self.held[1])
            self.held = None

    def _heads_table(self, rows: list[int]) -> bool:
        """A row right above a table belongs to it when rows inside carry the same numbering
        (一、政府采购情况 above the header, 二、机关运行经费 further down); a heading does not."""
        head = self.held[1].text if self.held is not None and rows[0] == self.held[0] else None
        rank = ordinal_rank(head) if head is not None else None
        if rank is None:
            return False
        for r in rows[1:]:
            cols = self.grid.get(r, {})
            if len(cols) == 1 and ordinal_rank(next(iter(cols.values())).text) == rank:
                return True
        return False

    def _flush(self) -> None:
        if not self.table:
            return
        rows, self.table = self.table, []
        if self.held is not None and rows[0] == self.held[0]:
            if not self._heads_table(rows):
                rows = rows[1:]
                self._release()
            self.held = None
        used = [c for r in rows for c in self.grid.get(r, {})]
        ends = [self.spans.get((r, c), c) for r in rows for c in self.grid.get(r, {})]
        if not used:
            return
        if not self.started and not _DEFAULT_SHEET.match(self.sheet):
            # A sheet that starts with its table is often named after it (公开03表).
            loc = Location(self.out.path, sheet=self.sheet)
            self.out.blocks.append(Paragraph(self.sheet, loc, [Segment(0, len(self.sheet), loc)]))
        self.started = True
        cols = [c for c in range(min(used), max(ends) + 1) if c not in self.hidden_cols]
        grid = [[self._cell(r, c) for c in cols] for r in rows]
        self.out.table(grid, self.sheet)

    def _cell(self, r: int, c: int) -> Cell:
        entry = self.grid.get(r, {}).get(c)
        return Cell(" ".join(entry.text.split()), entry.loc) if entry else Cell("", self.loc(r, c))
