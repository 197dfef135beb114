"""The ``coverage`` command's output: what was checked in one report, and what was not."""

from __future__ import annotations

import json
from typing import Any

from ..engine.coverage import Coverage, reading_zh
from .json import _place
from .summary import where
from .text import coverage_line


def render_text(path: str, cov: Coverage) -> str:
    out = [f"{path}：{coverage_line(len(cov.numbers), cov.checked)}", "", "叙述与附表中的金额、比例："]
    for n in cov.numbers:
        rules = "、".join(n.rules) if n.rules else "无规则核对"
        out.append(f"  {where(n.loc)}  {n.text}  {rules}")
    out += ["", "表格读取情况："]
    for t in cov.tables:
        issues = f"（{'；'.join(t.issues)}）" if t.issues else ""
        out.append(f"  {t.name}  {where(t.loc)}  {reading_zh(t.status)}，{t.rows} 行{issues}")
    out += ["", "规则执行情况（已判断 = 通过 + 未通过；无法判断的不计入）："]
    for r in cov.rules:
        out.append(
            f"  {r.id:<24} 已判断 {r.assessed}，通过 {r.passed}，未通过 {r.failed}，无法判断 {r.not_assessable}"
            f"  {r.title}"
        )
    return "\n".join(out) + "\n"


def coverage_dict(path: str, cov: Coverage) -> dict[str, Any]:
    return {
        "path": path,
        "numbers": len(cov.numbers),
        "checked": cov.checked,
        "stated": [{"text": n.text, "kind": n.kind, "rules": n.rules, **_place(n.loc)} for n in cov.numbers],
        "tables": [
            {"id": t.id, "name": t.name, "status": t.status, "rows": t.rows, "issues": t.issues, **_place(t.loc)}
            for t in cov.tables
        ],
        "rules": [
            {
                "id": r.id,
                "title": r.title,
                "assessed": r.assessed,
                "passed": r.passed,
                "failed": r.failed,
                "not_assessable": r.not_assessable,
            }
            for r in cov.rules
        ],
    }


def render_json(path: str, cov: Coverage) -> str:
    return json.dumps(coverage_dict(path, cov), ensure_ascii=False, indent=2) + "\n"
