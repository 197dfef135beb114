"""The top-level keys of pack.yaml: what each holds, and the check of one file's values against that.

``KEYS`` is the schema that ``docs/packs.md`` documents (a test keeps the two in step).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import matching
from ..errors import PackError
from ..nearest import did_you_mean, nearest
from .places import Places, YamlFile

KINDS = ("决算", "预算")
LEVELS = ("error", "warning", "info")

# key -> the type it takes, as docs/packs.md names it.
KEYS: dict[str, str] = {
    "id": "文字",
    "title": "文字",
    "kind": "决算 | 预算",
    "years": "整数列表",
    "description": "文字",
    "regulations": "文字列表",
    "extends": "文字（规则包编号或目录）",
    "match": "正则表达式",
    "help_uri": "文字（网址模板）",
    "rule_files": "文字列表（文件名）",
    "disable": "文字列表（规则编号）",
    "severity": "映射（规则编号: error | warning | info）",
    "tables": "映射（表编号: 表结构）",
    "attachments": "映射（附件编号: 附件结构）",
}


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def check_manifest(yf: YamlFile, add: Callable[[PackError], None]) -> None:
    """Every problem with the top-level keys of one pack.yaml, each located at its key or value."""
    at = Places([yf])
    data = yf.data
    for key in data:
        if key not in KEYS:
            near = nearest(str(key), KEYS)
            add(
                at.error(
                    f"未知的键“{key}”{did_you_mean(near)}（可用键：{'、'.join(KEYS)}）",
                    [key],
                    code="P.KEY",
                    suggestion=near,
                )
            )

    def bad(key: str, what: str) -> None:
        add(at.error(f"{key} 应为{what}", [key], value=True))

    for key in ("id", "title", "description", "extends", "help_uri"):
        if data.get(key) is not None and not isinstance(data[key], str):
            bad(key, "文字")
    kind = data.get("kind")
    if kind is not None and kind not in KINDS:
        add(
            at.error(
                f"kind 应为 决算 或 预算，而不是“{kind}”", ["kind"], value=True, suggestion=nearest(str(kind), KINDS)
            )
        )
    years = data.get("years")
    if years is not None and (
        not isinstance(years, list) or not all(isinstance(y, int) and not isinstance(y, bool) for y in years)
    ):
        bad("years", "整数年份列表，例如 [2024]")
    for key in ("regulations", "rule_files", "disable"):
        if data.get(key) is not None and not _is_text_list(data[key]):
            bad(key, "文字列表")
    match = data.get("match")
    if match is not None:
        if not isinstance(match, str):
            bad("match", "正则表达式文字")
        else:
            try:
                matching.compile(match)
            except matching.error as exc:
                add(at.error(f"match 不是有效的正则表达式：{exc}", ["match"], value=True))
    severity = data.get("severity")
    if severity is not None:
        if not isinstance(severity, dict):
            bad("severity", "“规则编号: 级别”映射")
        else:
            for rid, level in severity.items():
                if level not in LEVELS:
                    add(
                        at.error(
                            f"规则 {rid} 的级别“{level}”无效，应为 error、warning 或 info",
                            ["severity", rid],
                            value=True,
                            suggestion=nearest(str(level), LEVELS),
                        )
                    )
    for key in ("tables", "attachments"):
        if data.get(key) is not None and not isinstance(data[key], dict):
            bad(key, "映射")
