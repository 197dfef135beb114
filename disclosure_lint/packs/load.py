"""Rule packs: ``pack.yaml`` + ``*.rules``, with ``extends`` overrides, loaded (``packs.locate`` finds them).

A pack is loaded completely (schemas validated, every rule parsed, type-checked and compiled)
before any report is read, so a broken pack fails fast with file:line:col. Loading goes on after an
error, so one run reports every error of the pack (up to ``MAX_ERRORS``), each at its own place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .. import matching
from ..dsl import ast as A
from ..dsl import ir
from ..dsl.astcache import parse_source_cached
from ..dsl.check import FUNCTIONS, SEVERITIES, Checker, SchemaEnv
from ..engine.evaluate import CompiledRule, compile_rule
from ..errors import PackError, PackErrors
from ..model import Meta
from ..nearest import did_you_mean, nearest
from ..recognize.facts import FACT_SPECS
from .locate import choose_pack, deep_merge, merge_chain, pack_chain, resolve_pack_path
from .manifest import check_manifest
from .places import Places, YamlFile
from .schema import TableSpec, attachment_spec, table_spec
from .source import read_source

MAX_ERRORS = 50
_YEARISH = re.compile(r"(?:19|20)\d{2}")


@dataclass
class Pack:
    id: str
    title: str
    kind: str
    years: list[int]
    path: Path
    regulations: list[str]
    specs: dict[str, TableSpec]
    rules: list[CompiledRule]
    checked: dict[str, ir.CheckedRule]
    lineage: list[Path] = field(default_factory=list)
    match: str | None = None
    help_uri: str | None = None
    description: str = ""
    definitions: dict[str, A.Define] = field(default_factory=dict)
    unused_definitions: list[A.Define] = field(default_factory=list)
    places: Places | None = None

    def rule(self, rule_id: str) -> CompiledRule | None:
        for r in self.rules:
            if r.id == rule_id:
                return r
        return None

    def example_dirs(self, rule_id: str) -> list[Path]:
        """Example folders for a rule, nearest pack first (a child pack may add its own). A rule that a
        child pack restates for its own layout is tested on that pack's examples, not on the parent's;
        a rule it only overrides keeps the parent's examples."""
        checked = self.checked.get(rule_id)
        origin = Path(checked.file).parent if checked is not None else None
        dirs: list[Path] = []
        for p in self.lineage:
            if (p / "examples" / rule_id).is_dir():
                dirs.append(p / "examples" / rule_id)
            if p == origin:
                break
        return dirs


def _places(chain: list[tuple[Path, YamlFile]]) -> Places:
    return Places(yf for _, yf in reversed(chain))


class _Errors:
    """Errors collected while loading, in the order found, up to MAX_ERRORS."""

    def __init__(self) -> None:
        self.items: list[PackError] = []
        self.unlisted = 0

    def add(self, exc: PackError) -> None:
        if isinstance(exc, PackErrors):
            for e in exc.errors:
                self.add(e)
            self.unlisted += exc.unlisted
        elif len(self.items) < MAX_ERRORS:
            self.items.append(exc)
        else:
            self.unlisted += 1

    def raise_any(self) -> None:
        """Raise every error, grouped by file (in the order files were first named), then by place."""
        if self.items:
            order = {p: i for i, p in enumerate(dict.fromkeys(e.path for e in self.items))}
            raise PackErrors(sorted(self.items, key=lambda e: (order[e.path], e.line or 0, e.col or 0)), self.unlisted)


