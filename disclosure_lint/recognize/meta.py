"""Report metadata: department, year, kind (决算/预算) and money unit, from the cover and captions."""

from __future__ import annotations

import re

from ..labels import squash
from ..model import Document, Heading, Meta, Paragraph

# ``单位：万元`` names the money unit, not the department.
_DEPT = re.compile(
    r"(?:部门|单位|预算主管部门|编制部门|编制单位)(?:名称)?[:：](?!万元|千元|亿元|元)"
    r"([^\s:：，,]{2,40})"
)
_YEAR_KIND = re.compile(r"(20\d{2})年度?(?:区级|市级|县级|省级)?(?:部门|单位)?(?:整体)?(决算|预算)")
_KIND_YEAR = re.compile(r"(决算|预算)\D{0,8}?(20\d{2})")
_UNIT = re.compile(r"(?:金额)?单位[:：](万元|元|千元|亿元)")
_COVER_DEPT = re.compile(
    r"^(.{2,30}?(?:局|委员会|委|办公室|办|中心|院|部|厅|署|会|所|站|馆|队|校|处|室|政府))"
    r"(?:\d{4}年度?)?(?:区级|市级)?(?:部门|单位)?(?:决算|预算)?"
)
COVER_BLOCKS = 12


def read_meta(doc: Document) -> Meta:
    meta = Meta()
    prose = [b for b in doc.blocks if isinstance(b, (Paragraph, Heading))]
    cover = prose[:COVER_BLOCKS]
    cover_text = "".join(squash(b.text) for b in cover)
    m = _YEAR_KIND.search(cover_text)
    if m:
        meta.year, meta.kind = int(m.group(1)), m.group(2)
    else:
        m2 = _KIND_YEAR.search(cover_text)
        if m2:
            meta.kind, meta.year = m2.group(1), int(m2.group(2))
    for b in cover:
        t = squash(b.text)
        if ("决算" in t or "预算" in t) and meta.title is None:
            meta.title = b.text.strip()
            meta.title_loc = b.loc
    for b in prose[:400]:
        t = squash(b.text)
        if meta.department is None:
            dm = _DEPT.search(t)
            if dm:
                meta.department = dm.group(1)
        if meta.unit is None:
            um = _UNIT.search(t)
            if um:
                meta.unit = um.group(1)
        if meta.department and meta.unit:
            break
    if meta.department is None:
        for b in cover:
            cm = _COVER_DEPT.match(squash(b.text))
            if cm and not re.match(r"^(?:目录|第)", cm.group(1)):
                meta.department = cm.group(1)
                break
    return meta
