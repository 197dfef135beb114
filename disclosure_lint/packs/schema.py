"""Table schemas: what a pack says each disclosure table looks like.

The recognizer uses them to find and normalize tables; the rule type-checker uses them to reject
unknown tables, blocks and columns before any report is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import PackError

KEY_KINDS = ("科目代码", "项目", "行次", "无")
LAYOUTS = ("grid", "blocks", "sectioned")


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """A value column. ``number`` is its 栏次; ``aliases`` are header texts, ``a/b`` meaning a over b.

    ``exact`` marks counts (vehicles, units of equipment): they are whole numbers, not rounded
    amounts, so they are compared without the rounding interval.
    """

    name: str
    number: int | None = None
    aliases: tuple[str, ...] = ()
    exact: bool = False

    def patterns(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class BlockSpec:
    name: str | None
    key: str
    columns: tuple[ColumnSpec, ...]
    aliases: tuple[str, ...] = ()

    def column(self, name: str) -> ColumnSpec | None:
        for c in self.columns:
            if c.name == name:
                return c
        return None


FIELD_TYPES = ("amount", "score", "count", "text", "year")
_FIELD_TYPE_ZH = {"金额": "amount", "得分": "score", "分数": "score", "数量": "count", "文本": "text", "年度": "year"}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a form-style attachment (绩效自评表), found by its label or a text pattern.

    ``label``: the value is the rest of the labelled cell or the next non-empty cell to its right.
    ``pattern``: a capture pattern searched in every cell (``核定的人员编制数{值}人``).
    ``rows_from``/``rows_to``: the sum of the score column over the indicator rows in between.
    ``nth``: the label's n-th occurrence in the form (the 市财政 of the third column).
    """

    name: str
    type: str
    label: str | None = None
    pattern: str | None = None
    rows_from: str | None = None
    rows_to: str | None = None
    nth: int = 1


