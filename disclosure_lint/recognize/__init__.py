"""Document + pack table schemas -> Report.

Tables are identified by their printed code (公开03表, possibly split over lines) or by their
title; a grid with no caption of its own right after a recognized table is its continuation on
the next page. Prose becomes sections whose depth comes from the outline numbering
(第一部分 / 一、 / （一） / 1、), not from Markdown heading levels.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..labels import label_key, ordinal_rank, squash
from ..model import Cell, Document, Heading, Location, Paragraph, RawTable, Report, Section, Segment, Table
from ..packs.schema import TableSpec
from .facts import heading_table, page_table, printed_tables, toc_table
from .forms import recognize_forms
from .grid import EMPTY_NOTE, build_rows, header_end
from .meta import read_meta
from .reading import check_reading, settle_units, unread_problem
from .titles import match_code, match_title

_NOISE = re.compile(
    r"^(?:[-—–－]?\s*\d{1,3}\s*[-—–－]?|第\d+页(?:[/，,]?共\d+页)?|\d+/\d+|续表|（续）|\(续\)|"
    r"(?:金额)?单位[:：].{0,8}|部门名称[:：].{0,40}|单位名称[:：].{0,40}|编制(?:部门|单位)[:：].{0,40}|\d{4}年度?)$"
)
_NOTE_START = re.compile(r"^(?:注|说明|备注)\s*[\d一二三四五六七八九十]*\s*[:：]")
_HEADING_MAX = 40
_PROSE_CELL = 12


def _is_noise(p: Paragraph | Heading) -> bool:
    return bool(_NOISE.match(squash(p.text)))


def _heading_like(p: Paragraph) -> bool:
    t = p.text.strip()
    return (
        ordinal_rank(t) is not None
        and len(t) <= _HEADING_MAX
        and not re.search(r"[。；;，,：:]$", t)
        and "：" not in t[:-1]
        and ":" not in t
    )


def _identify(context: list[Paragraph | Heading], raw: RawTable, specs: list[TableSpec]) -> TableSpec | None:
    """The table's schema by its printed code, else its title; a title naming another table than the
    code wins, since codes are numbered differently by region (Shanghai prints 三公 as table 7)."""
    joined = "".join(squash(b.text) for b in context[-8:])
    by_code = match_code(joined, specs)
    by_title = next((s for b in reversed(context[-8:]) if (s := match_title(b.text, specs)) is not None), None)
    if by_code is not None or by_title is not None:
        return by_title or by_code
    for row in raw.rows[:2]:
        cells = [c for c in row if c.text]
        if len(cells) == 1:
            spec = match_title(cells[0].text, specs)
            if spec is not None:
                return spec
    return None


def _names(block: Paragraph | Heading, spec: TableSpec | None) -> bool:
    return spec is not None and (
        match_title(block.text, [spec]) is not None or match_code(block.text, [spec]) is not None
    )


def _merge(first: RawTable, more: RawTable) -> RawTable:
    """Append a continuation, dropping a repeated header. Printed grids are aligned by position, not
    by slot number: a continuation page holding only the 合计 row may merge its key columns into one
    cell, so its amounts sit in fewer slots than the columns they belong to."""
    texts = [[squash(c.text) for c in r] for r in first.rows]
    n_header, _ = header_end(texts)
    header_set = {tuple(t for t in r if t) for r in texts[:n_header]}
    rows = list(more.rows)
    while rows and tuple(squash(c.text) for c in rows[0] if c.text) in header_set:
        rows = rows[1:]
    starts = _column_starts(first)
    if starts is not None and more.loc.bbox is not None:
        rows = [_realign(r, starts, more.loc.bbox) for r in rows]
    return RawTable(first.rows + rows, first.loc)


def _column_starts(table: RawTable) -> list[float] | None:
    """Where each column of a printed grid starts, relative to the grid's width (None for text grids)."""
    box = table.loc.bbox
    width = max((len(r) for r in table.rows), default=0)
    if box is None or not width or box[2] <= box[0]:
        return None
    starts: list[float] = []
    for j in range(width):
        xs = [
            r[j].loc.bbox[0]
            for r in table.rows
            if j < len(r) and r[j].loc.bbox is not None and r[j].loc.page == table.loc.page
        ]
        if not xs:
            return None
        starts.append((min(xs) - box[0]) / (box[2] - box[0]))
    return starts


def _realign(row: list[Cell], starts: list[float], box: tuple[float, float, float, float]) -> list[Cell]:
    """A continuation row laid out on the first part's columns: each cell goes to the column that
    starts nearest to where it starts (a cell spanning columns lands in the first one)."""
    if any(c.loc.bbox is None for c in row):
        return row
    out: list[Cell | None] = [None] * len(starts)
    for cell in row:
        rel = (cell.loc.bbox[0] - box[0]) / max(box[2] - box[0], 1e-6)
        j = min(range(len(starts)), key=lambda k: abs(starts[k] - rel))
        if out[j] is None or not out[j].text:
            out[j] = cell
        elif cell.text:
            out[j] = Cell(f"{out[j].text} {cell.text}", out[j].loc)
    blank = row[-1].loc if row else None
    return [c if c is not None else Cell("", blank) for c in out]


