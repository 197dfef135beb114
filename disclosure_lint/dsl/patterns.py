"""Text patterns with typed captures: ``"基本支出{金额}万元，占比{比例}%"``.

Syntax (inside a pattern string):

* ``{名称}`` or ``{名称:类型}`` captures a value. Types: 金额/amount (``4,384.83``), 比例/percent
  (``14.23`` before ``%``), 年度/year, 数量/count (an integer such as ``7`` in ``7个``), 名称/name (a
  short run of text without punctuation or digits) and 文本/text. ``{方向:增加|减少}`` captures one
  of the listed words. Without a type the name decides: names ending in 比例/占比/率 are percents,
  年度/年份 years, 数量/人数/个数/次数… counts, 名称 names; anything else is an amount. 科目/subject
  is a 科目 name as printed, parentheses included (``政府办公厅（室）及相关机构事务``), and 代码/code
  the digits of a code (``204``, ``06``), kept as text.
* ``(甲|乙)`` matches one of the alternatives, ``[…]`` makes a part optional (``[甲|乙]``: optionally
  one of them), and ``…`` (or ``...``)
  skips up to 40 characters within the sentence. One capture name may appear in several
  alternatives of a group, with the same type: the alternative that matched provides its value,
  so one rule reads several wordings of the same sentence.
* Everything else is literal and matched loosely: full- and half-width punctuation are
  interchangeable, and spaces (as left by PDF extraction) are allowed around numbers and
  punctuation. Write ``\\(`` to match a literal ASCII parenthesis.

``match regex "…"`` takes a Python regular expression instead; its named groups are text captures.

Two 文本 captures need some literal text between them: ``{a:文本}{b:文本}{c:文本}X`` can split a
sentence in a number of ways that grows with the cube of its length, and matching it against a
long sentence that has no ``X`` would not end. Such a pattern is a pack error; every match also runs
under the rule's time limit (``matching``).
"""

from __future__ import annotations

import re

from .. import matching
from ..errors import PackError
from .ir import Capture, Pattern

KINDS = {
    "金额": "amount",
    "amount": "amount",
    "比例": "percent",
    "percent": "percent",
    "百分比": "percent",
    "年度": "year",
    "year": "year",
    "数量": "count",
    "count": "count",
    "整数": "count",
    "名称": "name",
    "name": "name",
    "文本": "text",
    "text": "text",
    "科目": "subject",
    "subject": "subject",
    "代码": "code",
    "code": "code",
}
KIND_REGEX = {
    "amount": r"[+\-−]?(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?",
    "percent": r"[+\-−]?\d+(?:\.\d+)?",
    "year": r"(?:19|20)\d{2}",
    "count": r"\d+",
    "name": r"[^\s，。；：、,;:（）()“”\"0-9０-９]{1,30}?",
    "text": r".+?",
    "subject": r"[^\s，。；：、,;:.．“”\"'‘’0-9０-９\-—–]{1,40}?",
    "code": r"\d{1,7}",
}
TEXT_KINDS = ("name", "text", "choice", "subject", "code")
GAP = r"[^。；;！？!?\n]{0,40}?"
_EQUIV = {
    "%": "[%％]",
    "％": "[%％]",
    "，": "[，,]",
    ",": "[，,]",
    "：": "[：:]",
    ":": "[：:]",
    "；": "[；;]",
    ";": "[；;]",
    "（": "[（(]",
    "）": "[）)]",
    "。": "[。.]",
    "“": '[“"]',
    "”": '[”"]',
    "、": "[、,，]",
    "—": "[—–-]",
}
_COUNT_SUFFIX = ("数量", "人数", "个数", "次数", "辆数", "批次", "人次", "台数", "套数", "团组数", "项目数", "编制数")


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


def _loose(word: str) -> str:
    """A literal word matched like pattern text: punctuation widths interchangeable, spaces allowed."""
    out = []
    for ch in word:
        if ch.isspace():
            out.append(r"\s*")
        elif ch in _EQUIV:
            out.append(r"\s*" + _EQUIV[ch] + r"\s*")
        else:
            out.append(re.escape(ch))
    return r"\s*".join(out) if any(c.isdigit() for c in word) else "".join(out)


# Where a label starts a clause: the paragraph's start, after punctuation or a space, or after list
# numbering (``1、``, ``2.``, ``（一）``). A label right after ``）`` or inside a word is part of a
# longer name (``…（类）财政事务（款）``) and does not count.
_CLAUSE_START = r"(?:^|(?<=[，。；：、,;:.．\s])|(?<=[（(][一二三四五六七八九十\d]{1,3}[）)]))"


def after_label(label: str, pattern: Pattern) -> str:
    """The regex of ``pattern`` right after the literal ``label``, the label starting a clause."""
    return _CLAUSE_START + _loose(label) + pattern.regex