def _specs(chain: list[tuple[Path, YamlFile]], errors: _Errors) -> dict[str, TableSpec]:
    merged = merge_chain(chain)
    places = _places(chain)
    meant = _new_entries_need_titles(chain, errors)
    specs: dict[str, TableSpec] = {}
    for section, build in (("tables", table_spec), ("attachments", attachment_spec)):
        entries = merged.get(section) or {}
        if not isinstance(entries, dict):
            continue
        for (where, wrong), right in meant.items():
            # Read a misspelt entry as the one it names (already reported), so the rules that use the
            # intended table are checked against it rather than failing one by one.
            if where == section and right is not None and isinstance(entries.get(wrong), dict):
                entries[right] = deep_merge(entries.get(right), entries.pop(wrong))
        for k, v in entries.items():
            if str(k) in specs:
                errors.add(places.error(f"附件 {k} 与表格同名", [section, k]))
                continue
            try:
                if build is attachment_spec:
                    recovered: list[PackError] = []
                    specs[str(k)] = attachment_spec(str(k), v, places, recovered)
                    for exc in recovered:
                        errors.add(exc)
                else:
                    specs[str(k)] = build(str(k), v, places)
            except PackError as exc:
                errors.add(exc)
                inherited = _inherited_spec(chain, section, str(k))
                if inherited is not None:
                    specs[str(k)] = inherited
    for k, spec in FACT_SPECS.items():
        specs.setdefault(k, spec)
    return specs


def _inherited_spec(chain: list[tuple[Path, YamlFile]], section: str, name: str) -> TableSpec | None:
    """The entry as the parents declare it, so a child's broken change is one error rather than one per
    inherited rule that reads the table."""
    build = table_spec if section == "tables" else attachment_spec
    for n in range(len(chain) - 1, 0, -1):
        raw = (merge_chain(chain[:n]).get(section) or {}).get(name)
        if isinstance(raw, dict):
            try:
                return build(name, raw, _places(chain[:n]))
            except PackError:
                continue
    return None


def _new_entries_need_titles(chain: list[tuple[Path, YamlFile]], errors: _Errors) -> dict[tuple[str, str], str | None]:
    """In a child pack, a table or attachment its parents lack, given without a title, is most likely a
    misspelt name of an inherited one: say so in pack.yaml, before a rule fails to find its columns.
    Returns (section, name) -> the inherited name it probably means."""
    meant: dict[tuple[str, str], str | None] = {}
    for i, (_, yf) in enumerate(chain[1:], 1):
        for section, what in (("tables", "表"), ("attachments", "附件")):
            entries = yf.data.get(section)
            if not isinstance(entries, dict):
                continue
            inherited = [str(k) for _, p in chain[:i] for k in (p.data.get(section) or {})]
            for name, entry in entries.items():
                if str(name) in inherited or (isinstance(entry, dict) and entry.get("title")):
                    continue
                near = nearest(str(name), inherited)
                meant[(section, str(name))] = near
                errors.add(
                    Places([yf]).error(
                        f"上级规则包中没有名为“{name}”的{what}{did_you_mean(near)}（新增的{what}须写明 title）",
                        [section, name],
                        code="P.UNKNOWN-TABLE",
                        suggestion=near,
                    )
                )
    return meant


def _check_rule_id(rule: A.Rule, file: str) -> None:
    if _YEARISH.search(rule.id):
        raise PackError(f"规则编号 {rule.id} 不应包含年份：编号须跨年度保持稳定", file, rule.pos.line, rule.pos.col)


def _duplicate(what: str, node: A.Rule | A.Define, first: A.Rule | A.Define) -> PackError:
    """A second definition of a name, located there and naming where the first one is."""
    where = f"{Path(first.file).name}:{first.pos.line}:{first.pos.col}"
    return PackError(f"{what}（首次定义于 {where}）", node.file, node.pos.line, node.pos.col, code="P.DUPLICATE")


def pack_specs(pack_dir: Path, search: tuple[Path, ...] = ()) -> dict[str, TableSpec]:
    """Table schemas of a pack (``extends`` resolved) without reading its rule files.

    An editor checks a rule file while it is being written, so the pack's other rule files, or this
    one as saved on disk, may well be broken; the schemas are all the check needs.
    """
    errors = _Errors()
    specs = _specs(pack_chain(pack_dir.resolve(), list(search)), errors)
    errors.raise_any()
    return specs


