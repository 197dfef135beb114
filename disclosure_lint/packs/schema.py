"""Table schemas: what a pack says each disclosure table looks like.

The recognizer uses them to find and normalize tables; the rule type-checker uses them to reject
unknown tables, blocks and columns before any report is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import PackError
from ..nearest import did_you_mean, nearest
from .places import Places, YamlFile

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


FIELD_TYPES = ("amount", "percent", "score", "count", "text", "year")
FIELD_TYPE_NAMES = {
    "金额": "amount",
    "比例": "percent",
    "百分比": "percent",
    "得分": "score",
    "分数": "score",
    "数量": "count",
    "文本": "text",
    "年度": "year",
    **{t: t for t in FIELD_TYPES},
}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a form-style attachment (绩效自评表), found by its label or a text pattern.

    ``label``: the value is the rest of the labelled cell or the next non-empty cell to its right.
    ``pattern``: a capture pattern searched in every cell (``核定的人员编制数{值}人``); given with a
    ``label``, only in the labelled cell and the cells to its right.
    ``rows_from``/``rows_to``: the sum of the score column over the indicator rows in between.
    ``nth``: the label's n-th occurrence in the form (the 市财政 of the third column).
    A field found nowhere on a form is absent from its row, so the rules that need it are not assessable.
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


class _At:
    """Where in pack.yaml a value being validated sits: its key path, for located errors."""

    def __init__(self, places: Places | str, *path: str) -> None:
        self.places = places if isinstance(places, Places) else Places([YamlFile(places, {})])
        self.path = tuple(path)

    def __truediv__(self, key: Any) -> _At:
        return _At(self.places, *self.path, str(key))

    @property
    def where(self) -> str:
        return ".".join(self.path)

    def error(self, message: str, value: bool = True, code: str = "P.VALUE", suggestion: str | None = None):
        return self.places.error(message, self.path, value=value, code=code, suggestion=suggestion)

    def unknown_keys(self, raw: dict[str, Any], allowed: set[str]) -> None:
        for key in raw:
            if key not in allowed:
                near = nearest(str(key), allowed)
                raise (self / key).error(
                    f"{self.where} 有未知键“{key}”{did_you_mean(near)}（可用键：{'、'.join(sorted(allowed))}）",
                    value=False,
                    code="P.KEY",
                    suggestion=near,
                )


def _mapping(raw: Any, allowed: set[str], at: _At) -> dict[str, Any]:
    """A pack.yaml entry that must be a mapping with only known keys."""
    if not isinstance(raw, dict):
        raise at.error(f"{at.where} 应为映射")
    at.unknown_keys(raw, allowed)
    return raw


def _str_list(value: Any, at: _At) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise at.error(f"{at.where} 应为字符串或字符串列表")


def _text(value: Any, at: _At, default: str = "") -> str:
    if value is None:
        return default
    if not isinstance(value, str):
        raise at.error(f"{at.where} 应为文字")
    return value


def _flag(value: Any, at: _At) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise at.error(f"{at.where} 应为 true 或 false")
    return value


COLUMN_KEYS = {"栏次", "number", "aliases", "exact"}


def _columns(raw: Any, at: _At) -> tuple[ColumnSpec, ...]:
    at = at / "columns"
    if not isinstance(raw, dict) or not raw:
        raise at.error(f"{at.where} 应为非空映射（列名: 栏次）", value=raw is not None)
    cols = []
    for name, spec in raw.items():
        col = at / name
        if isinstance(spec, bool):
            raise col.error(f"{col.where} 的栏次应为整数")
        if spec is None:
            cols.append(ColumnSpec(str(name)))
        elif isinstance(spec, int):
            cols.append(ColumnSpec(str(name), spec))
        elif isinstance(spec, dict):
            col.unknown_keys(spec, COLUMN_KEYS)
            number = spec.get("栏次", spec.get("number"))
            if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
                raise (col / ("栏次" if "栏次" in spec else "number")).error(f"{col.where} 的栏次应为整数")
            exact = spec.get("exact", False)
            if not isinstance(exact, bool):
                raise (col / "exact").error(f"{col.where} 的 exact 应为 true 或 false")
            cols.append(ColumnSpec(str(name), number, _str_list(spec.get("aliases"), col / "aliases"), exact))
        else:
            raise col.error(f"{col.where} 应为栏次整数或映射")
    return tuple(cols)


def _key(raw: Any, at: _At) -> str:
    key = raw if raw is not None else "科目代码"
    if isinstance(key, list):
        key = key[0] if key else "科目代码"
    if key not in KEY_KINDS:
        raise (at / "key").error(
            f"{at.where}.key 应为 {'/'.join(KEY_KINDS)} 之一，而不是 {key!r}", suggestion=nearest(str(key), KEY_KINDS)
        )
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
BLOCK_KEYS = {"key", "columns", "aliases"}


def table_spec(table_id: str, raw: Any, places: Places | str) -> TableSpec:
    """Validate one ``tables:`` entry of pack.yaml."""
    at = _At(places, "tables", table_id)
    raw = _mapping(raw, TABLE_KEYS, at)
    title = _text(raw.get("title"), at / "title", table_id)
    layout = raw.get("layout") or ("blocks" if "blocks" in raw else "grid")
    if layout not in LAYOUTS:
        raise (at / "layout").error(
            f"{at.where}.layout 应为 {'/'.join(LAYOUTS)} 之一", suggestion=nearest(str(layout), LAYOUTS)
        )
    blocks: list[BlockSpec] = []
    if layout == "grid":
        blocks.append(BlockSpec(None, _key(raw.get("key"), at), _columns(raw.get("columns"), at)))
    else:
        rb = raw.get("blocks")
        if not isinstance(rb, dict) or not rb:
            raise (at / "blocks").error(f"{at.where}.blocks 应为非空映射", value="blocks" in raw)
        for name, spec in rb.items():
            bat = at / "blocks" / name
            spec = _mapping(spec, BLOCK_KEYS, bat)
            blocks.append(
                BlockSpec(
                    str(name),
                    _key(spec.get("key"), bat),
                    _columns(spec.get("columns"), bat),
                    _str_list(spec.get("aliases"), bat / "aliases"),
                )
            )
    code = _text(raw.get("code"), at / "code") or (table_id if re.match(r"^公开\d+表$", table_id) else "")
    return TableSpec(
        id=table_id,
        title=title,
        code=code,
        aliases=_str_list(raw.get("aliases"), at / "aliases"),
        layout=layout,
        blocks=tuple(blocks),
        hierarchy=_flag(raw.get("hierarchy"), at / "hierarchy"),
        required=_flag(raw.get("required"), at / "required"),
        attachment=_flag(raw.get("attachment"), at / "attachment"),
        description=_text(raw.get("description"), at / "description"),
    )


ATTACHMENT_KEYS = {"title", "aliases", "key", "fields", "description"}
FIELD_KEYS = {"label", "pattern", "type", "rows_from", "rows_to", "nth"}


def _field(name: str, spec: Any, at: _At) -> FieldSpec:
    if not isinstance(spec, dict):
        raise at.error(f"{at.where} 应为映射，可用键：{'、'.join(sorted(FIELD_KEYS))}")
    at.unknown_keys(spec, FIELD_KEYS)
    type_name = str(spec.get("type", "金额"))
    kind = FIELD_TYPE_NAMES.get(type_name)
    if kind is None:
        near = nearest(type_name, [k for k in FIELD_TYPE_NAMES if not k.isascii()])
        raise (at / "type").error(
            f"{at.where}.type 应为 金额/比例/得分/数量/文本/年度 之一，而不是“{type_name}”{did_you_mean(near)}",
            suggestion=near,
        )
    texts = {k: _text(spec.get(k), at / k) or None for k in ("label", "pattern", "rows_from", "rows_to")}
    if not (texts["label"] or texts["pattern"] or texts["rows_from"]):
        raise at.error(f"{at.where} 需要 label、pattern 或 rows_from 之一")
    if texts["pattern"]:
        from ..dsl.patterns import compile_pattern

        spot = at.places.find((*at.path, "pattern"), value=True)[1]
        try:
            pattern = compile_pattern(
                texts["pattern"], at.places.find(at.path)[0], spot.line if spot else 1, spot.col if spot else 1
            )
        except RecursionError:
            raise (at / "pattern").error(f"{at.where}.pattern 嵌套过深，无法编译", code="P.TOO-DEEP") from None
        if not pattern.captures:
            raise (at / "pattern").error(f"{at.where}.pattern 需要一个捕获，例如 {{值:数量}}")
    nth = spec.get("nth", 1)
    if not isinstance(nth, int) or isinstance(nth, bool) or nth < 1:
        raise (at / "nth").error(f"{at.where}.nth 应为正整数")
    return FieldSpec(name, kind, texts["label"], texts["pattern"], texts["rows_from"], texts["rows_to"], nth)


def attachment_spec(form_id: str, raw: Any, places: Places | str, recover: list[PackError] | None = None) -> TableSpec:
    """Validate one ``attachments:`` entry: a form printed once per project (or once per report).

    Each printed form becomes one row of a table named by the attachment id, so rules read it like
    any table: ``for row p in 项目支出绩效自评表 assert p.总分 == p.执行得分 + p.指标得分``.
    With ``recover``, a broken field is added to it and read as an amount found by its name, so one
    mistake is one error.
    """
    at = _At(places, "attachments", form_id)
    raw = _mapping(raw, ATTACHMENT_KEYS, at)
    rf = raw.get("fields")
    if not isinstance(rf, dict) or not rf:
        raise (at / "fields").error(f"{at.where}.fields 应为非空映射", value="fields" in raw)
    fields = []
    for name, spec in rf.items():
        try:
            fields.append(_field(str(name), spec, at / "fields" / name))
        except PackError as exc:
            if recover is None:
                raise
            # Keep the field by its name, so rules that use it are not reported as well.
            recover.append(exc)
            fields.append(FieldSpec(str(name), "amount", label=str(name)))
    key = str(raw.get("key") or "无")
    texts = [f.name for f in fields if f.type == "text"]
    if key != "无" and key not in texts:
        raise (at / "key").error(f"{at.where}.key 应为某个文本字段的名称或“无”", suggestion=nearest(key, texts))
    columns = tuple(ColumnSpec(f.name, exact=f.type in ("score", "count", "year")) for f in fields if f.type != "text")
    return TableSpec(
        id=form_id,
        title=_text(raw.get("title"), at / "title", form_id),
        code="",
        aliases=_str_list(raw.get("aliases"), at / "aliases"),
        layout="form",
        blocks=(BlockSpec(None, key, columns),),
        attachment=True,
        description=_text(raw.get("description"), at / "description"),
        fields=tuple(fields),
    )
