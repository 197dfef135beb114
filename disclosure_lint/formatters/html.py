"""The review report: one self-contained HTML file that shows each finding where it is.

Everything it needs is inside the file (styles, the filter script, the page pictures as data URIs),
and a Content-Security-Policy forbids loading anything else, so it opens the same from a USB stick
on an offline machine. The filters work without a server; without scripts, every finding shows.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from importlib import resources

from .. import __version__
from ..model import Diagnostic
from ..packs.docs import RuleInfo
from . import RenderContext
from .html_evidence import Evidence
from .summary import (
    FileFindings,
    amount,
    by_file,
    family,
    family_counts,
    family_label,
    rule_infos,
    severity_counts,
    where,
)
from .text import SEVERITY_ZH

TITLE = "部门预决算公开检查报告"


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def render(diagnostics: list[Diagnostic], ctx: RenderContext) -> str:
    files = by_file(diagnostics, ctx)
    infos = rule_infos(diagnostics, ctx)
    evidence = Evidence()
    try:
        sections = [_file_section(i, f, infos, evidence) for i, f in enumerate(files, 1)]
    finally:
        evidence.close()
    script = _asset("html_report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{TITLE}</title><style>{_asset('html_report.css')}</style></head><body>",
        f"<header><h1>{TITLE}</h1>",
        f'<p class="tool">由 disclosure-lint {escape(__version__)} 生成</p></header>',
        _summary(diagnostics, files, ctx),
        _filters(diagnostics),
        _index(files, diagnostics, infos) if len(files) > 1 else "",
        "<main>",
        *sections,
        "</main>",
        f"<script>{script}</script></body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _summary(diagnostics: list[Diagnostic], files: list[FileFindings], ctx: RenderContext) -> str:
    counts = severity_counts(diagnostics)
    badges = "".join(
        f'<span class="count" data-severity="{s}"><b>{n}</b><span class="sev {s}">{SEVERITY_ZH[s]}</span></span>'
        for s, n in counts.items()
    )
    unreadable = sum(1 for f in files if f.file.error is not None)
    checked = f"检查了 {len(files)} 个文件" + (f"，其中 {unreadable} 个无法检查" if unreadable else "")
    fam_rows = "".join(
        f'<tr><td>{escape(family_label(code))}</td><td class="n">{n}</td></tr>'
        for code, n in family_counts(diagnostics).items()
    )
    packs = "、".join(f"{escape(p.id)}（{escape(p.title)}）" for p in ctx.packs) or "无"
    families = (
        '<table class="families"><thead><tr><th>规则类别</th><th>问题数</th></tr></thead>'
        f"<tbody>{fam_rows}</tbody></table>"
        if fam_rows
        else ""
    )
    return (
        '<section class="panel summary" aria-label="概况">'
        f'<p>{checked}，共发现 <b class="total">{len(diagnostics)}</b> 个问题。</p>'
        f'<div class="counts">{badges}</div><p>规则包：<span class="packs">{packs}</span></p>{families}</section>'
    )


def _filters(diagnostics: list[Diagnostic]) -> str:
    if not diagnostics:
        return ""
    severities = "".join(
        f'<label><input type="checkbox" name="severity" value="{s}" checked> {SEVERITY_ZH[s]}（{n}）</label>'
        for s, n in severity_counts(diagnostics).items()
        if n
    )
    families = "".join(
        f'<label><input type="checkbox" name="family" value="{escape(code)}" checked> '
        f"{escape(family_label(code))}（{n}）</label>"
        for code, n in family_counts(diagnostics).items()
    )
    return (
        '<form class="filters panel" aria-label="筛选">'
        f"<fieldset><legend>级别</legend>{severities}</fieldset>"
        f"<fieldset><legend>规则类别</legend>{families}</fieldset>"
        f'<span class="shown">显示 <b class="shown-count">{len(diagnostics)}</b> / {len(diagnostics)} 个问题</span>'
        "</form>"
    )


def _index(files: list[FileFindings], diagnostics: list[Diagnostic], infos: dict[str, RuleInfo]) -> str:
    rows = []
    for i, f in enumerate(files, 1):
        meta = f.file.meta
        status = escape(f.status)
        if f.file.error:
            status = f'<span class="status-bad">{status}</span>：{escape(f.file.error)}'
        rows.append(
            f'<tr><td><a href="#file-{i}">{escape(f.file.path)}</a></td>'
            f"<td>{escape((meta and meta.department) or '')}</td><td>{(meta and meta.year) or ''}</td>"
            f"<td>{escape((meta and meta.kind) or '')}</td><td>{escape(f.file.pack or '')}</td>"
            f'<td class="n">{f.count("error")}</td><td class="n">{f.count("warning")}</td>'
            f'<td class="n">{f.count("info")}</td><td>{status}</td></tr>'
        )
    head = "".join(f"<th>{h}</th>" for h in ("文件", "部门", "年度", "类型", "规则包", "错误", "警告", "提示", "状态"))
    table = f'<table class="files"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    chart = _chart(diagnostics, infos)
    return f'<section class="panel index" aria-label="文件一览"><h2>文件一览</h2>{table}{chart}</section>'


def _chart(diagnostics: list[Diagnostic], infos: dict[str, RuleInfo]) -> str:
    """Findings per rule as horizontal bars, most frequent first, in the rule's severity colour."""
    counts: dict[str, int] = {}
    for d in diagnostics:
        counts[d.rule] = counts.get(d.rule, 0) + 1
    if not counts:
        return ""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    label_w, bar_w, row_h = 190, 420, 22
    most = ranked[0][1]
    bars = []
    for i, (rule, n) in enumerate(ranked):
        y = i * row_h
        w = max(2, round(bar_w * n / most))
        sev = infos[rule].severity if rule in infos else "warning"
        title = escape(f"{rule} {infos[rule].title if rule in infos else ''}：{n} 个")
        bars.append(
            f'<g class="rule-bar" data-rule="{escape(rule)}"><title>{title}</title>'
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(rule)}</text>'
            f'<rect class="bar {sev}" x="{label_w}" y="{y + 3}" width="{w}" height="{row_h - 6}"></rect>'
            f'<text x="{label_w + w + 6}" y="{y + 15}">{n}</text></g>'
        )
    width, height = label_w + bar_w + 50, row_h * len(ranked)
    return (
        f'<h3>各规则问题数</h3><svg class="chart" role="img" aria-label="各规则问题数" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f"{''.join(bars)}</svg>"
    )


