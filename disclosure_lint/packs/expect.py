"""What an example says it expects: the ``<!-- expect: … -->`` header of an example file.

A failing example that only requires "some finding somewhere" proves little: it still passes when
the rule reads the wrong cell. An expectation pins the findings: which rule, how many, where (line
and column, page, or cell) and what the message says. The header is YAML inside an HTML comment,
which the text reader keeps out of the report, so the example's lines stay where they are::

    <!-- expect:
    - rule: T03.ROW-SUM
      line: 20
      message: 249.28
    -->

A not-applicable example (``na*.md``) may give the reason the rule could not be assessed::

    <!-- expect: {reason: 未识别到列} -->

Examples in other formats (PDF, XLSX) put the same YAML in a file beside them,
``fail.pdf.expect.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PackError
from ..model import Diagnostic
from .yamlfile import load_data

_HEADER = re.compile(r"<!--\s*expect\s*[:：](.*?)-->", re.S)
SIDECAR = ".expect.yaml"
ENTRY_KEYS = ("rule", "count", "line", "col", "page", "cell", "message", "severity", "reason")


@dataclass(frozen=True)
class Expected:
    """One expected finding (``count`` times), or for a not-applicable example the expected reason."""

    rule: str
    count: int = 1
    line: int | None = None
    col: int | None = None
    page: int | None = None
    cell: str | None = None
    message: tuple[str, ...] = ()
    severity: str | None = None
    reason: str | None = None

    def matches(self, d: Diagnostic, check_message: bool = True) -> bool:
        loc = d.loc
        if d.rule != self.rule or (self.severity is not None and d.severity != self.severity):
            return False
        if self.line is not None and loc.line != self.line:
            return False
        if self.col is not None and loc.col != self.col:
            return False
        if self.page is not None and loc.page != self.page:
            return False
        if self.cell is not None and self.cell not in (loc.cell, f"{loc.sheet}!{loc.cell}"):
            return False
        return not check_message or all(text in d.message for text in self.message)

    def describe(self) -> str:
        where = [
            f"{k} {v}"
            for k, v in (("line", self.line), ("col", self.col), ("page", self.page), ("cell", self.cell))
            if v is not None
        ]
        parts = [self.rule, *where]
        if self.count != 1:
            parts.append(f"×{self.count}")
        if self.severity:
            parts.append(self.severity)
        parts.extend(f"消息含“{m}”" for m in self.message)
        return " ".join(parts)


def _text_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return (str(value),)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return tuple(str(v) for v in value)
    raise ValueError("message 应为文字或文字列表")


def _entry(raw: Any, rule: str) -> Expected:
    if not isinstance(raw, dict):
        raise ValueError("每一项预期应为映射，例如 {rule: T03.ROW-SUM, line: 20}")
    unknown = [k for k in raw if k not in ENTRY_KEYS]
    if unknown:
        raise ValueError(f"未知的键“{unknown[0]}”（可用键：{'、'.join(ENTRY_KEYS)}）")
    for key in ("count", "line", "col", "page"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise ValueError(f"{key} 应为正整数")
    for key in ("rule", "cell", "severity", "reason"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise ValueError(f"{key} 应为文字")
    return Expected(
        rule=raw.get("rule") or rule,
        count=raw.get("count", 1),
        line=raw.get("line"),
        col=raw.get("col"),
        page=raw.get("page"),
        cell=raw.get("cell"),
        message=_text_list(raw.get("message")),
        severity=raw.get("severity"),
        reason=raw.get("reason"),
    )


def read_expectations(path: Path, rule: str) -> list[Expected] | None:
    """The expectations of an example, or None when it states none. A malformed header is a PackError."""
    sidecar = path.with_name(path.name + SIDECAR)
    if sidecar.is_file():
        sources = [(sidecar.read_text(encoding="utf-8"), 0)]
    elif path.suffix.lower() in (".md", ".txt", ".markdown", ".text"):
        text = path.read_text(encoding="utf-8", errors="replace")
        sources = [(m.group(1), text.count("\n", 0, m.start(1))) for m in _HEADER.finditer(text)]
    else:
        return None
    if not sources:
        return None
    out: list[Expected] = []
    for body, offset in sources:
        data = load_data(body, str(path), offset)
        items = data if isinstance(data, list) else [data]
        try:
            out.extend(_entry(item, rule) for item in items if item is not None)
        except ValueError as exc:
            raise PackError(f"预期格式错误：{exc}", str(path), offset + 1, code="P.EXPECT") from None
    return out


def compare(
    expected: list[Expected], found: list[Diagnostic], check_message: bool = True
) -> tuple[list[Expected], list[Diagnostic]]:
    """(expected findings that did not occur, findings that were not expected), for the rules named.

    Each expectation claims ``count`` findings that satisfy it, in order; what is left over either way
    is the difference ``pack test`` prints.
    """
    rules = {e.rule for e in expected}
    left = [d for d in found if d.rule in rules]
    missing: list[Expected] = []
    for e in expected:
        for _ in range(e.count):
            hit = next((d for d in left if e.matches(d, check_message)), None)
            if hit is None:
                missing.append(e)
                break
            left.remove(hit)
    return missing, left