def _caption_row(row: list[Cell], specs: list[TableSpec]) -> bool:
    texts = [c.text for c in row if c.text.strip()]
    return all(_NOISE.match(squash(t)) or match_title(t, specs) or match_code(t, specs) for t in texts)


def _lift_captions(blocks: list, specs: list[TableSpec]) -> list:
    """Caption lines printed inside a table's ruled frame (its title, 编制单位, ``单位：元``) are
    taken out of the grid and put before it, where captions normally stand, so the table is
    identified and its unit read the same way wherever the producer drew the frame."""
    out: list = []
    for block in blocks:
        if not isinstance(block, RawTable):
            out.append(block)
            continue
        lead = 0
        while lead < len(block.rows) and _caption_row(block.rows[lead], specs):
            lead += 1
        if lead == 0 or lead == len(block.rows):
            out.append(block)
            continue
        for row in block.rows[:lead]:
            for cell in row:
                if cell.text.strip():
                    out.append(Paragraph(cell.text, cell.loc, [Segment(0, len(cell.text), cell.loc)], role="caption"))
        out.append(RawTable(block.rows[lead:], block.loc))
    return out


def recognize(doc: Document, specs: list[TableSpec]) -> Report:
    """Find every schema table in the document and normalize it; collect sections and meta."""
    pieces: list[tuple[TableSpec | None, RawTable, list[int]]] = []
    context: list[Paragraph | Heading] = []
    table_specs = [s for s in specs if not s.attachment]
    doc = replace(doc, blocks=_lift_captions(doc.blocks, table_specs))
    for idx, block in enumerate(doc.blocks):
        if isinstance(block, RawTable):
            spec = _identify(context, block, table_specs)
            prev = pieces[-1][0] if pieces else None
            # A caption repeated over the continuation (Excel's print titles) does not start a new table.
            substantive = [b for b in context if not _is_noise(b) and not _names(b, prev)]
            continued = prev is not None and not substantive and spec in (None, prev)
            if continued:
                prev_spec, prev_raw, indices = pieces[-1]
                pieces[-1] = (prev_spec, _merge(prev_raw, block), [*indices, idx])
            else:
                pieces.append((spec, block, [idx]))
            context = []
        else:
            context.append(block)

    tables: dict[str, Table] = {}
    unmatched: list[RawTable] = []
    problems = list(doc.problems)
    unreadable = {p.loc for p in doc.problems if p.code == "E.FORMULA"}
    owner_of_block: dict[int, str] = {}
    printed: list[tuple[TableSpec, int, Location]] = []
    for spec, raw, indices in pieces:
        idx = indices[0]
        if spec is None:
            unmatched.append(raw)
            continue
        title_loc = _title_loc(doc, idx, spec) or raw.loc
        printed.append((spec, idx, title_loc))
        if spec.id in tables:
            unmatched.append(raw)
            continue
        result = build_rows(spec, raw)
        problems.extend(result.problems)
        _mark_unreadable(result.rows, unreadable)
        table = Table(
            spec.id,
            spec.title,
            result.rows,
            title_loc,
            notes=list(result.notes),
            columns=result.columns,
            blocks=result.blocks,
            unit=_unit_near(doc, idx) or result.unit,
        )
        table.reading = check_reading(spec, table, result)
        tables[spec.id] = table
        owner_of_block.update(dict.fromkeys(indices, spec.id))
    settle_units(tables)
    by_id = {s.id: s for s in table_specs}
    problems.extend(unread_problem(t, by_id[t.id]) for t in tables.values() if t.reading and not t.reading.ok)
    _attach_notes(doc, tables, owner_of_block)
    tables.update(recognize_forms(doc, specs))
    notes = {id(p) for t in tables.values() for p in t.notes}
    sections, paragraphs = build_sections(doc, set(owner_of_block), notes)
    headings = [
        _as_paragraph(b)
        for b in doc.blocks
        if isinstance(b, Heading) or (isinstance(b, Paragraph) and _heading_like(b))
    ]
    meta = read_meta(doc)
    return Report(
        doc.path,
        doc.format,
        meta,
        tables,
        sections,
        paragraphs,
        unmatched=unmatched,
        problems=problems,
        comments=list(doc.comments),
        headings=headings + doc.running,
        facts=_facts(doc, specs, printed, meta.department),
    )


def _as_paragraph(block: Heading | Paragraph) -> Paragraph:
    if isinstance(block, Paragraph):
        return block
    return Paragraph(block.text, block.loc, [Segment(0, len(block.text), block.loc)])


