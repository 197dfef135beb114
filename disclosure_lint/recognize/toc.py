"""The 目录 as printed, and where each part and table it lists is printed in the document.

A 目录 line is a numbering, a name, dot leaders and a page number (``一、收入支出决算总表……3``);
leaders and page numbers are optional, an entry may wrap onto the next line and a PDF line may hold
two entries. Finding an entry in the document is deliberately strict (a heading or table caption
with the same name, the department name or year aside), so the order it gives is true; saying an
entry is *absent* is stricter still: its name must appear nowhere after the 目录 and no page may be
a scan the reader could not read. Anything in between is left undecided, and rules say nothing about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..labels import squash
from ..model import Document, Heading, Location, Paragraph, RawTable
from ..packs.schema import TableSpec
from .titles import match_title

FOUND = "已印出"
ABSENT = "未印出"
UNDECIDED = "无法判断"

_TOC_TITLE = re.compile(r"^目录$")
_NUMBER = re.compile(
    r"^(?P<num>第[一二三四五六七八九十百]+部分|[一二三四五六七八九十百]+[、.]|[（(][一二三四五六七八九十百]+[）)]、?"
    r"|\d{1,2}[、.](?=\d{4}年|\D)|[（(]\d{1,2}[）)])"
)
_FIRST = re.compile(r"^(?:第一部分|一[、.]|[（(]一[）)]、?|1[、.]|[（(]1[）)])$")
_LEADERS = re.compile(r"((?:[.·_]\s*){2,}|…+|—{2,})\s*(?:(\d{1,3})(?![\d、.]))?")
_TRAILING_PAGE = re.compile(r"^(?P<name>.*\D)\s+(?P<page>\d{1,3})$")
_YEAR = re.compile(r"^\d{4}年度?")
_OWNER = re.compile(r"^(?:本部门（单位）|本部门|本单位|部门|单位|预算单位)")
_SUFFIX = re.compile(r"(?:的情况说明|情况说明|的说明|说明|情况)$")
_MAX_NAME = 60
_GENERIC = {"附件", "附表", "附录"}


@dataclass
class Entry:
    number: str
    name: str
    loc: Location
    page: int | None = None
    leaders: bool = False
    level: int = 0
    block: int = 0
    spec: TableSpec | None = None
    state: str = UNDECIDED
    position: int | None = None
    found_page: int | None = None
    children: list[int] = field(default_factory=list)


def _level(number: str) -> int:
    if number.startswith("第"):
        return 1
    if number[:1] in "（(":
        return 5 if number[1:2].isdigit() else 3
    if number[:1].isdigit():
        return 4
    return 2 if number else 6


def _split_line(text: str) -> list[tuple[str, int | None, bool]]:
    """(name with numbering, page, had leaders) of each entry printed on one line."""
    s = squash(text)
    out: list[tuple[str, int | None, bool]] = []
    pos = 0
    for m in _LEADERS.finditer(s):
        piece = s[pos : m.start()]
        if piece:
            out.append((piece, int(m.group(2)) if m.group(2) else None, True))
        pos = m.end()
    tail = s[pos:]
    if tail:
        spaced = _TRAILING_PAGE.match(" ".join(text.split()))
        if not out and spaced and not _LEADERS.search(text):
            out.append((squash(spaced.group("name")), int(spaced.group("page")), False))
        else:
            out.append((tail, None, False))
    return out


def _lines(block: Paragraph | Heading | RawTable) -> list[tuple[str, Location]]:
    if isinstance(block, RawTable):
        return [(" ".join(c.text for c in row if c.text.strip()), row[0].loc) for row in block.rows if row]
    return [(block.text, block.loc)]


def read_entries(doc: Document) -> tuple[list[Entry], int]:
    """The 目录's entries and the index of the first block after it (0 when there is no 目录)."""
    start = next(
        (i for i, b in enumerate(doc.blocks[:200]) if not isinstance(b, RawTable) and _TOC_TITLE.match(squash(b.text))),
        None,
    )
    if start is None:
        return [], 0
    entries: list[Entry] = []
    end = start + 1
    for idx in range(start + 1, len(doc.blocks)):
        pieces = [(p, loc) for text, loc in _lines(doc.blocks[idx]) for p in _split_line(text)]
        if not pieces or not _take(entries, pieces, idx):
            break
        end = idx + 1
    if any(e.leaders or e.page is not None for e in entries):
        # A 目录 printed with leaders or page numbers ends at the first line without them: the body.
        cut = next((n for n, e in enumerate(entries) if not e.leaders and e.page is None), None)
        if cut is not None:
            end = entries[cut].block
            entries = [e for e in entries[:cut] if e.block < end]
    for i, e in enumerate(entries):
        for later in entries[i + 1 :]:
            if later.level <= e.level:
                break
            e.children.append(entries.index(later))
    return entries, end


