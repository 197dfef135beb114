"""Raw grid + table schema -> normalized rows.

The grid may come from tab-separated text, pdfplumber or a spreadsheet, so nothing here relies on
exact positions: header rows are found by the 栏次 row or by the first data row, spanning headers
are widened only over the columns they visibly cover, value columns are matched by 栏次 number or
by header text, and repeated key columns split a block into side-by-side sub-blocks (公开06表).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from ..labels import code_of, label_key, squash
from ..model import Cell, Location, Paragraph, Problem, RawTable, Row, Segment, Value
from ..numbers import is_blank, not_amount_reason, parse_amount
from ..packs.schema import BlockSpec, ColumnSpec, TableSpec

CODE_HEADERS = frozenset(
    {
        "科目代码",
        "科目编码",
        "类",
        "款",
        "项",
        "支出功能分类",
        "经济分类",
        "功能分类",
        "功能分类科目编码",
        "经济分类科目编码",
        "部门预算经济分类科目编码",
        "支出功能分类科目编码",
    }
)
NAME_HEADERS = frozenset({"科目名称", "功能分类科目名称", "经济分类科目名称", "支出功能分类科目名称"})
LABEL_HEADERS = frozenset({"项目", "项目名称"})
LINE_HEADERS = frozenset({"行次"})
HEADER_WORDS = CODE_HEADERS | NAME_HEADERS | LABEL_HEADERS | LINE_HEADERS | {"栏次"}
_INT = re.compile(r"^\d{1,3}$")
# A money unit printed in a header cell: ``金额（万元）``, ``单位：元``.
_UNIT_HEADER = re.compile(r"[（(](万元|千元|亿元|元)[）)]|单位[:：](万元|千元|亿元|元)")
# A code printed in pieces, the 款 and 项 possibly without their leading zero: ``302 1``, ``201 3 1``.
_SPLIT_CODE = re.compile(r"^(\d{3})((?:\s+\d{1,2}){1,2})$")
_NOTE = re.compile(r"^(?:注|说明|备注)\s*\d*\s*[:：]")
EMPTY_NOTE = re.compile(r"本表无数据|本表为空表|本表无内容|无此项(?:收支|支出|收入)|故本表无数据")


@dataclass
class KeyCols:
    code: list[int] = field(default_factory=list)
    name: int | None = None
    label: int | None = None
    line: int | None = None

    def columns(self) -> list[int]:
        return [*self.code, *(c for c in (self.name, self.label, self.line) if c is not None)]


@dataclass
class SubBlock:
    block: BlockSpec
    keys: KeyCols
    values: dict[int, ColumnSpec]


@dataclass
class GridResult:
    rows: list[Row]
    notes: list[Paragraph]
    columns: list[str]
    blocks: list[str]
    header_rows: int
    problems: list[Problem] = field(default_factory=list)
    unit: str | None = None
    # Reading statistics for the table's reading check: amounts printed in the body, and how many
    # of them were taken into a row; rows whose subject code could not be read.
    printed: int = 0
    taken: int = 0
    bad_codes: list[str] = field(default_factory=list)
    # Headers of columns holding amounts that no column of the schema matched.
    unknown_headers: list[str] = field(default_factory=list)


def _lanci_numbers(texts: list[str]) -> list[int | None] | None:
    """If this row is the 栏次 row, return its numbers per column."""
    nums: list[int | None] = []
    seen: list[int] = []
    for t in texts:
        if not t or t == "栏次":
            nums.append(None)
        elif _INT.match(t):
            nums.append(int(t))
            seen.append(int(t))
        else:
            return None
    if len(seen) < 1 or seen[0] != 1 or any(b <= a for a, b in pairwise(seen)):
        return None
    if len(seen) == 1 and "栏次" not in texts:
        return None
    return nums


def _is_data_row(texts: list[str]) -> bool:
    numbers = 0
    labelled = False
    for t in texts:
        if not t:
            continue
        parsed = parse_amount(t)
        if parsed is not None and (parsed[1] > 0 or "," in t):
            return True
        if code_of(t) and len(t) >= 3:
            return True
        if parsed is not None:
            numbers += 1
        elif re.search(r"[\u4e00-\u9fff]", t) and t not in HEADER_WORDS and not _UNIT_HEADER.search(t):
            labelled = True
    # Amounts printed as whole numbers (``3712``, or 元 without decimals): a labelled row with a
    # number is data, and so is a row of numbers alone (the 三公 table has no label column).
    if numbers and labelled:
        return True
    if numbers >= 2 and numbers == sum(1 for t in texts if t) and _lanci_numbers(texts) is None:
        return True
    # A 合计 row with nothing but blanks (an empty table) is data; 合计 heading a column group
    # (the 三公 table: 合计 | 因公出国（境）费 | …) is a header. So is a lone 无 that an empty
    # table prints in its first body row: below the header, not part of it.
    filled = [t for t in texts if t]
    if filled in (["无"], ["无数据"]):
        return True
    return (
        bool(filled)
        and label_key(filled[0]) in {"合计", "总计"}
        and all(parse_amount(t) is not None or is_blank(t) for t in filled[1:])
    )


def _header_words(texts: list[str]) -> list[str]:
    return [t if t in HEADER_WORDS else "" for t in texts]


def header_end(texts: list[list[str]]) -> tuple[int, list[int | None] | None]:
    """Number of header rows and, if present, the 栏次 numbers."""
    for i, row in enumerate(texts[:12]):
        nums = _lanci_numbers(row)
        if nums is not None:
            return i + 1, nums
    for i, row in enumerate(texts):
        if _is_data_row(row):
            return i, None
    return len(texts), None


def spread_headers(header: list[list[str]]) -> list[list[str]]:
    """Widen a spanning header over the empty cells to its right that have sub-headers below them."""
    width = max((len(r) for r in header), default=0)
    orig = [list(r) + [""] * (width - len(r)) for r in header]
    out = [list(r) for r in orig]
    for i in range(len(orig)):
        j = 0
        while j < width:
            if not orig[i][j]:
                j += 1
                continue
            k = j + 1
            while k < width and not orig[i][k]:
                if not any(orig[x][k] for x in range(i + 1, len(orig))):
                    break
                if any(orig[x][k] for x in range(i)):
                    break
                out[i][k] = orig[i][j]
                k += 1
            j = k
    return out


def _classify(path: list[str]) -> str | None:
    if not path:
        return None
    leaf = path[-1]
    if leaf in CODE_HEADERS or leaf.endswith(("科目编码", "科目代码")):
        return "code"
    if leaf in NAME_HEADERS or leaf.endswith("科目名称"):
        return "name"
    if leaf in LINE_HEADERS:
        return "line"
    if leaf in LABEL_HEADERS:
        return "label"
    return None


def _alias_match(path: list[str], alias: str) -> int:
    """2 = alias matches the leaf header, 1 = matches within the path, 0 = no match."""
    tokens = [squash(t) for t in alias.split("/") if t]
    if not tokens or not path:
        return 0
    pos = 0
    for tok in tokens:
        while pos < len(path) and path[pos] != tok:
            pos += 1
        if pos == len(path):
            joined = "".join(path)
            if len(tokens) == 1 and joined.endswith(tok):
                return 1
            return 0
        pos += 1
    return 2 if path[-1] == tokens[-1] else 1


def _block_spans(
    spec: TableSpec, header: list[list[str]], width: int, key_starts: list[int]
) -> list[tuple[int, int, BlockSpec]]:
    if not spec.has_blocks():
        return [(0, width, spec.blocks[0])]
    if spec.layout == "sectioned":
        return [(0, width, spec.blocks[0])]
    for row in header:
        starts: list[tuple[int, BlockSpec]] = []
        for j, t in enumerate(row):
            if not t:
                continue
            key = label_key(t)
            for b in spec.blocks:
                named = key == b.name or key in (label_key(a) for a in b.aliases)
                if named and not any(s[1] is b for s in starts):
                    starts.append((j, b))
        if starts:
            starts.sort(key=lambda s: s[0])
            spans = []
            for n, (j, b) in enumerate(starts):
                a = 0 if n == 0 else j
                e = starts[n + 1][0] if n + 1 < len(starts) else width
                spans.append((a, e, b))
            return spans
    # No block captions: divide the repeated key-column groups evenly among the blocks.
    groups = key_starts or [0]
    per = max(1, len(groups) // len(spec.blocks))
    spans = []
    for n, b in enumerate(spec.blocks):
        gi = n * per
        if gi >= len(groups):
            break
        a = 0 if n == 0 else groups[gi]
        nxt = (n + 1) * per
        e = groups[nxt] if nxt < len(groups) and n + 1 < len(spec.blocks) else width
        spans.append((a, e, b))
    return spans


def _sub_blocks(
    span: tuple[int, int, BlockSpec], kinds: list[str | None], paths: list[list[str]], numbers: list[int | None] | None
) -> list[SubBlock]:
    a, e, block = span
    subs: list[SubBlock] = []
    current: SubBlock | None = None
    prev_kind: str | None = "start"
    for j in range(a, e):
        kind = kinds[j]
        if kind is not None and (current is None or prev_kind not in ("code", "name", "label", "line")):
            current = SubBlock(block, KeyCols(), {})
            subs.append(current)
        if kind is None and current is None:
            current = SubBlock(block, KeyCols(), {})
            subs.append(current)
        assert current is not None
        if kind == "code":
            current.keys.code.append(j)
        elif kind == "name":
            current.keys.name = j
        elif kind == "label":
            current.keys.label = j
        elif kind == "line":
            current.keys.line = j
        prev_kind = kind or "value"
    for sub in subs:
        value_cols = [j for j in range(a, e) if kinds[j] is None and _owner(subs, j) is sub]
        if numbers is not None:
            by_number = {c.number: c for c in block.columns if c.number is not None}
            for j in value_cols:
                n = numbers[j] if j < len(numbers) else None
                if n is not None and n in by_number:
                    sub.values[j] = by_number[n]
            if sub.values or any(c.number is not None for c in block.columns):
                continue
        taken: set[str] = set()
        for strong in (True, False):
            for col in block.columns:
                if col.name in taken:
                    continue
                for j in value_cols:
                    if j in sub.values:
                        continue
                    score = max(_alias_match(paths[j], p) for p in col.patterns())
                    if score == 2 or (not strong and score == 1):
                        sub.values[j] = col
                        taken.add(col.name)
                        break
    return subs


def _owner(subs: list[SubBlock], j: int) -> SubBlock | None:
    owner = None
    for s in subs:
        cols = s.keys.columns()
        if (cols and min(cols) <= j) or (not cols and owner is None):
            owner = s
    return owner


def _value(cell: Cell) -> Value | None:
    if is_blank(cell.text):
        return Value(Decimal(0), 0, cell.text, cell.loc, blank=True)
    parsed = parse_amount(cell.text)
    if parsed is None:
        return None
    return Value(parsed[0], parsed[1], cell.text, cell.loc)


def _note_paragraph(cell: Cell) -> Paragraph:
    return Paragraph(cell.text, cell.loc, [Segment(0, len(cell.text), cell.loc)])


def _read_sub(sub: SubBlock, row: list[Cell], problems: list[Problem]) -> tuple[dict, dict[str, Value]] | None:
    def text(j: int | None) -> str:
        return row[j].text if j is not None and j < len(row) else ""

    code = _code(text(j) for j in sub.keys.code)
    label = ""
    label_cell = None
    for j in (sub.keys.name, sub.keys.label, *sub.keys.code):
        if j is not None and text(j) and not code_of(text(j)) and not squash(text(j)).isdigit():
            label = text(j)
            label_cell = row[j]
            break
    line_text = squash(text(sub.keys.line))
    line_no = int(line_text) if line_text.isdigit() else None
    values: dict[str, Value] = {}
    for j, col in sub.values.items():
        if j >= len(row):
            continue
        v = _value(row[j])
        if v is None:
            problems.append(Problem("E.CELL", f"{col.name}列的{not_amount_reason(row[j].text)}", row[j].loc))
            # Rules that need this cell are not assessable; reading it as blank would blame the report.
            values[col.name] = Value(Decimal(0), 0, row[j].text, row[j].loc, unreadable=True)
            continue
        values[col.name] = v
    if not code and not label and line_no is None and all(v.blank for v in values.values()):
        return None
    key_cell = None
    for j in (*sub.keys.code, sub.keys.name, sub.keys.label, sub.keys.line):
        if j is not None and j < len(row) and row[j].text:
            key_cell = row[j]
            break
    bad_code = ""
    if not code:
        printed_code = " ".join(text(j) for j in sub.keys.code).strip()
        if re.search(r"\d", printed_code):
            bad_code = printed_code
    info = {
        "code": code,
        "label": label,
        "line": line_no,
        "label_cell": label_cell,
        "key_cell": key_cell,
        "bad_code": bad_code,
    }
    return info, values


def _code(parts) -> str:
    """The subject code of a row from its code cells: ``201``/``13``/``01`` in three columns, or one
    cell. The 款 and 项 are two digits each, so a part printed without its leading zero is padded."""
    pieces: list[str] = []
    for raw in parts:
        t = " ".join(raw.split())
        m = _SPLIT_CODE.match(t)
        if m:
            pieces += [m.group(1), *m.group(2).split()]
        elif squash(t):
            pieces.append(squash(t))
    if not pieces or not all(p.isdigit() for p in pieces):
        return ""
    if len(pieces) > 1 and len(pieces[0]) == 3 and all(len(p) <= 2 for p in pieces[1:]):
        pieces = [pieces[0], *(p.zfill(2) for p in pieces[1:])]
    return code_of("".join(pieces)) or ""


def _make_row(info: dict, values: dict[str, Value], block: str | None, fallback: Location) -> Row:
    code = info["code"]
    label = info["label"]
    line_no = info["line"]
    if code:
        key = code
    elif label:
        key = label_key(label)
    elif line_no is not None:
        key = f"行次{line_no}"
    else:
        key = ""
    labels: dict[str, str] = {}
    if code:
        labels["科目代码"] = code
    if label:
        labels["科目名称" if code else "项目"] = " ".join(label.split())
    if line_no is not None:
        labels["行次"] = str(line_no)
    key_cell = info["key_cell"]
    loc = key_cell.loc if key_cell is not None else (next(iter(values.values())).loc if values else fallback)
    return Row(key=key, labels=labels, cells=values, loc=loc, block=block, code=code or None, line_no=line_no)


def build_rows(spec: TableSpec, raw: RawTable) -> GridResult:
    """Normalize one (possibly continued) raw table according to its schema."""
    grid = [list(r) for r in raw.rows]
    width = max((len(r) for r in grid), default=0)
    blank_cell = Cell("", raw.loc)
    for r in grid:
        r.extend([blank_cell] * (width - len(r)))
    texts = [[squash(c.text) for c in r] for r in grid]
    if spec.layout == "sectioned":
        return _build_sectioned(spec, grid, texts, raw)
    n_header, numbers = header_end(texts)
    header = [list(r) for r in texts[:n_header]]
    if numbers is not None:
        header = header[:-1]
    if n_header < len(texts):
        vocab = _header_words(texts[n_header])
        if any(vocab):
            header.append(vocab)
    spread = spread_headers(header) if header else []
    paths = [[spread[i][j] for i in range(len(spread)) if spread[i][j]] for j in range(width)]
    kinds: list[str | None] = [_classify(p) for p in paths]
    if not any(k in ("code", "label", "name") for k in kinds):
        kinds = _infer_kinds(texts[n_header:], width, kinds)
    if numbers is not None:
        kinds = [None if (j < len(numbers) and numbers[j] is not None) else k for j, k in enumerate(kinds)]
    key_starts = [j for j, k in enumerate(kinds) if k is not None and (j == 0 or kinds[j - 1] is None)]
    spans = _block_spans(spec, header, width, key_starts)
    subs_by_block = [(span[2], _sub_blocks(span, kinds, paths, numbers)) for span in spans]
    problems: list[Problem] = []
    notes: list[Paragraph] = []
    per_sub: dict[int, list[Row]] = {}
    order: list[int] = []
    mapped = {j for _, subs in subs_by_block for sub in subs for j in sub.values}
    # Value columns with no header above them: an amount there belongs to a column we could not place.
    stray = {j for j in range(width) if kinds[j] is None and j not in mapped and not paths[j]}
    unknown = [j for j in range(width) if kinds[j] is None and j not in mapped and paths[j]]
    unplaced = 0
    label_cols = [j for j in range(width) if kinds[j] in ("code", "name", "label")]
    printed = taken = 0
    bad_codes: list[str] = []
    for r_i in range(n_header, len(grid)):
        row = grid[r_i]
        nonempty = [c for c in row if c.text]
        if len(nonempty) == 1 and (_NOTE.match(nonempty[0].text) or EMPTY_NOTE.search(nonempty[0].text)):
            notes.append(_note_paragraph(nonempty[0]))
            continue
        if label_key(row[0].text) in {"栏次", "项目", "科目代码", "科目编码"}:
            continue
        amounts = [j for j in mapped | stray if _printed_amount(texts[r_i][j])]
        printed += len(amounts) + sum(1 for j in label_cols if _misplaced_amount(texts[r_i][j], kinds[j]))
        taken += sum(1 for j in amounts if j in mapped)
        unplaced += sum(1 for j in unknown if _printed_amount(texts[r_i][j]))
        for block, subs in subs_by_block:
            last_keyed: tuple[int, Row] | None = None
            for s_i, sub in enumerate(subs):
                got = _read_sub(sub, row, problems)
                if got is None:
                    continue
                info, values = got
                if info["bad_code"]:
                    bad_codes.append(info["bad_code"])
                # A row with no key continues the previous one, except in tables that have no key
                # column at all (公开09表): there every data row stands on its own.
                if not info["code"] and not info["label"] and info["line"] is None and block.key != "无":
                    if last_keyed is not None:
                        target = last_keyed[1]
                        for name, v in values.items():
                            if name not in target.cells or target.cells[name].blank:
                                target.cells[name] = v
                    continue
                made = _make_row(info, values, block.name, row[0].loc)
                uid = id(sub)
                if uid not in per_sub:
                    per_sub[uid] = []
                    order.append(uid)
                per_sub[uid].append(made)
                last_keyed = (s_i, made)
    sub_order = [id(s) for _, subs in subs_by_block for s in subs]
    rows = [r for uid in sub_order for r in per_sub.get(uid, [])]
    columns: list[str] = []
    for _, subs in subs_by_block:
        for s in subs:
            for col in s.values.values():
                if col.name not in columns:
                    columns.append(col.name)
    blocks = [b.name for b, _ in subs_by_block if b.name]
    if not rows:
        # Nothing was taken as data: every amount printed below the header went unread.
        printed = sum(1 for r in texts[n_header:] for t in r if _printed_amount(t) and not code_of(t))
        taken = 0
    unit = next((u for r in texts[:n_header] for t in r if (u := _header_unit(t))), None)
    headers = ["/".join(paths[j]) for j in unknown] if unplaced else []
    return GridResult(rows, notes, columns, blocks, n_header, problems, unit, printed, taken, bad_codes, headers)


def _printed_amount(text: str) -> bool:
    return not is_blank(text) and parse_amount(text) is not None


def _misplaced_amount(text: str, kind: str | None) -> bool:
    """An amount in a key column: names never are numbers, and codes never have decimals or commas."""
    parsed = parse_amount(text) if text else None
    if parsed is None:
        return False
    return kind != "code" or parsed[1] > 0 or "," in text


def _header_unit(text: str) -> str | None:
    m = _UNIT_HEADER.search(text)
    return (m.group(1) or m.group(2)) if m else None


def _infer_kinds(body: list[list[str]], width: int, kinds: list[str | None]) -> list[str | None]:
    """No header vocabulary: take the leading text columns of the body as keys."""
    out = list(kinds)
    for j in range(width):
        col = [r[j] for r in body if j < len(r) and r[j]]
        if not col:
            continue
        if all(code_of(t) for t in col if t not in ("合计", "总计")):
            out[j] = "code"
        elif all(parse_amount(t) is None and not is_blank(t) for t in col):
            out[j] = "label" if "label" not in out else out[j]
        else:
            break
    return out


def _build_sectioned(spec: TableSpec, grid: list[list[Cell]], texts: list[list[str]], raw: RawTable) -> GridResult:
    """Tables such as 公开10表: caption rows (一、政府采购情况) switch block; each block has 项目/行次/数."""
    block = spec.blocks[0]
    kinds: list[str | None] | None = None
    values: dict[int, ColumnSpec] = {}
    rows: list[Row] = []
    notes: list[Paragraph] = []
    problems: list[Problem] = []
    blocks_seen: list[str] = []
    columns: list[str] = []
    header_rows = 0
    for r_i, row in enumerate(grid):
        t = texts[r_i]
        nonempty = [c for c in row if c.text]
        if not nonempty:
            continue
        if len(nonempty) == 1:
            key = label_key(nonempty[0].text)
            found = next((b for b in spec.blocks if key == b.name or key in (label_key(a) for a in b.aliases)), None)
            if found is not None:
                block = found
                if found.name and found.name not in blocks_seen:
                    blocks_seen.append(found.name)
                continue
            if _NOTE.match(nonempty[0].text) or EMPTY_NOTE.search(nonempty[0].text):
                notes.append(_note_paragraph(nonempty[0]))
                continue
        if any(x in LABEL_HEADERS or x in LINE_HEADERS for x in t):
            header_rows += 1
            if kinds is None:
                kinds = [_classify([x]) if x else None for x in t]
                for j, x in enumerate(t):
                    if kinds[j] is None and x:
                        for b in spec.blocks:
                            for col in b.columns:
                                if any(_alias_match([x], p) for p in col.patterns()):
                                    values.setdefault(j, col)
            continue
        if kinds is None:
            kinds = ["label", "line"] + [None] * (len(row) - 2)
        sub = SubBlock(
            block,
            KeyCols(
                label=kinds.index("label") if "label" in kinds else 0,
                line=kinds.index("line") if "line" in kinds else None,
            ),
            {},
        )
        for j in range(len(row)):
            if kinds[j] if j < len(kinds) else None:
                continue
            col = values.get(j) or (block.columns[0] if len(block.columns) == 1 else None)
            if col is not None and block.column(col.name) is None:
                col = block.columns[0] if len(block.columns) == 1 else None
            if col is not None:
                sub.values[j] = col
        got = _read_sub(sub, row, problems)
        if got is None:
            continue
        info, vals = got
        made = _make_row(info, vals, block.name, row[0].loc)
        rows.append(made)
        for name in vals:
            if name not in columns:
                columns.append(name)
    return GridResult(rows, notes, columns, blocks_seen, header_rows, problems)
