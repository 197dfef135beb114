"""Facts about the document as printed, exposed to rules as tables every pack has.

Structure rules need what a reader sees before any figure: the pages (text and drawings on each),
the headings, and every disclosure table as printed, in order, with its caption (a table printed
twice is two rows). Each becomes a table the rule language reads like any other:
``for row p in 页面 where p.文字数 == 0 and p.图形数 == 0``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..labels import ordinal_rank, squash
from ..model import Document, Heading, Location, Paragraph, RawTable, Row, Table, Value
from ..packs.schema import BlockSpec, ColumnSpec, FieldSpec, TableSpec
from .toc import locate, read_entries

_NAME_CAPTION = re.compile(
    r"(?:编制部门|编制单位|部门名称|单位名称|预算主管部门|预算单位|主管部门)[:：]\s*"
    r"(?!万元|千元|亿元|元)([^\s:：，,|]{2,40}?)(?=\s|(?:19|20)\d{2}年|单位[:：]|金额单位|$)"
)
_YEAR = re.compile(r"(?:19|20)\d{2}年度?")
_YEAR_ALONE = re.compile(r"[（(]?((?:19|20)\d{2}年度?)[）)]?")
_UNIT_CAPTION = re.compile(r"(?:金额)?单位[:：](?:万元|千元|亿元|元)")

# The outline depth ``ordinal_rank`` gives a 第…部分: a part of the report, never an item of another.
_PART = 1

# The year a caption starts with (“2025年部门收入预算总表”), which a title cited in the text may leave out.
_YEAR_BEFORE = re.compile(r"^\s*(?:19|20)\d{2}\s*年度?\s*")


def _spec(table_id: str, title: str, texts: tuple[str, ...], counts: tuple[str, ...]) -> TableSpec:
    fields = tuple(FieldSpec(n, "text") for n in texts) + tuple(FieldSpec(n, "count") for n in counts)
    return TableSpec(
        id=table_id,
        title=title,
        code="",
        aliases=(),
        layout="facts",
        blocks=(BlockSpec(None, "无", tuple(ColumnSpec(n, exact=True) for n in counts)),),
        attachment=True,
        description=title,
        fields=fields,
    )


FACT_SPECS: dict[str, TableSpec] = {
    s.id: s
    for s in (
        _spec(
            "页面",
            "文件的各页（PDF）：页码、文字数、图形数，未读出（只有图像没有文本层的扫描页、损坏的文件为 1）",
            (),
            ("页码", "文字数", "图形数", "未读出"),
        ),
        _spec("标题", "文中的各级标题，及其下的正文（至下一个同级或更高一级的标题）", ("标题", "正文"), ("次序",)),
        _spec(
            "表格",
            "印出的各张公开表格：表号、表题（表名为不含年度的表题）、表题旁单独印出的年度及其部门（单位）名称",
            ("表号", "表题", "表名", "年度", "名称"),
            ("次序",),
        ),
        _spec(
            "目录",
            "目录列出的各部分和表格：序号、名称、页码（照印），及其在正文中是否印出、印在何处；"
            "前项次序为目录中排在它前面、正文中也找到的最近一项的次序",
            ("序号", "名称", "类别", "表号", "状态"),
            ("次序", "页码", "位置", "所在页", "前项次序"),
        ),
    )
}


def _count(n: int, loc: Location) -> Value:
    return Value(Decimal(n), 0, str(n), loc)


def unread_pages(doc: Document) -> set[int]:
    """Pages whose text the reader could not read: scanned pages, every page of a damaged file."""
    if any(p.code == "E.PDF-DAMAGED" for p in doc.problems):
        return {p.number for p in doc.pages}
    return {p.loc.page for p in doc.problems if p.code == "E.PDF-SCAN" and p.loc.page is not None}


def page_table(doc: Document) -> Table | None:
    if not doc.pages:
        return None
    unread = unread_pages(doc)
    rows = []
    for p in doc.pages:
        loc = Location(doc.path, page=p.number)
        cells = {"页码": _count(p.number, loc), "文字数": _count(p.chars, loc), "图形数": _count(p.drawings, loc)}
        cells["未读出"] = _count(int(p.number in unread), loc)
        rows.append(Row(key=str(p.number), labels={}, cells=cells, loc=loc))
    return Table("页面", "页面", rows, Location(doc.path, page=1), columns=["页码", "文字数", "图形数", "未读出"])


def _text_under(doc: Document, idx: int) -> str:
    """The text printed under the heading at ``idx``: up to the next heading without a list number
    (another title, a table caption), or with one that is not deeper than its own.

    The depth is the recognizer's own (``ordinal_rank``). Reading by numbering rather than by the
    section tree keeps a part's numbered items with it
    where a layout sets the items a level above their unnumbered title (the Shanghai budgets'
    项目经费情况说明). Text typed into table cells and captions inside a frame are left out.
    """
    own = ordinal_rank(doc.blocks[idx].text)
    parts = []
    for block in doc.blocks[idx + 1 :]:
        if isinstance(block, Heading):
            depth = ordinal_rank(block.text)
            if depth is None or depth == _PART or (own is not None and depth <= own):
                break
            parts.append(block.text)
        elif isinstance(block, Paragraph) and block.role == "prose":
            parts.append(block.text)
    return "\n".join(parts)


def heading_table(doc: Document) -> Table:
    rows = []
    for idx, block in enumerate(doc.blocks):
        if isinstance(block, Heading) and block.text.strip():
            n = len(rows) + 1
            labels = {"标题": " ".join(block.text.split()), "正文": _text_under(doc, idx)}
            rows.append(Row(key=str(n), labels=labels, cells={"次序": _count(n, block.loc)}, loc=block.loc))
    return Table("标题", "标题", rows, Location(doc.path), columns=["次序"])


def caption_name(doc: Document, idx: int) -> tuple[str, Location] | None:
    """The 编制部门/单位名称 printed over the table at block ``idx``, if any."""
    for j in range(idx - 1, max(-1, idx - 8), -1):
        block = doc.blocks[j]
        if isinstance(block, RawTable):
            break
        m = _NAME_CAPTION.search(block.text)
        if m:
            loc = block.locate(m.start(1), m.end(1)) if isinstance(block, Paragraph) else block.loc
            return m.group(1), loc
    return None


def printed_tables(doc: Document, printed: list[tuple[TableSpec, int, Location]]) -> Table:
    """``printed``: each recognized table as printed (spec, first block index, caption location)."""
    rows = []
    for spec, idx, loc in printed:
        n = len(rows) + 1
        title = _caption_text(doc, idx, spec)
        labels = {
            "表号": spec.code or spec.id,
            "表题": title,
            "表名": _YEAR_BEFORE.sub("", title),
            "年度": _caption_year(doc, idx),
        }
        named = caption_name(doc, idx)
        if named is not None:
            labels["名称"] = named[0]
        rows.append(Row(key=str(n), labels=labels, cells={"次序": _count(n, loc)}, loc=named[1] if named else loc))
    return Table("表格", "表格", rows, Location(doc.path), columns=["次序"])


def _caption_year(doc: Document, idx: int) -> str:
    """The years printed with a table's caption apart from its title: on a line of their own above or
    below the title (``2024年度``), or in the 编制单位/单位 row (``编制单位：… 2024年度 单位：万元``).
    Other lines above the table (the previous table's notes, prose) are not its caption."""
    found: list[str] = []
    for j in range(idx - 1, max(-1, idx - 8), -1):
        block = doc.blocks[j]
        if isinstance(block, RawTable):
            break
        text = squash(block.text)
        if alone := _YEAR_ALONE.fullmatch(text):
            found.append(alone.group(1))
        elif _NAME_CAPTION.search(block.text) or _UNIT_CAPTION.search(text):
            found.extend(m.group(0) for m in _YEAR.finditer(text))
    return "、".join(reversed(found))


def _caption_text(doc: Document, idx: int, spec: TableSpec) -> str:
    """The printed title line of a table: the nearest line above it that names the table."""
    above: list[str] = []
    for j in range(idx - 1, max(-1, idx - 8), -1):
        block = doc.blocks[j]
        if isinstance(block, RawTable):
            break
        above.append(" ".join(block.text.split()))
    titles = [squash(n) for n in (spec.title, *spec.aliases) if n]
    for names in (titles, [squash(spec.code)] if spec.code else []):
        for text in above:
            if any(n in squash(text) for n in names):
                return text
    return ""


def toc_table(
    doc: Document, specs: list[TableSpec], printed: list[tuple[TableSpec, int, Location]], department: str | None
) -> Table | None:
    """The 目录 as printed, each entry with whether and where the document prints it (``toc.locate``)."""
    entries, after = read_entries(doc)
    if not entries:
        return None
    locate(doc, entries, after, specs, printed, department, sure=not unread_pages(doc))
    rows = []
    previous: int | None = None  # the 次序 of the nearest earlier entry found in the text
    for n, e in enumerate(entries, 1):
        labels = {"序号": e.number, "名称": e.name, "状态": e.state}
        labels["类别"] = "部分" if e.spec is None else ("必备表格" if e.spec.required else "表格")
        cells = {"次序": _count(n, e.loc)}
        if e.spec is not None:
            labels["表号"] = e.spec.code or e.spec.id
        if e.page is not None:
            cells["页码"] = _count(e.page, e.loc)
        if e.position is not None:
            cells["位置"] = _count(e.position + 1, doc.blocks[e.position].loc)
            if previous is not None:
                cells["前项次序"] = _count(previous, e.loc)
            previous = n
        if e.found_page is not None:
            cells["所在页"] = _count(e.found_page, doc.blocks[e.position].loc)
        rows.append(Row(key=str(n), labels=labels, cells=cells, loc=e.loc))
    return Table("目录", "目录", rows, entries[0].loc, columns=["次序", "页码", "位置", "所在页", "前项次序"])