def _facts(
    doc: Document, specs: list[TableSpec], printed: list[tuple[TableSpec, int, Location]], department: str | None
) -> dict[str, Table]:
    """The document facts the pack can read (``facts.FACT_SPECS``)."""
    wanted = {s.id for s in specs if s.layout == "facts"}
    out: dict[str, Table] = {}
    if "页面" in wanted and (pages := page_table(doc)) is not None:
        out["页面"] = pages
    if "标题" in wanted:
        out["标题"] = heading_table(doc)
    if "表格" in wanted:
        out["表格"] = printed_tables(doc, printed)
    if "目录" in wanted and (toc := toc_table(doc, specs, printed, department)) is not None:
        out["目录"] = toc
    return out


def _mark_unreadable(rows: list, unreadable: set[Location]) -> None:
    """Cells the reader could not read (already reported) must not count as zero in any rule."""
    if not unreadable:
        return
    for row in rows:
        for name, value in row.cells.items():
            if value.loc in unreadable:
                row.cells[name] = replace(value, blank=False, unreadable=True)


def _title_loc(doc: Document, idx: int, spec: TableSpec) -> Location | None:
    """Where the table's caption is printed, so 'table missing note' points at it."""
    for j in range(idx - 1, max(-1, idx - 10), -1):
        block = doc.blocks[j]
        if isinstance(block, RawTable):
            break
        if match_title(block.text, [spec]) or match_code(block.text, [spec]):
            return block.loc
    return None


def _unit_near(doc: Document, idx: int) -> str | None:
    for j in range(idx - 1, max(-1, idx - 10), -1):
        block = doc.blocks[j]
        if isinstance(block, RawTable):
            break
        m = re.search(r"单位[:：]\s*(万元|元|千元|亿元)", squash(block.text))
        if m:
            return m.group(1)
    return None


def _attach_notes(doc: Document, tables: dict[str, Table], owners: dict[int, str]) -> None:
    """Paragraphs right after a table that start with 注/说明 or match its empty-note pattern."""
    current: str | None = None
    for idx, block in enumerate(doc.blocks):
        if isinstance(block, RawTable):
            current = owners.get(idx)
            continue
        if isinstance(block, Heading):
            current = None
            continue
        if current is None:
            continue
        text = squash(block.text)
        # A template line that leads into the note (``…并在本表下方作下述说明：``) keeps the note zone open.
        if _NOTE_START.match(text) or EMPTY_NOTE.search(text) or re.search(r"[：:]$", text):
            tables[current].notes.append(block)
        elif not _is_noise(block):
            current = None


def _prose_cells(table: RawTable) -> list[Paragraph]:
    """Sentences typed into the cells of a table that is not a disclosure table (e.g. the 自评结论
    of a 绩效自评表): narrative rules must see them too."""
    out = []
    for row in table.rows:
        for cell in row:
            text = cell.text
            if len(text) >= _PROSE_CELL and re.search(r"[\u4e00-\u9fff]", text) and re.search(r"[，。；]", text):
                out.append(Paragraph(text, cell.loc, [Segment(0, len(text), cell.loc)], role="cell"))
    return out


def build_sections(
    doc: Document, owned: set[int] | frozenset[int] = frozenset(), notes: set[int] | frozenset[int] = frozenset()
) -> tuple[list[Section], list[Paragraph]]:
    """Outline of the prose. Depth comes from numbering when present, else from heading marks.
    Blocks listed in ``owned`` are disclosure tables and contribute no prose. Paragraphs in ``notes``
    (by identity) are printed under a table: report text, but not the narrative of the section they
    sit in, so a table's “本表无数据” never answers for a 情况说明 that must say so itself."""
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    stack: list[int] = []
    for idx, block in enumerate(doc.blocks):
        if isinstance(block, RawTable):
            if idx not in owned:
                for para in _prose_cells(block):
                    paragraphs.append(para)
                    if stack:
                        sections[stack[-1]].paragraphs.append(para)
            continue
        is_heading = isinstance(block, Heading) or _heading_like(block)
        if is_heading:
            rank = ordinal_rank(block.text)
            level = rank if rank is not None else (block.level if isinstance(block, Heading) else 6)
            while stack and sections[stack[-1]].level >= level:
                stack.pop()
            parent = stack[-1] if stack else None
            sections.append(Section(block.text.strip(), level, block.loc, [], parent))
            stack.append(len(sections) - 1)
            continue
        paragraphs.append(block)
        if stack and id(block) not in notes:
            sections[stack[-1]].paragraphs.append(block)
    return sections, paragraphs


def section_matches(section: Section, name: str) -> bool:
    """A section is named by its title without numbering, e.g. 支出决算情况说明."""
    return label_key(section.title) == label_key(name)