@dataclass(frozen=True, slots=True)
class TableSpec:
    id: str
    title: str
    code: str
    aliases: tuple[str, ...]
    layout: str
    blocks: tuple[BlockSpec, ...]
    hierarchy: bool = False
    required: bool = False
    attachment: bool = False
    description: str = ""
    fields: tuple[FieldSpec, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every name a rule or a document may use for this table."""
        return tuple(dict.fromkeys((self.id, self.code, self.title, *self.aliases)))

    def block(self, name: str | None) -> BlockSpec | None:
        for b in self.blocks:
            if b.name == name or (name is not None and name in b.aliases):
                return b
        return None

    def column_names(self, block: str | None = None) -> list[str]:
        names: list[str] = []
        for b in self.blocks:
            if block is None or b.name == block:
                names.extend(c.name for c in b.columns if c.name not in names)
        return names

    def text_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.type == "text")

    def has_blocks(self) -> bool:
        return self.layout != "grid"


def _mapping(raw: Any, allowed: set[str], where: str, path: str) -> dict[str, Any]:
    """A pack.yaml entry that must be a mapping with only known keys."""
    if not isinstance(raw, dict):
        raise PackError(f"{where} 应为映射", path, where=where)
    unknown = set(raw) - allowed
    if unknown:
        raise PackError(f"{where} 有未知键：{', '.join(sorted(unknown))}", path, where=where)
    return raw


def _str_list(value: Any, where: str, path: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise PackError(f"{where} 应为字符串或字符串列表", path, where=where)


def _columns(raw: Any, where: str, path: str) -> tuple[ColumnSpec, ...]:
    if not isinstance(raw, dict) or not raw:
        raise PackError(f"{where}.columns 应为非空映射（列名: 栏次）", path, where=where)
    cols = []
    for name, spec in raw.items():
        if isinstance(spec, bool):
            raise PackError(f"{where}.columns.{name} 的栏次应为整数", path, where=where)
        if spec is None:
            cols.append(ColumnSpec(str(name)))
        elif isinstance(spec, int):
            cols.append(ColumnSpec(str(name), spec))
        elif isinstance(spec, dict):
            unknown = set(spec) - {"栏次", "number", "aliases", "exact"}
            if unknown:
                raise PackError(f"{where}.columns.{name} 有未知键：{', '.join(sorted(unknown))}", path, where=where)
            number = spec.get("栏次", spec.get("number"))
            if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
                raise PackError(f"{where}.columns.{name} 的栏次应为整数", path, where=where)
            exact = spec.get("exact", False)
            if not isinstance(exact, bool):
                raise PackError(f"{where}.columns.{name} 的 exact 应为 true 或 false", path, where=where)
            cols.append(ColumnSpec(str(name), number, _str_list(spec.get("aliases"), where, path), exact))
        else:
            raise PackError(f"{where}.columns.{name} 应为栏次整数或映射", path, where=where)
    return tuple(cols)


def _key(raw: Any, where: str, path: str) -> str:
    key = raw if raw is not None else "科目代码"
    if isinstance(key, list):
        key = key[0] if key else "科目代码"
    if key not in KEY_KINDS:
        raise PackError(f"{where}.key 应为 {'/'.join(KEY_KINDS)} 之一，而不是 {key!r}", path, where=where)
    return key


TABLE_KEYS = {
    "title",
    "code",
    "aliases",
    "layout",
    "blocks",
    "columns",
    "key",
    "hierarchy",
    "required",
    "attachment",
    "description",
}


def table_spec(table_id: str, raw: Any, path: str) -> TableSpec:
    """Validate one ``tables:`` entry of pack.yaml."""
    where = f"tables.{table_id}"
    raw = _mapping(raw, TABLE_KEYS, where, path)
    title = raw.get("title") or table_id
    layout = raw.get("layout") or ("blocks" if "blocks" in raw else "grid")
    if layout not in LAYOUTS:
        raise PackError(f"{where}.layout 应为 {'/'.join(LAYOUTS)} 之一", path, where=where)
    blocks: list[BlockSpec] = []
    if layout == "grid":
        blocks.append(BlockSpec(None, _key(raw.get("key"), where, path), _columns(raw.get("columns"), where, path)))
    else:
        rb = raw.get("blocks")
        if not isinstance(rb, dict) or not rb:
            raise PackError(f"{where}.blocks 应为非空映射", path, where=where)
        for name, spec in rb.items():
            bw = f"{where}.blocks.{name}"
            if not isinstance(spec, dict):
                raise PackError(f"{bw} 应为映射", path, where=bw)
            blocks.append(
                BlockSpec(
                    str(name),
                    _key(spec.get("key"), bw, path),
                    _columns(spec.get("columns"), bw, path),
                    _str_list(spec.get("aliases"), bw, path),
                )
            )
    code = raw.get("code") or (table_id if re.match(r"^公开\d+表$", table_id) else "")
    return TableSpec(
        id=table_id,
        title=str(title),
        code=str(code),
        aliases=_str_list(raw.get("aliases"), where, path),
        layout=layout,
        blocks=tuple(blocks),
        hierarchy=bool(raw.get("hierarchy", False)),
        required=bool(raw.get("required", False)),
        attachment=bool(raw.get("attachment", False)),
        description=str(raw.get("description") or ""),
    )


ATTACHMENT_KEYS = {"title", "aliases", "key", "fields", "description"}
FIELD_KEYS = {"label", "pattern", "type", "rows_from", "rows_to", "nth"}


def attachment_spec(form_id: str, raw: Any, path: str) -> TableSpec:
    """Validate one ``attachments:`` entry: a form printed once per project (or once per report).

    Each printed form becomes one row of a table named by the attachment id, so rules read it like
    any table: ``for row p in 项目支出绩效自评表 assert p.总分 == p.执行得分 + p.指标得分``.
    """
    where = f"attachments.{form_id}"
    raw = _mapping(raw, ATTACHMENT_KEYS, where, path)
    rf = raw.get("fields")
    if not isinstance(rf, dict) or not rf:
        raise PackError(f"{where}.fields 应为非空映射", path, where=where)
    fields = []
    for name, spec in rf.items():
        fw = f"{where}.fields.{name}"
        if not isinstance(spec, dict) or set(spec) - FIELD_KEYS:
            raise PackError(f"{fw} 应为映射，可用键：{', '.join(sorted(FIELD_KEYS))}", path, where=fw)
        kind = _FIELD_TYPE_ZH.get(str(spec.get("type", "amount")), str(spec.get("type", "amount")))
        if kind not in FIELD_TYPES:
            raise PackError(f"{fw}.type 应为 金额/得分/数量/文本/年度 之一", path, where=fw)
        nth = spec.get("nth", 1)
        if not isinstance(nth, int) or isinstance(nth, bool) or nth < 1:
            raise PackError(f"{fw}.nth 应为正整数", path, where=fw)
        if not (spec.get("label") or spec.get("pattern") or spec.get("rows_from")):
            raise PackError(f"{fw} 需要 label、pattern 或 rows_from 之一", path, where=fw)
        fields.append(
            FieldSpec(
                str(name),
                kind,
                spec.get("label"),
                spec.get("pattern"),
                spec.get("rows_from"),
                spec.get("rows_to"),
                nth,
            )
        )
    key = str(raw.get("key") or "无")
    if key != "无" and key not in [f.name for f in fields if f.type == "text"]:
        raise PackError(f"{where}.key 应为某个文本字段的名称或“无”", path, where=where)
    columns = tuple(ColumnSpec(f.name, exact=f.type in ("score", "count", "year")) for f in fields if f.type != "text")
    return TableSpec(
        id=form_id,
        title=str(raw.get("title") or form_id),
        code="",
        aliases=_str_list(raw.get("aliases"), where, path),
        layout="form",
        blocks=(BlockSpec(None, key, columns),),
        attachment=True,
        description=str(raw.get("description") or ""),
        fields=tuple(fields),
    )
