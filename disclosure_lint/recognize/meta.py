"""Report metadata: what the report is (kind, year, 部门/单位 level, region) from its cover, and its
department and money unit from the captions.

``read_cover`` looks at the cover only, so a pack can be chosen (or refused) after reading the first
page of a PDF; ``read_meta`` adds what the rest of the document says.
"""

from __future__ import annotations

import re

from ..labels import squash
from ..model import Document, Heading, Meta, Paragraph

# ``单位：万元`` names the money unit, not the department; a caption row may go on with the year and
# the unit (``编制单位：…局 2024年度 单位：万元``), which are not part of the name.
_DEPT = re.compile(
    r"(?:部门|单位|预算主管部门|编制部门|编制单位)(?:名称)?[:：](?!万元|千元|亿元|元)"
    r"([^\s:：，,]{2,40}?)(?=[\s:：，,]|(?:19|20)\d{2}年|(?:金额)?单位[:：]|$)"
)
_YEAR_KIND = re.compile(r"(20\d{2})年度?(?:区级|市级|县级|省级)?(部门|单位)?(?:整体)?(决算|预算)")
_KIND_YEAR = re.compile(r"(决算|预算)\D{0,8}?(20\d{2})")
# 预算主管部门：… heads a 部门预算, 预算单位：… a 单位预算; 部门决算/单位决算 name the level outright.
_LEVEL = re.compile(r"(部门|单位)(?:预算|决算)|预算(?:主管)?(部门|单位)[:：]")
_UNIT = re.compile(r"(?:金额)?单位[:：](万元|元|千元|亿元)")
_COVER_DEPT = re.compile(
    r"^(.{2,30}?(?:局|委员会|委|办公室|办|中心|院|部|厅|署|会|所|站|馆|队|校|处|室|政府))"
    r"(?:\d{4}年度?)?(?:区级|市级)?(?:部门|单位)?(?:决算|预算)?"
)
# The administrative area a cover starts with: 上海市普陀区, 阳泉市, 浙江省杭州市西湖区.
_REGION = re.compile(
    r"^((?:[\u4e00-\u9fff]{2,7}?(?:省|自治区))?(?:[\u4e00-\u9fff]{2,7}?市)?(?:[\u4e00-\u9fff]{2,7}?(?:新区|区|县|旗))?)"
)
COVER_BLOCKS = 12


def _prose(doc: Document) -> list[Paragraph | Heading]:
    return [b for b in doc.blocks if isinstance(b, (Paragraph, Heading))]


def _region(*texts: str | None) -> str | None:
    for text in texts:
        m = _REGION.match(squash(text or ""))
        if m and m.group(1):
            return m.group(1)
    return None


def read_cover(doc: Document) -> Meta:
    """Kind, year, level, title, region and department as the cover states them."""
    meta = Meta()
    prose = _prose(doc)
    cover = prose[:COVER_BLOCKS]
    cover_text = "".join(squash(b.text) for b in cover)
    m = _YEAR_KIND.search(cover_text)
    if m:
        meta.year, meta.kind = int(m.group(1)), m.group(3)
        meta.level = m.group(2)
    else:
        m2 = _KIND_YEAR.search(cover_text)
        if m2:
            meta.kind, meta.year = m2.group(1), int(m2.group(2))
    if meta.level is None:
        lm = _LEVEL.search(cover_text)
        if lm:
            meta.level = lm.group(1) or lm.group(2)
    for b in cover:
        t = squash(b.text)
        if ("决算" in t or "预算" in t) and meta.title is None:
            meta.title = b.text.strip()
            meta.title_loc = b.loc
    for b in cover:
        dm = _DEPT.search(squash(b.text))
        if dm:
            meta.department = dm.group(1)
            break
    else:
        for b in cover:
            cm = _COVER_DEPT.match(squash(b.text))
            if cm and not re.match(r"^(?:目录|第)", cm.group(1)):
                meta.department = cm.group(1)
                break
    meta.region = _region(meta.title, meta.department)
    return meta


def cover_complete(doc: Document) -> bool:
    """Whether these pages already state the kind, year and level: no need to read further."""
    meta = read_cover(doc)
    return meta.kind is not None and meta.year is not None and meta.level is not None


def read_meta(doc: Document) -> Meta:
    """The cover's statements, with the department and money unit from the captions of the first pages."""
    meta = read_cover(doc)
    found_department = False
    for b in _prose(doc)[:400]:
        t = squash(b.text)
        if not found_department:
            dm = _DEPT.search(t)
            if dm:
                meta.department = dm.group(1)
                found_department = True
        if meta.unit is None:
            um = _UNIT.search(t)
            if um:
                meta.unit = um.group(1)
        if found_department and meta.unit:
            break
    meta.region = meta.region or _region(meta.department)
    return meta
