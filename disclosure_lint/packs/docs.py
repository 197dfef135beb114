"""Rule documentation from the pack itself: ``rules`` listings, ``rule ID`` explanations, the generated
``docs/rules/<pack>.md`` pages that SARIF ``helpUri`` links point to, and SARIF rule descriptors.

Everything is derived from the pack so documentation never drifts from the rules; a test checks that the
committed pages are current.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .builtin import BUILTIN_RULES
from .load import Pack
from .test import example_files, kind_of

SEVERITY_MEANING = {"error": "强制性，必须修正", "warning": "提示性，需要说明", "info": "仅供参考"}
STATUS_MEANING = {
    "stable": "稳定",
    "preview": "预览（默认不启用，须在配置的 select 中写明规则编号）",
    "deprecated": "已弃用",
}


@dataclass(frozen=True)
class RuleInfo:
    id: str
    title: str
    severity: str
    ref: str = ""
    doc: str = ""
    source: str = ""
    file: str = ""
    line: int | None = None
    help_uri: str | None = None
    status: str = "stable"
    since: str = ""
    replaced_by: str | None = None

    def status_text(self) -> str:
        """``预览``, ``已弃用，请改用 N.NEW``, with ``自 2025 起`` when known; empty for a stable rule."""
        parts = []
        if self.status != "stable":
            parts.append(STATUS_MEANING[self.status].split("（")[0])
        if self.replaced_by:
            parts.append(f"请改用 {self.replaced_by}")
        if self.since:
            parts.append(f"自 {self.since} 起")
        return "，".join(parts)


def help_uri(template: str | None, pack_id: str, rule_id: str) -> str | None:
    if not template:
        return None
    return template.replace("{pack}", pack_id).replace("{rule}", rule_id)


def pack_doc_uri(pack: Pack) -> str | None:
    """The pack's documentation page: its ``help_uri`` without the rule anchor."""
    uri = help_uri(pack.help_uri, pack.id, "")
    return uri.split("#", 1)[0] if uri else None


def pack_rules(pack: Pack) -> list[RuleInfo]:
    return [
        RuleInfo(
            c.id,
            c.rule.title,
            c.severity,
            c.rule.ref,
            c.rule.doc,
            c.rule.source.rstrip(),
            os.path.relpath(c.rule.file, pack.path),
            c.rule.pos.line,
            c.help_uri,
            c.rule.status,
            c.rule.since,
            c.rule.replaced_by,
        )
        for c in pack.rules
    ]


def builtin_rules(pack: Pack | None = None) -> list[RuleInfo]:
    """The built-in checks, linked to the built-in section of the pack's page when there is a pack."""
    template = pack.help_uri if pack is not None else None
    pack_id = pack.id if pack is not None else ""
    return [
        RuleInfo(b.id, b.title, b.severity, doc=b.doc, help_uri=help_uri(template, pack_id, b.id))
        for b in BUILTIN_RULES.values()
    ]


def find_rule(pack: Pack, rule_id: str) -> RuleInfo | None:
    return next((r for r in [*pack_rules(pack), *builtin_rules(pack)] if r.id == rule_id), None)


def rule_definitions(packs: list[Pack], rule_id: str) -> list[tuple[list[Pack], RuleInfo]]:
    """The distinct definitions of a rule across packs, each with the packs that use it.

    Packs that inherit a rule unchanged share one definition (same file, line and severity); a pack
    that restates it or changes its severity has its own. Built-in checks have one definition.
    """
    groups: dict[tuple, tuple[list[Pack], RuleInfo]] = {}
    for pack in packs:
        info = find_rule(pack, rule_id)
        if info is None:
            continue
        compiled = pack.rule(rule_id)
        where = (compiled.rule.file, compiled.rule.pos.line, compiled.severity) if compiled else ("", 0, info.severity)
        groups.setdefault(where, ([], info))[0].append(pack)
    return list(groups.values())


def rule_rows(pack: Pack) -> list[dict[str, Any]]:
    """The ``rules --format json`` listing."""
    return [
        {
            "id": r.id,
            "severity": r.severity,
            "title": r.title,
            "ref": r.ref,
            "file": r.file,
            "line": r.line,
            "status": r.status,
            "since": r.since or None,
            "replaced_by": r.replaced_by,
        }
        for r in pack_rules(pack)
    ]


