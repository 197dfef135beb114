"""SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, Azure DevOps) and SARIF viewers.

Every rule of the packs used is described in ``tool.driver.rules`` with a ``helpUri`` into the generated
``docs/rules/<pack>.md``; each pack is a ``tool.extensions`` entry, and each result's ``pack`` property
names the pack its file was checked with. Paths are relative to the repository root (``%SRCROOT%``);
columns count code points, as the text reader does. PDF findings carry no region, their page is a
location property; XLSX findings carry their sheet and cell the same way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..model import Diagnostic, Location
from ..packs.docs import RuleInfo, pack_doc_uri
from . import RenderContext
from .json import number
from .summary import rule_infos

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SRCROOT = "%SRCROOT%"
FINGERPRINT = "disclosureLint/v1"


def _descriptor(r: RuleInfo) -> dict[str, Any]:
    ref = f"依据：{r.ref}" if r.ref else ""
    text = "\n\n".join(x for x in (r.title, ref, r.doc, r.source) if x)
    markdown = "\n\n".join(
        x for x in (f"**{r.title}**", ref, r.doc, f"```text\n{r.source}\n```" if r.source else "") if x
    )
    out: dict[str, Any] = {
        "id": r.id,
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": f"{r.title}（{ref}）" if ref else r.title},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVEL.get(r.severity, "warning")},
    }
    if r.help_uri:
        out["helpUri"] = r.help_uri
    return out


def _where(loc: Location) -> dict[str, Any]:
    props = {"page": loc.page, "bbox": list(loc.bbox) if loc.bbox else None, "sheet": loc.sheet, "cell": loc.cell}
    return {k: v for k, v in props.items() if v is not None}


def _physical(loc: Location, ctx: RenderContext) -> dict[str, Any]:
    rel = ctx.relative(loc.path)
    outside = {"uri": Path(loc.path).absolute().as_uri()}
    out: dict[str, Any] = {"artifactLocation": outside if rel is None else {"uri": quote(rel), "uriBaseId": SRCROOT}}
    if loc.line is not None:
        region = {"startLine": loc.line, "startColumn": loc.col, "endLine": loc.end_line, "endColumn": loc.end_col}
        out["region"] = {k: v for k, v in region.items() if v is not None}
    return out


def _location(loc: Location, ctx: RenderContext, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"physicalLocation": _physical(loc, ctx), **extra}
    if where := _where(loc):
        out["properties"] = where
    return out


def _result(d: Diagnostic, index: int, ctx: RenderContext) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": d.rule,
        "ruleIndex": index,
        "level": LEVEL.get(d.severity, "warning"),
        "message": {"text": d.message},
        "locations": [_location(d.loc, ctx)],
        "partialFingerprints": {FINGERPRINT: d.fingerprint},
    }
    if d.related:
        out["relatedLocations"] = [
            _location(r.loc, ctx, id=i, message={"text": r.message}) for i, r in enumerate(d.related, 1)
        ]
    props = {
        "table": d.table,
        "row": d.row,
        "column": d.column_name,
        "expected": number(d.expected),
        "actual": number(d.actual),
        "difference": number(d.difference),
        "tolerance": number(d.tolerance),
        "pack": ctx.pack_of(d.loc.path),
        **_where(d.loc),
    }
    props = {k: v for k, v in props.items() if v is not None}
    if props:
        out["properties"] = props
    return out


def render(diagnostics: list[Diagnostic], ctx: RenderContext) -> str:
    rules = list(rule_infos(diagnostics, ctx).values())
    index = {r.id: i for i, r in enumerate(rules)}
    root = Path(ctx.root) if ctx.root else Path.cwd()
    extensions = []
    for pack in ctx.packs:
        ext: dict[str, Any] = {
            "name": pack.id,
            "fullName": pack.title,
            "properties": {"kind": pack.kind, "years": pack.years, "regulations": pack.regulations},
        }
        if uri := pack_doc_uri(pack):
            ext["informationUri"] = uri
        extensions.append(ext)
    tool: dict[str, Any] = {
        "driver": {"name": "disclosure-lint", "version": __version__, "rules": [_descriptor(r) for r in rules]}
    }
    if extensions:
        tool["extensions"] = extensions
    run = {
        "tool": tool,
        "originalUriBaseIds": {SRCROOT: {"uri": root.absolute().as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, index[d.rule], ctx) for d in diagnostics],
    }
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
