"""What a check covered, so that a clean result can be weighed.

Every amount and percentage printed in the prose (the 情况说明, the notes under the tables and the
sentences typed into attachment tables) is listed with the rules whose assessed checks compared
it; one that no rule compared is said to be unchecked. Every recognized table is listed with how
completely it was read, and every rule with how often it could be assessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Location, Paragraph, Reading, Report
from .evaluate import CompiledRule, Outcome

# An amount with its money unit, or a percentage; thousands separators may be full-width.
_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:[,，]\d{3})+|\d+)(\.\d+)?\s*(万元|亿元|千元|元|%|％|个百分点)")
_READING_ZH = {"read": "已读取", "partial": "部分读取", "unread": "未能读取"}


@dataclass(slots=True)
class StatedNumber:
    text: str
    kind: str
    loc: Location
    rules: list[str] = field(default_factory=list)


@dataclass(slots=True)
class TableReading:
    id: str
    name: str
    loc: Location
    status: str
    rows: int
    issues: list[str]


@dataclass(slots=True)
class RuleCount:
    id: str
    title: str
    passed: int
    failed: int
    not_assessable: int

    @property
    def assessed(self) -> int:
        return self.passed + self.failed


@dataclass(slots=True)
class Coverage:
    numbers: list[StatedNumber]
    tables: list[TableReading]
    rules: list[RuleCount]

    @property
    def checked(self) -> int:
        return sum(1 for n in self.numbers if n.rules)


def stated_numbers(paragraphs: list[Paragraph]) -> list[StatedNumber]:
    """Every amount and percentage printed in ``paragraphs``, once each."""
    out: list[StatedNumber] = []
    seen: set[int] = set()
    for para in paragraphs:
        if id(para) in seen:
            continue
        seen.add(id(para))
        for m in _NUMBER.finditer(para.text):
            kind = "amount" if m.group(3).endswith("元") else "percent"
            loc = para.locate(m.start(1), m.end(2) if m.group(2) else m.end(1))
            out.append(StatedNumber(m.group(0), kind, loc))
    return out


def _digits(text: str) -> str:
    return re.sub(r"[^\d.]", "", text)


def _same_place(a: Location, b: Location) -> bool:
    if a.path != b.path:
        return False
    if a.line is not None and b.line is not None:
        if a.line != b.line:
            return False
        if a.col is None or b.col is None:
            return True
        return a.col < (b.end_col or b.col + 1) and b.col < (a.end_col or a.col + 1)
    if a.page is not None or b.page is not None:
        if a.page != b.page:
            return False
        if a.bbox is None or b.bbox is None:
            return a.bbox == b.bbox
        return a.bbox[0] < b.bbox[2] and b.bbox[0] < a.bbox[2] and a.bbox[1] < b.bbox[3] and b.bbox[1] < a.bbox[3]
    return a == b


def coverage(report: Report, rules: list[CompiledRule], outcomes: dict[str, Outcome]) -> Coverage:
    numbers = stated_numbers(report.paragraphs)
    by_digits: dict[str, list[tuple[Location, str]]] = {}
    for rule in rules:
        outcome = outcomes.get(rule.id)
        for loc, raw in outcome.stated if outcome is not None else ():
            by_digits.setdefault(_digits(raw), []).append((loc, rule.id))
    for n in numbers:
        digits = _digits(n.text.rstrip("%％"))
        for loc, rule_id in by_digits.get(digits, []):
            if rule_id not in n.rules and _same_place(loc, n.loc):
                n.rules.append(rule_id)
    tables = []
    for t in report.tables.values():
        reading = t.reading or Reading()
        name = t.id if t.title in t.id else f"{t.id}{t.title}"
        tables.append(TableReading(t.id, name, t.loc, reading.status, len(t.rows), list(reading.issues)))
    counts = []
    for rule in rules:
        o = outcomes.get(rule.id) or Outcome()
        counts.append(RuleCount(rule.id, rule.rule.title, o.passed, o.failed, o.not_assessable))
    return Coverage(numbers, tables, counts)


def reading_zh(status: str) -> str:
    return _READING_ZH.get(status, status)
