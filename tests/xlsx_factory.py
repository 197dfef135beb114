"""Writes a report read by the text reader back out as an XLSX workbook, in the layouts departments use.

Each table goes to a sheet with its captions (title, 公开NN表, 部门名称, 年度, 金额单位) above it and
its notes below; prose goes to sheets of its own, one paragraph per row, headings bold with a font
size per level. openpyxl does not compute formulas, so a formula's cached result is written into
the sheet XML after saving.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from disclosure_lint.labels import label_key, squash
from disclosure_lint.model import Document, Heading, Paragraph, RawTable
from disclosure_lint.numbers import parse_amount
from disclosure_lint.recognize.grid import header_end

_CAPTION = re.compile(r"表$|^公开\d{1,2}(?:表)?$|^(?:金额)?单位[:：]|^部门名称[:：]|^单位名称[:：]|^\d{4}年度$")
_SIDE_CAPTION = re.compile(r"^(?:金额)?单位[:：]|^部门名称[:：]|^单位名称[:：]|^\d{4}年度$")
_NOTE = re.compile(r"^(?:注|说明)[:：]")
_CODE = re.compile(r"公开(\d{1,2})")
HEADING_SIZES = {1: 18, 2: 16, 3: 14, 4: 13, 5: 12, 6: 11.5}
FORMULA_TABLE = "公开03表"


@dataclass(frozen=True)
class Layout:
    stacked: bool = False
    """Consecutive tables share one sheet."""
    blank_between: bool = True
    """A blank row between stacked tables; without it only the caption rows separate them."""
    merged: bool = False
    """Spanning headers and 合计 labels merged, side captions on one row, title and notes merged across."""
    numbers_as_text: bool = False
    thousands: bool = False
    """Amounts formatted ``#,##0.00`` instead of ``0.00``."""
    captions: bool = True
    """False: no caption rows; a table with a code gets a sheet named after it."""
    formula: str | None = None
    """``cached`` or ``missing``: 公开03表's 合计 本年支出合计 becomes a SUM formula."""


@dataclass
class Built:
    path: Path
    formula_cell: tuple[str, str] | None = None
    formula_value: str | None = None


@dataclass
class _Group:
    captions: list[Heading | Paragraph]
    table: RawTable | None
    notes: list[Paragraph]
    prose: list[Heading | Paragraph]

    def code(self) -> str | None:
        m = _CODE.search("".join(squash(b.text) for b in self.captions))
        return f"公开{int(m.group(1)):02d}表" if m else None


def _caption_like(block) -> bool:
    return isinstance(block, (Heading, Paragraph)) and bool(_CAPTION.search(squash(block.text)))


def groups(doc: Document) -> list[_Group]:
    """Prose runs and tables, each table with the caption run before it and the notes after it."""
    out: list[_Group] = []
    prose: list = []
    i = 0
    blocks = doc.blocks
    while i < len(blocks):
        block = blocks[i]
        if not isinstance(block, RawTable):
            prose.append(block)
            i += 1
            continue
        k = len(prose)
        while k > 0 and _caption_like(prose[k - 1]):
            k -= 1
        captions = prose[k:]
        if prose[:k]:
            out.append(_Group([], None, [], prose[:k]))
        prose = []
        j = i + 1
        notes = []
        while j < len(blocks) and isinstance(blocks[j], Paragraph) and _NOTE.match(squash(blocks[j].text)):
            notes.append(blocks[j])
            j += 1
        out.append(_Group(captions, block, notes, []))
        i = j
    if prose:
        out.append(_Group([], None, [], prose))
    return out


