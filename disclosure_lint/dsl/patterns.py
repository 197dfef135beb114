"""Text patterns with typed captures: ``"基本支出{金额}万元，占比{比例}%"``.

A capture is ``{名称}`` or ``{名称:类型}``. Types: 金额/amount (``4,384.83``), 比例/percent
(``14.23`` before ``%``/``％``), 年度/year, 数量/count (an integer such as ``7`` in ``7个``),
名称/name (a short run of CJK text) and 文本/text. Without a type, the capture's name decides:
names ending in 比例/占比/率 are percents, 年度/年份 years, 数量/人数/个数/次数… counts, 名称 names;
anything else is an amount. Literal text matches loosely: full- and half-width punctuation are
interchangeable and spaces (as left by PDF extraction) are allowed around numbers.
"""

from __future__ import annotations

import re

from ..errors import PackError
from .ir import Capture, Pattern

KINDS = {
    "金额": "amount", "amount": "amount", "比例": "percent", "percent": "percent", "百分比": "percent",
    "年度": "year", "year": "year", "数量": "count", "count": "count", "整数": "count",
    "名称": "name", "name": "name", "文本": "text", "text": "text",
}
KIND_REGEX = {
    "amount": r"[+\-−]?(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?",
    "percent": r"[+\-−]?\d+(?:\.\d+)?",
    "year": r"(?:19|20)\d{2}",
    "count": r"\d+",
    "name": r"[^\s，。；：、,;:（）()“”\"0-9０-９]{1,30}?",
    "text": r".+?",
}
_EQUIV = {
    "%": "[%％]", "％": "[%％]", "，": "[，,]", ",": "[，,]", "：": "[：:]", ":": "[：:]", "；": "[；;]",
    ";": "[；;]", "（": "[（(]", "(": "[（(]", "）": "[）)]", ")": "[）)]", "。": "[。.]", "“": "[“\"]",
    "”": "[”\"]", "、": "[、,，]",
}
_SLOT = re.compile(r"\{([^{}:：]+)(?:[:：]([^{}]+))?\}")
_COUNT_SUFFIX = ("数量", "人数", "个数", "次数", "辆数", "批次", "人次", "台数", "套数", "团组数", "项目数")


def default_kind(name: str) -> str:
    if name.endswith(("比例", "占比", "率", "百分比", "增幅", "降幅")):
        return "percent"
    if name.endswith(("年度", "年份")) or name == "年":
        return "year"
    if name.endswith(_COUNT_SUFFIX):
        return "count"
    if name.endswith("名称"):
        return "name"
    return "amount"


def _literal(text: str) -> str:
    out = []
    for ch in text:
        if ch.isspace():
            out.append(r"\s*")
        elif ch in _EQUIV:
            out.append(r"\s*" + _EQUIV[ch] + r"\s*")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def compile_pattern(source: str, file: str, line: int, col: int) -> Pattern:
    """Turn a pattern string into a regex with one group per capture, checking capture types."""
    parts: list[str] = []
    captures: list[Capture] = []
    pos = 0
    for m in _SLOT.finditer(source):
        parts.append(_literal(source[pos:m.start()]))
        name = m.group(1).strip()
        kind_name = (m.group(2) or "").strip()
        if kind_name:
            if kind_name not in KINDS:
                raise PackError(f"未知的捕获类型“{kind_name}”，可用：金额、比例、年度、数量、名称、文本",
                                file, line, col + 1 + m.start(2))
            kind = KINDS[kind_name]
        else:
            kind = default_kind(name)
        if any(c.name == name for c in captures):
            raise PackError(f"捕获名“{name}”在同一模式中重复", file, line, col + 1 + m.start(1))
        parts.append(rf"\s*(?P<c{len(captures)}>{KIND_REGEX[kind]})\s*")
        captures.append(Capture(name, kind))
        pos = m.end()
    parts.append(_literal(source[pos:]))
    regex = "".join(parts)
    if "{" in source[pos:] or "}" in source[pos:]:
        raise PackError("模式中的花括号不成对", file, line, col)
    try:
        re.compile(regex)
    except re.error as exc:  # pragma: no cover - literals are escaped, captures are fixed
        raise PackError(f"模式无法编译：{exc}", file, line, col) from None
    return Pattern(regex, captures, source)
