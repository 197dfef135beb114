"""Narrative helpers shared by the compiler and the evaluator: section scoping, typed captures,
label mentions and the amounts stated in a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .. import matching
from ..dsl import ir
from ..dsl.patterns import TEXT_KINDS
from ..labels import label_key
from ..model import Location, Paragraph
from ..numbers import parse_amount
from .interval import Amount, CellRef, NotAssessable
from .units import unit_after
from .views import RowRef, TableView

_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*万元")


@dataclass(slots=True)
class Mention:
    """One narrative mention: a label, the row it names (if any) and the typed captures after it."""

    label: str
    row: RowRef | None
    captures: dict[str, Any]
    loc: Location
    paragraph: Paragraph
    start: int
    end: int


def amounts_in(text: str) -> list[Amount]:
    """Every ``…万元`` amount stated in a text, at its printed precision."""
    out = []
    for m in _AMOUNT.finditer(text):
        parsed = parse_amount(m.group(1) + (m.group(2) or ""))
        if parsed is not None:
            out.append(Amount.printed(parsed[0], parsed[1], m.group(0), unit="万元"))
    return out


def _clip(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def capture_value(cap: ir.Capture, m: matching.Match, i: int, para: Paragraph) -> Any:
    """A typed capture: amounts and percents keep printed precision, counts and years are exact.
    An amount has the unit written after it (``万元``, ``元``). None when the capture sits in an
    optional part that did not match."""
    group = f"c{i}"
    raw = m.group(group)
    if raw is None:
        return None
    loc = para.locate(m.start(group), m.end(group))
    if cap.kind in TEXT_KINDS:
        return raw
    parsed = parse_amount(raw)
    if parsed is None:
        raise NotAssessable(f"说明中的数字“{_clip(raw)}”位数过多，无法核对")
    value, decimals = parsed
    ref = CellRef("", "", cap.name, loc, cap.name, raw)
    if cap.kind == "amount":
        return Amount.printed(value, decimals, cap.name, (ref,), unit=unit_after(para.text, m.end(group)))
    if cap.kind == "percent":
        return Amount.printed(value, decimals, cap.name, (ref,))
    return Amount(value, value, value, 0, cap.name, (ref,))


def captured(pattern: ir.Pattern, m: matching.Match, para: Paragraph) -> dict[str, Any]:
    """The captures that took part in a match, by name: a name used in several alternatives of the
    pattern has the value of the one that matched, and a capture in an unmatched optional part is absent."""
    out: dict[str, Any] = {}
    for i, cap in enumerate(pattern.captures):
        value = capture_value(cap, m, i, para)
        if value is not None:
            out[cap.name] = value
    return out


_DELIMITED = r"(?:^|(?<=[，。；：、,;:\s])|(?<=包括)|(?<=其中)|(?<=以及)|(?<=用于))"
_LEAD = re.compile(r"^(?:其中|主要包括|包括|主要用于|用于|以及|和|及|为|是|的)+")


def _resolve(key: str, labels: dict[str, list[RowRef]]) -> tuple[RowRef | None, str]:
    """The longest table label that ends the mention text, allowing 支出/合计 wording variants."""
    key = _LEAD.sub("", key)
    for start in range(len(key)):
        cand = key[start:]
        if len(cand) < 2:
            break
        variants = [cand, cand + "合计", cand + "支出"]
        if cand.endswith("支出"):
            variants.append(cand[:-2])
        if cand.endswith("费用"):
            variants.append(cand[:-1])
        for variant in variants:
            if variant in labels:
                return labels[variant][0], cand
    return None, key


def mention_pattern(pattern: ir.Pattern) -> matching.Pattern:
    """``label + pattern`` in list position (after a delimiter such as 、 or 包括)."""
    return matching.compile(_DELIMITED + r"(?P<label>[\u4e00-\u9fff（）()“”]{2,30}?)" + pattern.regex)


def find_mentions(
    view: TableView, label_column: str, head: matching.Pattern, pattern: ir.Pattern, paragraphs: list[Paragraph]
) -> list[Mention]:
    """Every match of ``head`` (``mention_pattern``); the label is resolved against the table's row
    labels, so an unknown label has ``row`` None."""
    labels: dict[str, list[RowRef]] = {}
    for r in view.rows:
        text = r.labels.get(label_column) or r.labels.get("项目") or r.labels.get("科目名称")
        if text:
            labels.setdefault(label_key(text), []).append(RowRef(view, r))
    out: list[Mention] = []
    for para in paragraphs:
        for m in matching.finditer(head, para.text):
            raw_label = m.group("label")
            row, label = _resolve(label_key(raw_label), labels)
            try:
                caps = {cap.name: None for cap in pattern.captures} | captured(pattern, m, para)
            except NotAssessable:
                continue
            found = raw_label.rfind(label) if label else -1
            loc = para.locate(m.start("label") + max(found, 0), m.end("label"))
            out.append(Mention(label, row, caps, loc, para, m.start(), m.end()))
    return out