def _rule_files(chain: list[tuple[Path, YamlFile]], errors: _Errors) -> list[tuple[Path, Path]]:
    """(pack folder, rule file) in load order, root pack first; a missing file is an error at its entry."""
    out = []
    for pdir, yf in chain:
        files = yf.data.get("rule_files") or []
        if not isinstance(files, list):
            continue
        for i, name in enumerate(files):
            if not isinstance(name, str):
                continue
            path = pdir / name
            if not path.is_file():
                errors.add(Places([yf]).error(f"规则文件 {name} 不存在", ["rule_files", i], value=True))
                continue
            out.append((pdir, path))
    return out


def _parse_files(files: Iterable[tuple[Path, Path]], errors: _Errors) -> list[tuple[Path, A.Node]]:
    items = []
    for pdir, path in files:
        try:
            items.extend((pdir, node) for node in parse_source_cached(read_source(path, "规则文件"), str(path)))
        except PackError as exc:
            errors.add(exc)
    return items


def pack_definitions(pack_dir: Path, search: tuple[Path, ...] = (), skip: str | None = None) -> dict[str, A.Define]:
    """The ``define``s of a pack and its parents, for an editor; files that do not parse are passed over."""
    errors = _Errors()
    chain = pack_chain(pack_dir.resolve(), list(search))
    files = [(d, f) for d, f in _rule_files(chain, errors) if skip is None or f.resolve() != Path(skip).resolve()]
    defs: dict[str, A.Define] = {}
    for _, node in _parse_files(files, errors):
        if isinstance(node, A.Define):
            defs[node.name] = node
    return defs


def _collect_definitions(
    items: list[tuple[Path, A.Node]], specs: dict[str, TableSpec], errors: _Errors
) -> dict[str, A.Define]:
    """Definitions by name. A child pack may redefine a parent's name (its rules and the inherited ones then
    use the new value); the same pack defining a name twice is an error."""
    env = SchemaEnv(specs)
    defs: dict[str, A.Define] = {}
    origin: dict[str, Path] = {}
    for pdir, node in items:
        if not isinstance(node, A.Define):
            continue
        name = node.name
        if name in FUNCTIONS or env.table(name) is not None:
            what = "内置函数" if name in FUNCTIONS else "表"
            errors.add(PackError(f"定义名“{name}”与{what}同名", node.file, node.pos.line, node.pos.col))
            continue
        if name in defs and origin[name] == pdir:
            errors.add(_duplicate(f"定义“{name}”重复", node, defs[name]))
            continue
        defs[name] = node
        origin[name] = pdir
    return defs


def _collect_rules(items: list[tuple[Path, A.Node]], errors: _Errors) -> dict[str, A.Rule]:
    """Rules by id, in load order. A child pack may restate a parent's rule (it replaces it) or override
    parts of it; the same pack defining an id twice is an error that names the first definition."""
    rules: dict[str, A.Rule] = {}
    origin: dict[str, Path] = {}
    for pdir, node in items:
        if isinstance(node, A.Rule):
            try:
                _check_rule_id(node, node.file)
            except PackError as exc:
                errors.add(exc)
                continue
            if node.id in rules and origin[node.id] == pdir:
                errors.add(_duplicate(f"规则编号 {node.id} 重复定义", node, rules[node.id]))
                continue
            rules[node.id] = node
            origin[node.id] = pdir
        elif isinstance(node, A.Override):
            target = rules.get(node.rule_id)
            if target is None or origin[node.rule_id] == pdir:
                near = nearest(node.rule_id, rules)
                why = "本规则包中的规则请直接修改" if target is not None else f"上级规则包中没有规则 {node.rule_id}"
                errors.add(
                    PackError(
                        f"override：{why}{did_you_mean(near) if target is None else ''}",
                        node.file,
                        node.pos.line,
                        node.pos.col,
                        code="P.UNKNOWN-RULE",
                        suggestion=near if target is None else None,
                    )
                )
                continue
            try:
                _apply_override(target, node)
            except PackError as exc:
                errors.add(exc)
    return rules


