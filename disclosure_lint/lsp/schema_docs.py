"""Table schemas and rule functions rendered as Markdown for hover and completion documentation."""

from __future__ import annotations

from ..dsl.check import FUNCTIONS
from ..packs.schema import BlockSpec, FieldSpec, TableSpec

_LAYOUTS = {"grid": "单表", "blocks": "分区并列", "sectioned": "分段", "form": "表单（每张表一行）"}
_FIELD_TYPES = {"amount": "金额", "percent": "比例", "score": "得分", "count": "数量", "text": "文本"}


def _how_found(f: FieldSpec) -> str:
    parts = []
    if f.label:
        parts.append(f"标签“{f.label}”")
    if f.pattern:
        parts.append(f"模式 `{f.pattern}`" + ("（仅在标签所在行）" if f.label else ""))
    if f.rows_from:
        parts.append(f"“{f.rows_from}”至“{f.rows_to or '表末'}”各行得分之和")
    return "；".join(parts)


def _grid(headers: tuple[str, str, str], rows: list[tuple[str, str, str]], highlight: str | None) -> list[str]:
    """A Markdown table whose middle column is a name, bold when it is the one asked about."""
    out = [f"| {' | '.join(headers)} |", "| --- | --- | --- |"]
    out.extend(f"| {a} | {f'**{name}**' if name == highlight else name} | {c} |" for a, name, c in rows)
    return out


def _fields(spec: TableSpec, highlight: str | None) -> list[str]:
    rows = [(_FIELD_TYPES.get(f.type, f.type), f.name, _how_found(f)) for f in spec.fields]
    return _grid(("类型", "字段", "读取方式"), rows, highlight)


def _columns(block: BlockSpec, highlight: str | None) -> list[str]:
    rows = [(str(c.number) if c.number is not None else "", c.name, "、".join(c.aliases)) for c in block.columns]
    return _grid(("栏次", "列名", "表头别名"), rows, highlight)


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
    if spec.fields:
        out.extend(["", "字段（表中找不到的字段视为缺失，相关规则不予判断）", "", *_fields(spec, highlight)])
        return "\n".join(out)
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


def field_markdown(spec: TableSpec, name: str) -> str:
    """An attachment field: its type and how it is read, followed by the attachment's whole schema."""
    f = next(f for f in spec.fields if f.name == name)
    head = f"**字段 {name}**：{spec.id}，{_FIELD_TYPES.get(f.type, f.type)}，{_how_found(f)}"
    return f"{head}\n\n---\n\n{table_markdown(spec, name)}"


def function_signature(name: str) -> str:
    accepted, result = FUNCTIONS[name]
    args = ", ".join("|".join(t) if t is not None else "任意" for t in accepted)
    return f"{name}({args}) → {result}"