def rules_text(pack: Pack) -> str:
    rows = pack_rules(pack)
    width = max((len(r.id) for r in rows), default=10)
    out = [f"{pack.id}：{pack.title}（{len(rows)} 条规则）"]
    out.extend(
        f"{r.id:<{width}}  {r.severity:<7}  {r.title}" + (f"（{r.status_text()}）" if r.status_text() else "")
        for r in rows
    )
    return "\n".join(out) + "\n"


def explain(pack: Pack, rule: RuleInfo) -> str:
    """``disclosure-lint rule ID``: title, severity, reference, explanation, source and examples."""
    out = [f"{rule.id}  {rule.title}", f"级别：{rule.severity}（{SEVERITY_MEANING.get(rule.severity, '')}）"]
    if rule.status_text():
        out.append(f"状态：{rule.status_text()}")
    if rule.ref:
        out.append(f"依据：{rule.ref}")
    if rule.doc:
        out.append(f"说明：{rule.doc}")
    if rule.file:
        out.append(f"定义：{rule.file}:{rule.line}")
    if rule.help_uri:
        out.append(f"文档：{rule.help_uri}")
    if rule.source:
        out.extend(["", rule.source, ""])
    names = {"pass": "通过示例", "fail": "不通过示例", "na": "不适用示例"}
    for f in example_files(pack, rule.id):
        out.append(f"--- {names.get(kind_of(f) or '', '示例')}：{f.name}")
        out.append(f.read_text(encoding="utf-8").rstrip() + "\n")
    return "\n".join(out).rstrip("\n") + "\n"


def explain_all(definitions: list[tuple[list[Pack], RuleInfo]]) -> str:
    """``disclosure-lint rule ID`` without ``--pack``: the rule as each bundled pack defines it."""
    out: list[str] = []
    if len(definitions) > 1:
        out.append(f"规则 {definitions[0][1].id} 在 {len(definitions)} 个规则包中的定义不同：")
        out.append("")
    for packs, info in definitions:
        if info.id not in BUILTIN_RULES:
            out.append(f"== 规则包：{'、'.join(p.id for p in packs)}")
        out.append(explain(packs[0], info))
    return "\n".join(out)


def _section(r: RuleInfo) -> list[str]:
    out = [
        f'<a id="{r.id}"></a>',
        "",
        f"### {r.id} {r.title}",
        "",
        f"- 级别：`{r.severity}`（{SEVERITY_MEANING.get(r.severity, '')}）",
    ]
    if r.status != "stable" or r.since:
        out.append(f"- 状态：{r.status_text() or STATUS_MEANING['stable']}")
    if r.ref:
        out.append(f"- 依据：{r.ref}")
    if r.file:
        out.append(f"- 定义：`{Path(r.file).as_posix()}`")
    out.append("")
    if r.doc:
        out.extend([r.doc, ""])
    if r.source:
        out.extend(["```text", r.source, "```", ""])
    return out


def markdown(pack: Pack) -> str:
    """The pack's documentation page, one anchor per rule (and per built-in check)."""
    rules = pack_rules(pack)
    builtins = builtin_rules(pack)
    years = "、".join(str(y) for y in pack.years)
    out = [
        f"<!-- 由 `disclosure-lint pack docs {pack.id}` 生成，请勿手工修改。 -->",
        "",
        f"# {pack.title}",
        "",
        f"规则包 `{pack.id}`：{pack.kind}，适用年度 {years}，{len(rules)} 条规则。",
        "",
    ]
    if pack.description:
        out.extend([pack.description, ""])
    if pack.regulations:
        out.extend(["依据：", "", *(f"- {r}" for r in pack.regulations), ""])
    out.extend(["| 规则 | 级别 | 标题 |", "| --- | --- | --- |"])
    out.extend(f"| [{r.id}](#{r.id}) | {r.severity} | {r.title.replace('|', '&#124;')} |" for r in [*rules, *builtins])
    out.extend(["", "## 规则", ""])
    for r in rules:
        out.extend(_section(r))
    out.extend(["## 内置检查", "", "以下检查由 disclosure-lint 本身执行，不属于任何规则包。", ""])
    for r in builtins:
        out.extend(_section(r))
    return "\n".join(out).rstrip("\n") + "\n"


def write_pages(packs: list[Pack], folder: Path) -> list[Path]:
    """``disclosure-lint pack docs``: write ``<folder>/<pack>.md`` for each pack; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for pack in packs:
        page = folder / f"{pack.id}.md"
        page.write_text(markdown(pack), encoding="utf-8")
        written.append(page)
    return written