def _apply_override(rule: A.Rule, ov: A.Override) -> None:
    """Change an inherited rule in place: severity, tolerance, message, or the filter of one quantifier."""
    if ov.severity is not None:
        if ov.severity not in SEVERITIES:
            pos = ov.severity_pos or ov.pos
            raise PackError(
                f"严重级别应为 error、warning 或 info，而不是“{ov.severity}”",
                ov.file,
                pos.line,
                pos.col,
                suggestion=nearest(ov.severity, SEVERITIES),
            )
        rule.severity = ov.severity
    if ov.tolerance is not None:
        rule.tolerance = ov.tolerance
    if ov.message is not None:
        rule.message, rule.message_pos, rule.message_file = ov.message, ov.message_pos, ov.file
        rule.message_exprs = ov.message_exprs
    if ov.where is not None:
        loops = [q for q in rule.clauses if isinstance(q, A.Quantifier) and q.kind != "when"]
        if ov.where_target is not None:
            want = ov.where_target
            loops = [q for q in loops if q.var == want or (want == "match" and q.kind in ("match", "regex"))]
        pos = ov.where_pos or ov.pos
        if len(loops) != 1:
            names = "、".join(
                q.var or "match" for q in rule.clauses if isinstance(q, A.Quantifier) and q.kind != "when"
            )
            why = "没有可以改写 where 的 for 或 match" if not loops else "有多个 for 或 match，请写明改写哪一个"
            raise PackError(
                f"规则 {rule.id} {why}（可用：{names or '无'}），例如 where r: …", ov.file, pos.line, pos.col
            )
        loops[0].where = A.Foreign(pos, ov.file, ov.where)
    rule.overrides.append(ov)


def check_rule_text(
    text: str, file: str, specs: dict[str, TableSpec], definitions: dict[str, A.Define] | None = None
) -> list[PackError]:
    """Every error of one rule file: its syntax error, else the first type error of each rule.

    ``definitions`` are those of the pack's other files; the buffer's own ``define``s are added.
    """
    from ..dsl.parser import parse_source

    try:
        items = parse_source(text, file)
    except PackError as exc:
        return [exc]
    errors = _Errors()
    defs = dict(definitions or {})
    defs.update(_collect_definitions([(Path(file).parent, n) for n in items], specs, errors))
    checker = Checker(SchemaEnv(specs), file, defs)
    seen: dict[str, A.Rule] = {}
    for rule in (n for n in items if isinstance(n, A.Rule)):
        try:
            _check_rule_id(rule, file)
            if rule.id in seen:
                raise _duplicate(f"规则编号 {rule.id} 重复定义", rule, seen[rule.id])
            seen[rule.id] = rule
            checker.rule(rule)
        except PackError as exc:
            errors.add(exc)
    return errors.items


def _check_rules(rules: dict[str, A.Rule], env: SchemaEnv, defs: dict[str, A.Define], errors: _Errors):
    checked: dict[str, ir.CheckedRule] = {}
    used: set[str] = set()
    for rid, rule in rules.items():
        checker = Checker(env, rule.file, defs)
        try:
            result = checker.rule(rule)
        except PackError as exc:
            errors.add(exc)
            continue
        except RecursionError:
            errors.add(PackError("规则嵌套过深，无法检查", rule.file, rule.pos.line, rule.pos.col, code="P.TOO-DEEP"))
            continue
        finally:
            used |= checker.used
        result.message_from = rule.message_file
        if rule.overrides:
            result.overridden_in = [ov.file for ov in rule.overrides]
            result.source = "\n\n".join([rule.source.rstrip(), *(ov.source.rstrip() for ov in rule.overrides)])
        checked[rid] = result
    for rule in rules.values():
        named = [(c, "covers 中的规则", rule.covers_pos) for c in rule.covers]
        if rule.replaced_by is not None:
            named.append((rule.replaced_by, "替代规则", rule.status_pos))
        for rid, what, pos in named:
            if rid not in rules:
                pos = pos or rule.pos
                near = nearest(rid, rules)
                errors.add(
                    PackError(
                        f"{what} {rid} 不存在{did_you_mean(near)}",
                        rule.file,
                        pos.line,
                        pos.col,
                        code="P.UNKNOWN-RULE",
                        suggestion=near,
                    )
                )
    return checked, used


