"""Hover and completion in ``.rules`` files.

A rule being typed rarely parses, so names are resolved from the text around the cursor: the
bindings of the current rule (``for row r in 公开03表``, ``let 合计行 = 公开01表.收入[总计]``,
comprehensions and mentions) and the postfix expression before a ``.``. This is deliberately
best effort; the type checker remains the judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lsprotocol import types

from ..dsl.check import FUNCTIONS, SEVERITIES, STATUSES, SchemaEnv
from ..dsl.parser import keywords, name_pattern
from ..packs.schema import TableSpec
from .schema_docs import column_markdown, field_markdown, function_signature, table_markdown

# Functions whose result ranges over the rows of their (first) argument's table.
_ROW_FUNCTIONS = ("children", "parent", "above", "below", "between")
_LABELS = {"科目代码": ("科目代码", "科目名称"), "项目": ("项目", "行次"), "行次": ("项目", "行次"), "无": ()}
_MENTION_ATTRS = ("row", "label")
_MAX_DEPTH = 8
_RULE_START = re.compile(r"\s*rule\s")


@dataclass(frozen=True)
class Target:
    """What an expression denotes, as far as members go: a table (or one of its blocks), a row, a mention."""

    spec: TableSpec
    block: str | None
    kind: str
    captures: tuple[str, ...] = ()


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    name = name_pattern().pattern
    postfix = rf"(?:{name}\s*\([^()\n]*\)|{name})(?:\s*\.\s*{name}|\s*\[[^\[\]\n]*\])*"
    return {
        "name": name_pattern(),
        "postfix_end": re.compile(rf"(?:{postfix})$"),
        "row": re.compile(rf"\bfor\s+row\s+({name})\s+in\s+({postfix})"),
        "comprehension": re.compile(rf"\bfor\s+({name})\s+in\s+({postfix})"),
        "let": re.compile(rf"\blet\s+({name})\s*=\s*({postfix})"),
        "mention": re.compile(rf"\bfor\s+mention\s+({name})\s+of\s+({postfix})\s+followed\s+by\s+\"([^\"\n]*)\""),
        "capture": re.compile(rf"\{{({name})"),
    }


def _rule_text(lines: list[str], line: int) -> str:
    """The text of the rule around ``line``: from its ``rule`` line to the next one."""
    start = next((i for i in range(min(line, len(lines) - 1), -1, -1) if _RULE_START.match(lines[i])), 0)
    end = next((i for i in range(start + 1, len(lines)) if _RULE_START.match(lines[i])), len(lines))
    return "\n".join(lines[start:end])


class RuleScope:
    """The names visible at the cursor: the pack's tables and the current rule's variables."""

    def __init__(self, specs: dict[str, TableSpec], text: str, line: int) -> None:
        self.env = SchemaEnv(specs)
        self.specs = specs
        self.bindings: dict[str, tuple[str, str, tuple[str, ...]]] = {}
        p = _patterns()
        rule = _rule_text(text.splitlines(), line)
        for kind in ("mention", "row", "comprehension", "let"):
            for m in p[kind].finditer(rule):
                caps = tuple(p["capture"].findall(m.group(3))) if kind == "mention" else ()
                self.bindings.setdefault(m.group(1), (kind, m.group(2), caps))

    def resolve(self, expr: str, depth: int = 0) -> Target | None:
        """Resolve a postfix expression such as ``公开01表.收入[总计]``, ``children(r)`` or ``m.row``."""
        expr = expr.strip()
        if depth > _MAX_DEPTH or not expr:
            return None
        if expr.endswith("]"):
            base = self.resolve(expr[: expr.rfind("[")], depth + 1)
            return Target(base.spec, base.block, "row") if base and base.kind == "table" else None
        if expr.endswith(")"):
            opening = expr.rfind("(")
            func = expr[:opening].strip()
            first = expr[opening + 1 : -1].split(",")[0]
            base = self.resolve(first, depth + 1) if func in _ROW_FUNCTIONS else None
            return Target(base.spec, base.block, "row") if base and base.kind == "row" else None
        m = re.search(rf"(?:{name_pattern().pattern})$", expr)
        if m is None:
            return None
        name, before = m.group(), expr[: m.start()].rstrip()
        if before.endswith("."):
            return self.member(self.resolve(before[:-1], depth + 1), name)
        return self.head(name, depth)

    def head(self, name: str, depth: int) -> Target | None:
        if name in self.bindings:
            kind, source, caps = self.bindings[name]
            if kind == "mention":
                table = self.resolve(source.rsplit(".", 1)[0], depth + 1)
                return Target(table.spec, table.block, "mention", caps) if table else None
            target = self.resolve(source, depth + 1)
            if target is None or kind == "let":
                return target
            return Target(target.spec, target.block, "row")
        spec = self.env.table(name)
        return Target(spec, None, "table") if spec else None

    @staticmethod
    def member(base: Target | None, name: str) -> Target | None:
        if base is None:
            return None
        if base.kind == "table" and base.block is None:
            block = base.spec.block(name)
            if block is not None:
                return Target(base.spec, block.name, "table")
        if base.kind == "mention" and name in ("row", "行"):
            return Target(base.spec, base.block, "row")
        return None

    def receiver(self, line_prefix: str) -> Target | None:
        """The target of ``X.`` when the prefix (the partial name already removed) ends in a dot."""
        before = line_prefix.rstrip()
        if not before.endswith("."):
            return None
        m = _patterns()["postfix_end"].search(before[:-1].rstrip())
        return self.resolve(m.group()) if m else None


def _word_at(line: str, col: int) -> re.Match[str] | None:
    for m in name_pattern().finditer(line):
        if m.start() <= col <= m.end():
            return m
    return None


def _block_key(target: Target) -> str:
    block = target.spec.block(target.block) if target.block else target.spec.blocks[0]
    return block.key if block else "无"


def hover_markdown(specs: dict[str, TableSpec], text: str, line: int, col: int) -> str | None:
    """Schema of the table or column under the cursor (0-based line, code-point column)."""
    lines = text.splitlines()
    if line >= len(lines):
        return None
    m = _word_at(lines[line], col)
    if m is None:
        return None
    word = m.group()
    scope = RuleScope(specs, text, line)
    target = scope.receiver(lines[line][: m.start()])
    if target is not None:
        if any(f.name == word for f in target.spec.fields):
            return field_markdown(target.spec, word)
        if word in target.spec.column_names(target.block):
            return column_markdown(target.spec, word, target.block)
        if target.spec.block(word) is not None:
            return table_markdown(target.spec)
    spec = scope.env.table(word)
    if spec is not None:
        return table_markdown(spec)
    forms = [s for s in specs.values() if any(f.name == word for f in s.fields)]
    if forms:
        return "\n\n---\n\n".join(field_markdown(s, word) for s in forms)
    owners = [s for s in specs.values() if word in s.column_names()]
    if owners:
        return "\n\n---\n\n".join(column_markdown(s, word) for s in owners)
    if word in FUNCTIONS:
        return f"`{function_signature(word)}`"
    return None


def _item(label: str, kind: types.CompletionItemKind, detail: str, doc: str | None = None) -> types.CompletionItem:
    documentation = types.MarkupContent(kind=types.MarkupKind.Markdown, value=doc) if doc else None
    return types.CompletionItem(label=label, kind=kind, detail=detail, documentation=documentation)


def _member_items(target: Target) -> list[types.CompletionItem]:
    spec = target.spec
    label = f"{spec.code or spec.id} {spec.title}"
    if target.kind == "mention":
        return [_item(n, types.CompletionItemKind.Field, "提及") for n in (*target.captures, *_MENTION_ATTRS)]
    items: list[types.CompletionItem] = []
    if target.kind == "table" and target.block is None and spec.has_blocks():
        items.extend(
            _item(b.name, types.CompletionItemKind.Module, f"{label} 分区", table_markdown(spec))
            for b in spec.blocks
            if b.name
        )
    key = _block_key(target)
    if target.kind == "row" or key == "无":
        for b in spec.blocks:
            if target.block in (None, b.name):
                items.extend(
                    _item(
                        c.name,
                        types.CompletionItemKind.Field,
                        f"{label}"
                        + (f".{b.name}" if b.name else "")
                        + (f" 栏次 {c.number}" if c.number is not None else ""),
                        column_markdown(spec, c.name, b.name),
                    )
                    for c in b.columns
                )
    items.extend(_item(n, types.CompletionItemKind.Property, "行标签") for n in _LABELS.get(key, ()))
    if target.kind == "row":
        items.extend(
            _item(n, types.CompletionItemKind.Property, f"{spec.id} 文本字段", field_markdown(spec, n))
            for n in spec.text_fields()
        )
    return list({i.label: i for i in items}.values())


def _key_text(key: str) -> str:
    """A row key as a selector writes it: bare when it is a name or a code, else quoted."""
    return key if name_pattern().fullmatch(key) or key.isdigit() else '"' + key.replace('"', '\\"') + '"'


def _row_items(target: Target, keys: list[str], line: int, dot: int, col: int) -> list[types.CompletionItem]:
    """After ``公开03表.``: ``[合计]``, ``[201]`` … (and ``[合计].列``), replacing the dot with the selector."""
    rng = types.Range(start=types.Position(line=line, character=dot), end=types.Position(line=line, character=col))
    spec = target.spec
    table = spec.code or spec.id

    def edit(text: str, typed: str, kind: types.CompletionItemKind, detail: str, order: str, doc: str | None = None):
        item = _item(text, kind, detail, doc)
        item.sort_text, item.filter_text = order, f".{typed}"
        item.text_edit = types.TextEdit(range=rng, new_text=text)
        return item

    items = [
        edit(f"[{_key_text(key)}]", key, types.CompletionItemKind.EnumMember, f"{table} 的行（见于示例）", f"0{i:03d}")
        for i, key in enumerate(keys)
    ]
    if "合计" in keys:
        items.extend(
            edit(
                f"[合计].{name}",
                name,
                types.CompletionItemKind.Field,
                f"{table} 合计行的列",
                f"1{j:03d}",
                column_markdown(spec, name, target.block),
            )
            for j, name in enumerate(spec.column_names(target.block))
        )
    return items


def _global_items(scope: RuleScope, definitions: dict[str, str]) -> list[types.CompletionItem]:
    items: list[types.CompletionItem] = []
    items.extend(
        _item(n, types.CompletionItemKind.Constant, "规则包中的定义", f"```text\n{src}\n```")
        for n, src in definitions.items()
    )
    for spec in scope.specs.values():
        doc = table_markdown(spec)
        items.extend(
            _item(n, types.CompletionItemKind.Class, f"{spec.code or spec.id} {spec.title}", doc) for n in spec.names()
        )
    items.extend(_item(n, types.CompletionItemKind.Variable, "变量") for n in scope.bindings)
    items.extend(_item(n, types.CompletionItemKind.Function, function_signature(n)) for n in FUNCTIONS)
    items.extend(_item(k, types.CompletionItemKind.Keyword, "关键字") for k in keywords())
    return list({i.label: i for i in items}.values())


def completion_items(
    specs: dict[str, TableSpec],
    text: str,
    line: int,
    col: int,
    row_keys: dict[tuple[str, str | None], list[str]] | None = None,
    definitions: dict[str, str] | None = None,
) -> list[types.CompletionItem]:
    """Members after ``X.``, severities after ``severity``, otherwise tables, variables, functions, keywords.

    ``row_keys`` (by table and block) are offered after a table: ``公开03表.`` → ``公开03表[合计]``;
    ``definitions`` (name → source) are the pack's ``define``s.
    Their edits are in code points; the server converts them to the client's units.
    """
    lines = text.splitlines()
    prefix = lines[line][:col] if line < len(lines) else ""
    partial = re.search(rf"(?:{name_pattern().pattern})$", prefix)
    prefix = prefix[: partial.start()] if partial else prefix
    if re.search(r"\bseverity\s+$", prefix):
        return [_item(s, types.CompletionItemKind.EnumMember, "严重级别") for s in SEVERITIES]
    if re.search(r"\bstatus\s+$", prefix):
        return [_item(s, types.CompletionItemKind.EnumMember, "规则状态") for s in STATUSES]
    scope = RuleScope(specs, text, line)
    if prefix.rstrip().endswith("."):
        target = scope.receiver(prefix)
        if target is None:
            return []
        items = _member_items(target)
        chooses_rows = target.kind == "table" and _block_key(target) != "无"
        if chooses_rows and not (target.block is None and target.spec.has_blocks()):
            keys = (row_keys or {}).get((target.spec.id, target.block), [])
            items.extend(_row_items(target, keys, line, len(prefix.rstrip()) - 1, col))
        return items
    return _global_items(scope, definitions or {})
