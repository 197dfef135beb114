"""Table schemas and rule functions rendered as Markdown for hover and completion documentation."""

from __future__ import annotations

from ..dsl.check import FUNCTIONS
from ..packs.schema import BlockSpec, TableSpec

_LAYOUTS = {"grid": "单表", "blocks": "分区并列", "sectioned": "分段"}


def _columns(block: BlockSpec, highlight: str | None) -> list[str]:
    rows = ["| 栏次 | 列名 | 表头别名 |", "| --- | --- | --- |"]
    for c in block.columns:
        name = f"**{c.name}**" if c.name == highlight else c.name
        rows.append(f"| {c.number if c.number is not None else ''} | {name} | {'、'.join(c.aliases)} |")
    return rows


def table_markdown(spec: TableSpec, highlight: str | None = None) -> str:
    """Everything a rule author needs to reference the table: names, layout, keys and columns with 栏次."""
    out = [f"**{spec.code or spec.id} {spec.title}**", ""]
    facts = [f"- 编号：{spec.id}" + (f"（表号 {spec.code}）" if spec.code and spec.code != spec.id else "")]
    if spec.aliases:
        facts.append(f"- 别名：{'、'.join(spec.aliases)}")
    facts.append(f"- 布局：{spec.layout}（{_LAYOUTS.get(spec.layout, spec.layout)}）")
    if spec.hierarchy:
        facts.append("- 分级：按科目代码分类、款、项")
    if spec.required:
        facts.append("- 必须公开")
    if spec.attachment:
        facts.append("- 附表")
    if spec.description:
        facts.append(f"- 说明：{spec.description}")
    out.extend(facts)
    for block in spec.blocks:
        out.append("")
        heading = f"分区 **{block.name}**" if block.name else "列"
        aliases = f"，别名 {'、'.join(block.aliases)}" if block.aliases else ""
        out.append(f"{heading}（行键：{block.key}{aliases}）")
        out.append("")
        out.extend(_columns(block, highlight))
    return "\n".join(out)


def column_markdown(spec: TableSpec, column: str, block: str | None = None) -> str:
    """A column's 栏次 and table (in ``block`` when known), followed by the table's whole schema."""
    places = []
    for b in spec.blocks:
        c = b.column(column) if block in (None, b.name) else None
        if c is not None:
            where = f"{spec.code or spec.id}" + (f".{b.name}" if b.name else "")
            places.append(where + (f" 栏次 {c.number}" if c.number is not None else ""))
    return f"**列 {column}**：{'；'.join(places)}\n\n---\n\n{table_markdown(spec, column)}"


def function_signature(name: str) -> str:
    accepted, result = FUNCTIONS[name]
    args = ", ".join("|".join(t) if t is not None else "任意" for t in accepted)
    return f"{name}({args}) → {result}"