def _rule_settings(
    chain: list[tuple[Path, YamlFile]], rules: Iterable[str], errors: _Errors
) -> tuple[list[str], dict[str, str]]:
    """``disable`` and ``severity`` of every pack in the chain, each id checked against the pack's rules."""
    known = list(rules)
    disabled: list[str] = []
    severities: dict[str, str] = {}
    for _, yf in chain:
        at = Places([yf])
        dis = yf.data.get("disable") or []
        for i, rid in enumerate(dis if isinstance(dis, list) else []):
            if rid in known:
                disabled.append(rid)
            else:
                near = nearest(str(rid), known)
                errors.add(
                    at.error(
                        f"disable 中的规则 {rid} 不存在{did_you_mean(near)}",
                        ["disable", i],
                        value=True,
                        code="P.UNKNOWN-RULE",
                        suggestion=near,
                    )
                )
        sev = yf.data.get("severity") or {}
        for rid, level in sev.items() if isinstance(sev, dict) else []:
            if rid not in known:
                near = nearest(str(rid), known)
                errors.add(
                    at.error(
                        f"severity 中的规则 {rid} 不存在{did_you_mean(near)}",
                        ["severity", rid],
                        code="P.UNKNOWN-RULE",
                        suggestion=near,
                    )
                )
            elif level in SEVERITIES:
                severities[str(rid)] = level
    return disabled, severities


@cache
def load_pack(ref: str, search: tuple[Path, ...] = ()) -> Pack:
    """Load, merge, parse and type-check a pack. Cached per process: packs are immutable data.

    Raises PackErrors holding every error found (a broken pack.yaml or ``extends`` stops at once).
    The pack's patterns are kept compiled for the next run (``matching.keeping``).
    """
    with matching.keeping(repr((ref, search))):
        return _load(ref, search)


def _load(ref: str, search: tuple[Path, ...]) -> Pack:
    path = resolve_pack_path(ref, list(search))
    chain = pack_chain(path, list(search))
    errors = _Errors()
    for _, yf in chain:
        check_manifest(yf, errors.add)
    merged = merge_chain(chain)
    places = _places(chain)
    # A pack's id is its own (a child that left it out would take its parent's); the kind may be inherited.
    own = chain[-1][1].data
    for key, value in (("id", own.get("id")), ("kind", merged.get("kind"))):
        if not value:
            errors.add(PackError(f"缺少必需的键 {key}", chain[-1][1].path, 1, 1, code="P.KEY"))
    specs = _specs(chain, errors)
    items = _parse_files(_rule_files(chain, errors), errors)
    defs = _collect_definitions(items, specs, errors)
    rules = _collect_rules(items, errors)
    checked, used = _check_rules(rules, SchemaEnv(specs), defs, errors)
    disabled, severities = _rule_settings(chain, rules, errors)
    errors.raise_any()
    for rid, level in severities.items():
        checked[rid].severity = level
    help_uri = merged.get("help_uri")
    page = help_uri.replace("{pack}", str(merged["id"])) if help_uri else None
    compiled = [
        compile_rule(r, page.replace("{rule}", r.id) if page else None)
        for rid, r in checked.items()
        if rid not in disabled
    ]
    return Pack(
        id=str(merged["id"]),
        title=str(merged.get("title") or merged["id"]),
        kind=str(merged["kind"]),
        years=list(merged.get("years") or []),
        path=path,
        regulations=[str(r) for r in merged.get("regulations") or []],
        specs=specs,
        rules=compiled,
        checked=checked,
        lineage=[p for p, _ in reversed(chain)],
        match=merged.get("match"),
        help_uri=help_uri,
        description=str(merged.get("description") or ""),
        definitions=defs,
        unused_definitions=[d for name, d in defs.items() if name not in used],
        places=places,
    )


def select_pack(meta: Meta, path: str, search: tuple[Path, ...] = (), strict: bool = False) -> Pack:
    """The pack for the report's kind, region and year (see ``choose_pack``), loaded."""
    return load_pack(str(choose_pack(meta, path, search, strict)), search)