class _Writer:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.ws = None
        self.row = 1
        self.last_was_table = False
        self.formula: tuple[str, str, str] | None = None

    def new_sheet(self, name: str) -> None:
        taken = set(self.wb.sheetnames)
        if name in taken:
            name = f"Sheet{len(taken) + 1}"
        self.ws = self.wb.create_sheet(name)
        self.row = 1

    def prose(self, blocks: list) -> None:
        self.new_sheet(f"文字{len(self.wb.sheetnames) + 1}")
        for block in blocks:
            self.text_row(block, 1)
        self.last_was_table = False

    def text_row(self, block, width: int) -> None:
        cell = self.ws.cell(self.row, 1, block.text)
        if isinstance(block, Heading):
            cell.font = Font(bold=True, size=HEADING_SIZES[min(block.level, 6)])
        if self.layout.merged and width > 1:
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=width)
        self.row += 1

    def table_group(self, g: _Group) -> None:
        code = g.code()
        keep_captions = self.layout.captions or code is None
        if self.layout.stacked and self.last_was_table:
            self.row += 1 if self.layout.blank_between else 0
        elif not keep_captions:
            self.new_sheet(code)
        else:
            self.new_sheet(code or f"Sheet{len(self.wb.sheetnames) + 1}")
        texts = [[c.text for c in r] for r in g.table.rows]
        width = max(len(r) for r in texts)
        if keep_captions:
            self.captions(g.captions, width)
        self.grid(texts, width, code)
        for note in g.notes:
            self.text_row(note, width)
        self.last_was_table = True

    def captions(self, captions: list, width: int) -> None:
        i = 0
        while i < len(captions):
            j = i
            while j < len(captions) and _SIDE_CAPTION.match(squash(captions[j].text)):
                j += 1
            if self.layout.merged and j - i >= 2 and width >= j - i:
                cols = [1 + (width - 1) * n // (j - i - 1) for n in range(j - i)]
                for col, block in zip(cols, captions[i:j], strict=True):
                    self.ws.cell(self.row, col, block.text)
                self.row += 1
                i = j
                continue
            self.text_row(captions[i], width)
            i += 1

    def grid(self, texts: list[list[str]], width: int, code: str | None) -> None:
        ws = self.ws
        top = self.row
        for i, row in enumerate(texts):
            for j, text in enumerate(row):
                if text:
                    self.value(ws.cell(top + i, j + 1), text)
        if self.layout.merged:
            self.merge(texts, width, top)
        if code == FORMULA_TABLE and self.layout.formula:
            self.add_formula(texts, top)
        self.row = top + len(texts)

    def value(self, cell, text: str) -> None:
        parsed = None if self.layout.numbers_as_text else parse_amount(text)
        if parsed is None or f"{parsed[0]:.{parsed[1]}f}" != text:
            cell.value = text
            return
        amount, decimals = parsed
        if decimals == 0:
            cell.value = int(amount)
            return
        cell.value = float(amount)
        cell.number_format = ("#,##0." if self.layout.thousands else "0.") + "0" * decimals

    def merge(self, texts: list[list[str]], width: int, top: int) -> None:
        grid = [r + [""] * (width - len(r)) for r in texts]
        n_header, _ = header_end([[squash(t) for t in r] for r in grid])
        covered: set[tuple[int, int]] = set()
        for i in range(n_header):
            for j in range(width):
                if not grid[i][j] or (i, j) in covered:
                    continue
                k = j + 1
                while (
                    k < width
                    and not grid[i][k]
                    and (i, k) not in covered
                    and any(grid[x][k] for x in range(i + 1, n_header))
                ):
                    k += 1
                down = i + 1
                while k == j + 1 and down < n_header and not grid[down][j] and (down, j) not in covered:
                    down += 1
                if k > j + 1 or down > i + 1:
                    self.ws.merge_cells(start_row=top + i, start_column=j + 1, end_row=top + down - 1, end_column=k)
                    covered.update((x, y) for x in range(i, down) for y in range(j, k))
        for i in range(n_header, len(grid)):
            row = grid[i]
            if width > 2 and row[0] and not row[1] and parse_amount(row[0]) is None and any(row[2:]):
                self.ws.merge_cells(start_row=top + i, start_column=1, end_row=top + i, end_column=2)

    def add_formula(self, texts: list[list[str]], top: int) -> None:
        i = next(n for n, r in enumerate(texts) if r and label_key(r[0]) == "合计")
        cell = self.ws.cell(top + i, 3)
        cell.value = f"=SUM(D{top + i}:H{top + i})"
        cell.number_format = "0.00"
        self.formula = (self.ws.title, cell.coordinate, texts[i][2])


def build_xlsx(doc: Document, path: Path, layout: Layout = Layout()) -> Built:
    """Write ``doc`` as a workbook at ``path`` in the given layout."""
    w = _Writer(layout)
    for g in groups(doc):
        if g.table is None:
            w.prose(g.prose)
        else:
            w.table_group(g)
    w.wb.save(path)
    if w.formula is None:
        return Built(path)
    sheet, coord, cached = w.formula
    index = w.wb.sheetnames.index(sheet) + 1
    set_cached_value(path, f"xl/worksheets/sheet{index}.xml", coord, cached if layout.formula == "cached" else None)
    return Built(path, (sheet, coord), cached)


def set_cached_value(path: Path, part: str, coord: str, value: str | None, text: bool = False) -> None:
    """Store a formula's cached result in the saved file, as Excel would after computing it.

    ``None`` leaves no result at all, as a program that never computed the formula does; ``text``
    stores a string result (``""`` for a formula such as ``=IF(x=0,"",x)``).
    """
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    xml = parts[part].decode("utf-8")
    # openpyxl writes an empty result as <v/>, or as <v></v> when it writes through lxml.
    pattern = re.compile(rf'<c r="{coord}"([^>]*)>(<f>[^<]*</f>)(?:<v\s*/>|<v></v>)')

    def cached(m: re.Match) -> str:
        attrs = m.group(1) + (' t="str"' if text else "")
        result = "" if value is None else f"<v>{value}</v>"
        return f'<c r="{coord}"{attrs}>{m.group(2)}{result}'

    new, n = pattern.subn(cached, xml)
    assert n == 1, f"formula cell {coord} not found in {part}"
    parts[part] = new.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