def _file_section(i: int, f: FileFindings, infos: dict[str, RuleInfo], evidence: Evidence) -> str:
    meta = f.file.meta
    facts = []
    if meta is not None:
        facts += [x for x in (meta.department, f"{meta.year} 年度" if meta.year else None, meta.kind) if x]
    if f.file.pack:
        facts.append(f"规则包 {f.file.pack}")
    facts.append(f.status)
    articles = [_finding(f"f{i}-{n}", d, infos.get(d.rule), evidence) for n, d in enumerate(f.diagnostics, 1)]
    empty = "" if f.diagnostics else '<p class="none">未发现问题。</p>'
    return (
        f'<section class="file" id="file-{i}" data-path="{escape(f.file.path)}">'
        f'<div class="file-head"><h2>{escape(f.file.path)}</h2>'
        f'<span class="meta">{escape(" · ".join(facts))}</span></div>'
        f'{empty}<p class="none-shown" hidden>本文件的问题均已被筛选隐藏。</p>{"".join(articles)}</section>'
    )


def _finding(ident: str, d: Diagnostic, info: RuleInfo | None, evidence: Evidence) -> str:
    shown = evidence.html(d)
    title = d.title or (info.title if info else "")
    uri = d.help_uri or (info.help_uri if info else None)
    rule = f'<span class="rule">{escape(d.rule)}</span>'
    if uri:
        rule = f'<a class="rule" href="{escape(uri)}">{escape(d.rule)}</a>'
    facts = [("位置", where(d.loc))]
    if d.table:
        facts.append(("表格", " ".join(x for x in (d.table, d.row, d.column_name) if x)))
    facts += [("期望值", amount(d.expected)), ("实际值", amount(d.actual))]
    facts += [("差额", amount(d.difference)), ("容差", amount(d.tolerance, 4))]
    if info and info.ref:
        facts.append(("依据", info.ref))
    dl = "".join(f"<dt>{k}</dt><dd>{escape(v)}</dd>" for k, v in facts if v)
    related = "".join(f"<li>{escape(r.message)}（{escape(where(r.loc) or r.loc.path)}）</li>" for r in d.related)
    related = f'<p class="related-head">相关位置：</p><ul class="related">{related}</ul>' if related else ""
    layout = "" if shown else " no-evidence-at-all"
    return (
        f'<article class="finding {d.severity}{layout}" id="{ident}" data-severity="{d.severity}" '
        f'data-family="{escape(family(d.rule))}" data-rule="{escape(d.rule)}">'
        + (f'<div class="evidence">{shown}</div>' if shown else "")
        + f'<div class="detail"><p class="head"><span class="sev {d.severity}">{SEVERITY_ZH[d.severity]}</span>{rule}'
        f'<span class="title">{escape(title)}</span></p><p class="message">{escape(d.message)}</p>'
        f"<dl>{dl}</dl>{related}</div></article>"
    )
