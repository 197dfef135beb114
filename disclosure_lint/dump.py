"""Report -> plain dict, for ``disclosure-lint extract``: what rule authors look at to write references."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .model import Location, Paragraph, Report, Table


def loc_dict(loc: Location) -> dict[str, Any]:
    return {k: v for k, v in asdict(loc).items() if v is not None and k != "path"}


def _para(p: Paragraph) -> dict[str, Any]:
    return {"text": p.text, "location": loc_dict(p.loc)}


def table_dict(t: Table) -> dict[str, Any]:
    return {
        "id": t.id,
        "title": t.title,
        "location": loc_dict(t.loc),
        "unit": t.unit,
        "blocks": t.blocks,
        "columns": t.columns,
        "notes": [_para(n) for n in t.notes],
        "rows": [
            {
                "key": r.key,
                "block": r.block,
                "labels": r.labels,
                "location": loc_dict(r.loc),
                "cells": {
                    name: {
                        "amount": None if v.blank else f"{v.amount:f}",
                        "decimals": v.decimals,
                        "raw": v.raw,
                        "location": loc_dict(v.loc),
                    }
                    for name, v in r.cells.items()
                },
            }
            for r in t.rows
        ],
    }


def report_dict(report: Report, pack_id: str | None = None) -> dict[str, Any]:
    meta = report.meta
    return {
        "path": report.path,
        "format": report.format,
        "pack": pack_id,
        "meta": {
            "department": meta.department,
            "year": meta.year,
            "kind": meta.kind,
            "unit": meta.unit,
            "title": meta.title,
            "level": meta.level,
            "region": meta.region,
        },
        "tables": {tid: table_dict(t) for tid, t in report.tables.items()},
        "unrecognized_tables": [loc_dict(t.loc) for t in report.unmatched],
        "sections": [
            {
                "title": s.title,
                "level": s.level,
                "parent": s.parent,
                "location": loc_dict(s.loc),
                "paragraphs": [_para(p) for p in s.paragraphs],
            }
            for s in report.sections
        ],
    }


def report_text(report: Report, pack_id: str | None = None) -> str:
    """A compact human-readable dump: one line per row with its cells."""
    meta = report.meta
    kind = f"{meta.level or ''}{meta.kind or '?'}"
    out = [f"{report.path}：{meta.department or '?'} {meta.year or '?'}年度{kind}（规则包 {pack_id}）"]
    for tid, t in report.tables.items():
        unit = f"，单位：{t.unit}" if t.unit else ""
        out.append(f"\n== {tid} {t.title}（{t.loc.describe()}{unit}）列：{'、'.join(t.columns)}")
        for r in t.rows:
            cells = "  ".join(f"{k}={v.raw or '空'}" for k, v in r.cells.items() if not v.blank)
            block = f"[{r.block}] " if r.block else ""
            name = r.labels.get("科目名称") or r.labels.get("项目") or ""
            out.append(f"  {block}{r.key} {name if name != r.key else ''}  {cells}".rstrip())
        for n in t.notes:
            out.append(f"  注：{n.text}")
    out.append("\n== 说明章节")
    for s in report.sections:
        out.append(f"{'  ' * (s.level - 1)}{s.title}（{len(s.paragraphs)} 段，{s.loc.describe()}）")
    return "\n".join(out) + "\n"