class _PatternParser:
    """Recursive descent over the pattern string; builds the regex and the capture list."""

    def __init__(self, source: str, file: str, line: int, col: int) -> None:
        self.s = source
        self.i = 0
        self.file = file
        self.line = line
        self.col = col
        self.captures: list[Capture] = []
        # For each capture, the alternatives it sits in: (group, option) pairs from the outside in.
        self.paths: list[tuple[tuple[int, int], ...]] = []
        self.path: tuple[tuple[int, int], ...] = ()
        self.groups = 0
        # The last 文本 capture while no literal text has followed it yet.
        self.free: str | None = None

    def error(self, message: str, at: int) -> PackError:
        return PackError(message, self.file, self.line, self.col + 1 + at)

    def seq(self, stops: str) -> str:
        out: list[str] = []
        while self.i < len(self.s) and self.s[self.i] not in stops:
            ch = self.s[self.i]
            if ch == "\\" and self.i + 1 < len(self.s):
                out.append(re.escape(self.s[self.i + 1]))
                self.free = None
                self.i += 2
            elif ch == "{":
                out.append(self.slot())
            elif ch == "(":
                out.append(self.alternatives("(", ")"))
            elif ch == "[":
                out.append(self.alternatives("[", "]") + "?")
            elif ch == "…" or self.s.startswith("...", self.i):
                out.append(GAP)
                self.i += 1 if ch == "…" else 3
            elif ch in "}])|":
                raise self.error(f"模式中多余的“{ch}”（字面字符请写成 \\{ch}）", self.i)
            elif ch.isspace():
                out.append(r"\s*")
                self.i += 1
            elif ch in _EQUIV:
                out.append(r"\s*" + _EQUIV[ch] + r"\s*")
                self.free = None
                self.i += 1
            else:
                out.append(re.escape(ch))
                self.free = None
                self.i += 1
        return "".join(out)

    def alternatives(self, opening: str, closing: str) -> str:
        """``(甲|乙)`` or ``[甲|乙]``: a non-capturing group of alternatives.

        A 文本 capture is still open after the group if one alternative leaves it open, and after
        ``[…]`` also if it was open before, since the part may be left out.
        """
        start = self.i
        before = self.free
        self.i += 1
        group = self.groups
        self.groups += 1
        outer = self.path
        options: list[str] = []
        after: list[str | None] = []
        while True:
            self.path = (*outer, (group, len(options)))
            self.free = before
            options.append(self.seq("|" + closing))
            after.append(self.free)
            if self.i >= len(self.s) or self.s[self.i] != "|":
                break
            self.i += 1
        self.path = outer
        if self.i >= len(self.s):
            raise self.error(f"模式中的 {opening} 没有对应的 {closing}", start)
        self.i += 1
        if opening == "[":
            after.append(before)
        self.free = next((f for f in after if f is not None), None)
        return "(?:" + "|".join(options) + ")"

    def slot(self) -> str:
        start = self.i
        end = self.s.find("}", start)
        if end < 0:
            raise self.error("模式中的 { 没有对应的 }", start)
        body = self.s[start + 1 : end]
        self.i = end + 1
        name, _, kind_name = body.replace("：", ":").partition(":")
        name, kind_name = name.strip(), kind_name.strip()
        if not name:
            raise self.error("捕获需要名称，例如 {金额}", start)
        group = f"c{len(self.captures)}"
        if "|" in kind_name:
            words = [w.strip() for w in kind_name.split("|") if w.strip()]
            self._add(Capture(name, "choice"), start)
            self.free = None
            return rf"(?P<{group}>{'|'.join(_loose(w) for w in words)})"
        if kind_name and kind_name not in KINDS:
            raise self.error(
                f"未知的捕获类型“{kind_name}”，可用：金额、比例、年度、数量、名称、文本、科目、代码，或用 | 列出可选词",
                start + 1 + len(name) + 1,
            )
        kind = KINDS[kind_name] if kind_name else default_kind(name)
        if kind == "text":
            if self.free is not None:
                raise self.error(
                    f"文本捕获“{self.free}”与“{name}”之间没有任何文字，匹配长句时可能极慢；请在两者之间写出分隔的文字",
                    start,
                )
            self.free = name
        self._add(Capture(name, kind), start)
        return rf"\s*(?P<{group}>{KIND_REGEX[kind]})\s*"

    def _add(self, cap: Capture, at: int) -> None:
        """A capture may repeat a name only in another alternative of a group, with the same type."""
        for other, path in zip(self.captures, self.paths, strict=True):
            if other.name != cap.name:
                continue
            if not _exclusive(path, self.path):
                raise self.error(f"捕获名“{cap.name}”在同一模式中重复（只能出现在同一组的不同选项中）", at + 1)
            if other.kind != cap.kind:
                raise self.error(f"捕获“{cap.name}”在各选项中的类型应相同", at + 1)
        self.captures.append(cap)
        self.paths.append(self.path)


def _exclusive(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> bool:
    """Two places of a pattern can never both match: they sit in different options of one group."""
    options = dict(a)
    return any(group in options and options[group] != option for group, option in b)


def compile_pattern(source: str, file: str, line: int, col: int) -> Pattern:
    """Turn a pattern string into a regex with one group per capture, checking capture types."""
    parser = _PatternParser(source, file, line, col)
    regex = parser.seq("")
    try:
        matching.compile(regex)
    except matching.error as exc:  # pragma: no cover - literals are escaped, captures are fixed
        raise PackError(f"模式无法编译：{exc}", file, line, col) from None
    return Pattern(regex, parser.captures, source)


def compile_regex(source: str, file: str, line: int, col: int) -> Pattern:
    """``match regex``: a raw regular expression; named groups become text captures."""
    try:
        compiled = matching.compile(source)
    except matching.error as exc:
        raise PackError(f"正则表达式无效：{exc}", file, line, col + 1 + (exc.pos or 0)) from None
    names = sorted(compiled.groupindex, key=compiled.groupindex.get)
    regex = source
    captures = []
    for i, name in enumerate(names):
        regex = regex.replace(f"(?P<{name}>", f"(?P<c{i}>").replace(f"(?P={name})", f"(?P=c{i})")
        captures.append(Capture(name, "text"))
    return Pattern(regex, captures, source)