def _take(entries: list[Entry], pieces: list[tuple[tuple[str, int | None, bool], Location]], block: int) -> bool:
    """Add one block's entries; False when the block is no 目录 line or begins the outline anew at
    its top level (``第一部分`` again): the document has begun."""
    new: list[Entry] = []
    for (text, page, leaders), loc in pieces:
        m = _NUMBER.match(text)
        number = m.group("num") if m else ""
        name = text[m.end() :] if m else text
        name = name.strip(".·…_—")
        if not name or len(name) > _MAX_NAME or re.search(r"[。；：]", name):
            return False
        if not number:
            if not (leaders or page is not None):
                return False
            last = (new or entries)[-1] if (new or entries) else None
            if last is not None and last.page is None and not last.leaders:
                last.name += name
                last.page, last.leaders = page, leaders
                continue
        level = _level(number)
        seen = entries + new
        if seen and level <= min(e.level for e in seen) and _FIRST.match(number):
            return False
        new.append(Entry(number, name, loc, page, leaders, level, block))
    entries.extend(new)
    return True


def _key(name: str, department: str | None = None) -> str:
    """The name as compared: no numbering, department name, year, 部门/单位 or 情况说明 suffix."""
    t = squash(name)
    m = _NUMBER.match(t)
    if m:
        t = t[m.end() :]
    t = t.rstrip(".·…_—0123456789")
    for _ in range(3):
        before = t
        if department and t.startswith(department):
            t = t[len(department) :]
        t = _OWNER.sub("", _YEAR.sub("", t), count=1)
        if t == before:
            break
    stem = _SUFFIX.sub("", t)
    return stem if len(stem) >= 2 else t


def locate(
    doc: Document,
    entries: list[Entry],
    after: int,
    specs: list[TableSpec],
    printed: list[tuple[TableSpec, int, Location]],
    department: str | None,
    sure: bool,
) -> None:
    """Fill in each entry's state and, when found, its place (block index) in the document.
    ``sure``: every page was read as text, so what is not found is not printed."""
    tables = [s for s in specs if s.layout not in ("facts", "attachment") and not s.attachment]
    first_printed: dict[str, int] = {}
    for spec, idx, _ in printed:
        first_printed.setdefault(spec.id, idx)
    lines = [
        (i, b)
        for i, b in enumerate(doc.blocks[after:], after)
        if isinstance(b, (Heading, Paragraph)) and len(squash(b.text)) <= _MAX_NAME
    ]
    titles = [match_title(b.text, tables) for _, b in lines]
    keys = [_key(b.text, department) for _, b in lines]
    body = "".join(squash(b.text) for b in doc.blocks[after:] if not isinstance(b, RawTable))
    sure = sure and bool(doc.blocks[after:])
    previous = after - 1
    for e in entries:
        e.spec = match_title(e.name, tables)
        if e.spec is not None:
            places = [first_printed[e.spec.id]] if e.spec.id in first_printed else []
            places += [i for (i, _), title in zip(lines, titles, strict=True) if title is e.spec]
        else:
            key = _key(e.name, department)
            places = [i for (i, b), k in zip(lines, keys, strict=True) if k == key or _same_number(e, b.text)]
        if places:
            e.position = min((p for p in places if p > previous), default=min(places))
            e.state = FOUND
            previous = max(previous, e.position)
            e.found_page = doc.blocks[e.position].loc.page
        elif sure and not _mentioned(e, body, department, bool(printed)):
            e.state = ABSENT
    for e in entries:
        found = [entries[c] for c in e.children if entries[c].state == FOUND]
        if e.state != FOUND and found:
            first = min(found, key=lambda c: c.position or 0)
            e.state, e.position, e.found_page = FOUND, first.position, first.found_page
        elif e.state == ABSENT and any(entries[c].state == UNDECIDED for c in e.children):
            e.state = UNDECIDED


def _same_number(e: Entry, line: str) -> bool:
    """A heading of the entry under another name: for a 第…部分 the same part number and a name
    that contains the other (``第三部分 情况说明`` / ``第三部分 2024年度部门决算情况说明``)."""
    if not e.number.startswith("第"):
        return False
    m = _NUMBER.match(squash(line))
    if not (m and m.group("num") == e.number):
        return False
    full, printed = squash(e.name), squash(line)[m.end() :]
    return full in printed or printed in full


def _mentioned(e: Entry, body: str, department: str | None, tables_printed: bool) -> bool:
    """Whether the entry's words appear after the 目录 at all: then it may be printed in another form.
    A group of tables (``五、部门预算表``) is printed when any table is; ``附件`` names no content of its
    own (the forms that follow may carry their own titles only), so it is never called absent."""
    name = squash(e.name)
    if e.spec is None and name.endswith("表") and tables_printed:
        return True
    if name in _GENERIC:
        return True
    words = {_key(e.name, department), name[-6:]}
    if e.spec is not None:
        words |= {squash(n) for n in (e.spec.title, *e.spec.aliases) if n}
    return any(w and w in body for w in words)
