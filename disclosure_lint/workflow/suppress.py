"""Inline suppression in text/Markdown reports, with a required reason, in HTML comments:

    <!-- disclosure-lint-disable-next-line N.ITEM-AMOUNT -- 口径说明 -->
    <!-- disclosure-lint-disable-line T03.ROW-SUM -- reason -->      (on the line it suppresses)
    <!-- disclosure-lint-disable N.ITEM-AMOUNT T03. -- reason -->
    ...
    <!-- disclosure-lint-enable N.ITEM-AMOUNT T03. -->

Several ids or prefixes may be given (spaces or commas); an ``enable`` naming any of them ends the
range, one without ids ends every open range. A directive without a reason or without ids
does not take effect and is reported (``E.BAD-SUPPRESSION``); an id that suppresses nothing is
reported too (``E.UNUSED-SUPPRESSION``), so stale suppressions do not pile up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Comment, Diagnostic
from ..packs.builtin import builtin_diagnostic
from .config import SELECTOR

PREFIX = "disclosure-lint"
_DIRECTIVE = re.compile(r"disclosure-lint-(disable-next-line|disable-line|disable|enable)(?=\s|$)(.*)", re.S)
_REASON = re.compile(r"(?:^|\s)--(?:\s|$)")
_UNBOUNDED = 1 << 30


@dataclass
class Directive:
    kind: str
    selectors: tuple[str, ...]
    reason: str
    comment: Comment
    first: int = 0
    last: int = 0
    used: dict[str, int] = field(default_factory=dict)

    def covers(self, line: int) -> bool:
        return self.first <= line <= self.last


def _meta(code: str, message: str, comment: Comment, key: str) -> Diagnostic:
    return builtin_diagnostic(code, message, comment.loc, f"{key}\x1f{comment.text}")


def parse_directives(comments: list[Comment]) -> tuple[list[Directive], list[Diagnostic]]:
    """Directives in source order with the lines each covers, and the malformed ones as diagnostics."""
    directives: list[Directive] = []
    problems: list[Diagnostic] = []
    open_ranges: list[Directive] = []
    for c in comments:
        if not c.text.startswith(PREFIX):
            continue
        m = _DIRECTIVE.match(c.text)
        if m is None:
            problems.append(
                _meta(
                    "E.BAD-SUPPRESSION",
                    f"无法识别的禁用注释“{c.text}”（可用：disable-next-line、disable-line、disable、enable）",
                    c,
                    "unknown",
                )
            )
            continue
        kind, body = m.group(1), m.group(2)
        parts = _REASON.split(body, maxsplit=1)
        selectors = tuple(s for s in re.split(r"[\s,，]+", parts[0]) if s)
        reason = parts[1].strip() if len(parts) > 1 else ""
        bad = [s for s in selectors if not SELECTOR.fullmatch(s)]
        if bad:
            problems.append(_meta("E.BAD-SUPPRESSION", f"禁用注释中的“{bad[0]}”不是规则编号或编号前缀", c, "id"))
            continue
        if kind == "enable":
            closing = [d for d in open_ranges if not selectors or set(d.selectors) & set(selectors)]
            missing = [s for s in selectors if not any(s in d.selectors for d in open_ranges)]
            if missing:
                problems.append(
                    _meta("E.BAD-SUPPRESSION", f"enable 注释中的 {'、'.join(missing)} 之前没有被 disable", c, "enable")
                )
            for d in closing:
                d.last = c.loc.line or d.last
                open_ranges.remove(d)
            continue
        if not selectors:
            problems.append(
                _meta(
                    "E.BAD-SUPPRESSION",
                    "禁用注释须写明规则编号或编号前缀，例如 disclosure-lint-disable-next-line N.ITEM-AMOUNT -- 理由",
                    c,
                    "ids",
                )
            )
            continue
        if not reason:
            problems.append(
                _meta(
                    "E.BAD-SUPPRESSION",
                    f"禁用注释缺少理由，未生效（在规则编号后写“-- 理由”）：{' '.join(selectors)}",
                    c,
                    "reason",
                )
            )
            continue
        start, end = c.loc.line or 0, c.loc.end_line or c.loc.line or 0
        d = Directive(kind, selectors, reason, c, used=dict.fromkeys(selectors, 0))
        if kind == "disable-next-line":
            d.first = d.last = end + 1
        elif kind == "disable-line":
            d.first, d.last = start, end
        else:
            d.first, d.last = start, _UNBOUNDED
            open_ranges.append(d)
        directives.append(d)
    return directives, problems


def _matches(selector: str, rule: str) -> bool:
    return rule == selector or rule.startswith(selector)


def apply_suppressions(
    diagnostics: list[Diagnostic], comments: list[Comment], known_rules: set[str]
) -> tuple[list[Diagnostic], list[Diagnostic], list[Diagnostic]]:
    """Split diagnostics into kept and suppressed; also return the problems with the directives themselves."""
    directives, problems = parse_directives(comments)
    kept: list[Diagnostic] = []
    suppressed: list[Diagnostic] = []
    for diag in diagnostics:
        line = diag.loc.line
        hit = False
        if line is not None:
            for d in directives:
                if not d.covers(line):
                    continue
                for s in d.selectors:
                    if _matches(s, diag.rule) or (diag.origin is not None and _matches(s, diag.origin)):
                        d.used[s] += 1
                        hit = True
        (suppressed if hit else kept).append(diag)
    for d in directives:
        for s, count in d.used.items():
            if count:
                continue
            known = any(_matches(s, r) for r in known_rules)
            why = "没有抑制任何问题，可删除" if known else "不是规则包中的规则编号或前缀"
            problems.append(_meta("E.UNUSED-SUPPRESSION", f"禁用注释中的 {s} {why}", d.comment, f"unused:{s}"))
    return kept, suppressed, problems
