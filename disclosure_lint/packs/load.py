"""Rule packs: ``pack.yaml`` + ``*.rules``, with ``extends`` overrides, and selection by kind and year.

A pack is loaded completely (schemas validated, every rule parsed, type-checked and compiled)
before any report is read, so a broken pack fails fast with file:line:col.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .. import matching
from ..dsl import ast as A
from ..dsl import ir
from ..dsl.astcache import parse_rules_cached
from ..dsl.check import Checker, SchemaEnv
from ..dsl.parser import parse_rules
from ..engine.evaluate import CompiledRule, compile_rule
from ..errors import PackError
from ..model import Meta
from ..recognize.facts import FACT_SPECS
from ..resources import packs_dir
from .schema import TableSpec, attachment_spec, table_spec

PACK_KEYS = {
    "id",
    "title",
    "kind",
    "years",
    "regulations",
    "extends",
    "rule_files",
    "tables",
    "attachments",
    "disable",
    "severity",
    "match",
    "help_uri",
    "description",
}
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

    def rule(self, rule_id: str) -> CompiledRule | None:
        for r in self.rules:
            if r.id == rule_id:
                return r
        return None

    def example_dirs(self, rule_id: str) -> list[Path]:
        """Example folders for a rule, nearest pack first (a child pack may add its own). A rule that a
        child pack restates for its own layout is tested on that pack's examples, not on the parent's."""
        checked = self.checked.get(rule_id)
        origin = Path(checked.file).parent if checked is not None else None
        dirs: list[Path] = []
        for p in self.lineage:
            if (p / "examples" / rule_id).is_dir():
                dirs.append(p / "examples" / rule_id)
            if p == origin:
                break
        return dirs


# The safe loader (plain data only), in C where libyaml is available: four times faster at start-up.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> dict[str, Any]:
    """A pack.yaml as data; parsed once per file version (pack selection and loading both read it)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PackError(f"无法读取规则包文件：{exc.strerror or exc}", str(path)) from None
    return copy.deepcopy(_parse_yaml(text, str(path)))


@cache
def _parse_yaml(text: str, path: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise PackError(f"YAML 格式错误：{problem}", path, line, col) from None
    if not isinstance(data, dict):
        raise PackError("pack.yaml 顶层应为映射", path)
    unknown = set(data) - PACK_KEYS
    if unknown:
        raise PackError(f"未知的键：{', '.join(sorted(unknown))}（可用键：{', '.join(sorted(PACK_KEYS))}）", path)
    return data


def _merge(base: Any, over: Any) -> Any:
    """Deep merge for ``extends``: mappings merge key by key, ``null`` deletes, anything else replaces."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            if v is None:
                out.pop(k, None)
            else:
                out[k] = _merge(base.get(k), v)
        return out
    return copy.deepcopy(over)


def resolve_pack_path(ref: str | Path, search: list[Path] | None = None) -> Path:
    """A pack given as a directory, a pack.yaml path, or an id looked up in the pack folders."""
    p = Path(ref)
    if p.is_file() and p.name.endswith((".yaml", ".yml")):
        return p.parent.resolve()
    if p.is_dir() and (p / "pack.yaml").is_file():
        return p.resolve()
    for root in [*(search or []), packs_dir()]:
        cand = root / str(ref)
        if (cand / "pack.yaml").is_file():
            return cand.resolve()
    available = "、".join(sorted(d.name for d in available_pack_dirs(search)))
    raise PackError(f"未知的规则包“{ref}”（可用：{available or '无'}）", str(ref))


def available_pack_dirs(search: list[Path] | None = None) -> list[Path]:
    out: list[Path] = []
    for root in [*(search or []), packs_dir()]:
        if root.is_dir():
            out.extend(sorted(d for d in root.iterdir() if (d / "pack.yaml").is_file()))
    return out


def _raw_chain(path: Path, search: list[Path] | None, seen: tuple[Path, ...] = ()) -> list[tuple[Path, dict]]:
    if path in seen:
        raise PackError("规则包 extends 形成循环", str(path / "pack.yaml"))
    data = _read_yaml(path / "pack.yaml")
    parent = data.get("extends")
    chain: list[tuple[Path, dict]] = []
    if parent:
        chain = _raw_chain(resolve_pack_path(str(parent), [path.parent, *(search or [])]), search, (*seen, path))
    return [*chain, (path, data)]


def _merge_chain(chain: list[tuple[Path, dict]]) -> dict[str, Any]:
    """The pack.yaml keys that ``extends`` deep-merges; rule files, disable and severity accumulate instead."""
    merged: dict[str, Any] = {}
    for _, data in chain:
        merged = _merge(merged, {k: v for k, v in data.items() if k not in ("rule_files", "disable", "severity")})
    return merged


def _specs(merged: dict[str, Any], yaml_path: str) -> dict[str, TableSpec]:
    tables = merged.get("tables") or {}
    if not isinstance(tables, dict):
        raise PackError("tables 应为映射", yaml_path)
    specs = {str(k): table_spec(str(k), v, yaml_path) for k, v in tables.items()}
    forms = merged.get("attachments") or {}
    if not isinstance(forms, dict):
        raise PackError("attachments 应为映射", yaml_path)
    for k, v in forms.items():
        if str(k) in specs:
            raise PackError(f"附件 {k} 与表格同名", yaml_path)
        specs[str(k)] = attachment_spec(str(k), v, yaml_path)
    for k, spec in FACT_SPECS.items():
        specs.setdefault(k, spec)
    return specs


def _check_rule_id(rule: A.Rule, file: str) -> None:
    if _YEARISH.search(rule.id):
        raise PackError(f"规则编号 {rule.id} 不应包含年份：编号须跨年度保持稳定", file, rule.pos.line, rule.pos.col)


def pack_specs(pack_dir: Path, search: tuple[Path, ...] = ()) -> dict[str, TableSpec]:
    """Table schemas of a pack (``extends`` resolved) without reading its rule files.

    An editor checks a rule file while it is being written, so the pack's other rule files, or this
    one as saved on disk, may well be broken; the schemas are all the check needs.
    """
    chain = _raw_chain(pack_dir.resolve(), list(search))
    return _specs(_merge_chain(chain), str(pack_dir / "pack.yaml"))


def check_rule_text(text: str, file: str, specs: dict[str, TableSpec]) -> list[PackError]:
    """Every error of one rule file: its syntax error, else the first type error of each rule.

    ``load_pack`` stops at the first error; an editor wants them all at once.
    """
    try:
        rules = parse_rules(text, file)
    except PackError as exc:
        return [exc]
    checker = Checker(SchemaEnv(specs), file)
    errors: list[PackError] = []
    seen: set[str] = set()
    for rule in rules:
        try:
            _check_rule_id(rule, file)
            if rule.id in seen:
                raise PackError(f"规则编号 {rule.id} 重复定义", file, rule.pos.line, rule.pos.col)
            seen.add(rule.id)
            checker.rule(rule)
        except PackError as exc:
            errors.append(exc)
    return errors


@cache
def load_pack(ref: str, search: tuple[Path, ...] = ()) -> Pack:
    """Load, merge, parse and type-check a pack. Cached per process: packs are immutable data."""
    path = resolve_pack_path(ref, list(search))
    chain = _raw_chain(path, list(search))
    rule_files: list[Path] = []
    disabled: list[str] = []
    severities: dict[str, str] = {}
    merged = _merge_chain(chain)
    for pdir, data in chain:
        files = data.get("rule_files") or []
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise PackError("rule_files 应为文件名列表", str(pdir / "pack.yaml"))
        rule_files.extend(pdir / f for f in files)
        dis = data.get("disable") or []
        if not isinstance(dis, list):
            raise PackError("disable 应为规则编号列表", str(pdir / "pack.yaml"))
        disabled.extend(str(d) for d in dis)
        sev = data.get("severity") or {}
        if not isinstance(sev, dict):
            raise PackError("severity 应为“规则编号: 级别”映射", str(pdir / "pack.yaml"))
        severities.update({str(k): str(v) for k, v in sev.items()})
    yaml_path = str(path / "pack.yaml")
    for key in ("id", "kind"):
        if not merged.get(key):
            raise PackError(f"缺少必需的键 {key}", yaml_path)
    years = merged.get("years") or []
    if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
        raise PackError("years 应为整数年份列表", yaml_path)
    specs = _specs(merged, yaml_path)
    env = SchemaEnv(specs)
    checked: dict[str, ir.CheckedRule] = {}
    origin: dict[str, Path] = {}
    for f in rule_files:
        try:
            text = f.read_text(encoding="utf-8")
        except OSError as exc:
            raise PackError(f"无法读取规则文件：{exc.strerror or exc}", str(f)) from None
        checker = Checker(env, str(f))
        for rule in parse_rules_cached(text, str(f)):
            _check_rule_id(rule, str(f))
            if rule.id in checked and origin[rule.id].parent == f.parent:
                raise PackError(f"规则编号 {rule.id} 重复定义", str(f), rule.pos.line, rule.pos.col)
            checked[rule.id] = checker.rule(rule)
            origin[rule.id] = f
    for rid, level in severities.items():
        if rid not in checked:
            raise PackError(f"severity 中的规则 {rid} 不存在", yaml_path)
        if level not in ("error", "warning", "info"):
            raise PackError(f"规则 {rid} 的级别“{level}”无效", yaml_path)
        checked[rid].severity = level
    for rid in disabled:
        if rid not in checked:
            raise PackError(f"disable 中的规则 {rid} 不存在", yaml_path)
    help_uri = merged.get("help_uri")
    page = help_uri.replace("{pack}", str(merged["id"])) if help_uri else None
    rules = [
        compile_rule(r, page.replace("{rule}", r.id) if page else None)
        for rid, r in checked.items()
        if rid not in disabled
    ]
    return Pack(
        id=str(merged["id"]),
        title=str(merged.get("title") or merged["id"]),
        kind=str(merged["kind"]),
        years=list(years),
        path=path,
        regulations=[str(r) for r in merged.get("regulations") or []],
        specs=specs,
        rules=rules,
        checked=checked,
        lineage=[p for p, _ in reversed(chain)],
        match=merged.get("match"),
        help_uri=help_uri,
        description=str(merged.get("description") or ""),
    )


def select_pack(meta: Meta, path: str, search: tuple[Path, ...] = ()) -> Pack:
    """The most specific bundled pack for the report's kind and year (a regional pack wins if it matches)."""
    if meta.kind is None or meta.year is None:
        missing = "类型（决算/预算）" if meta.kind is None else "年度"
        raise PackError(f"无法从报告封面识别{missing}，请用 --pack 指定规则包", path)
    candidates: list[tuple[int, int, Path]] = []
    text = f"{meta.department or ''}{meta.title or ''}"
    for d in available_pack_dirs(list(search)):
        # Selection reads only the pack.yaml chain, so a broken pack that does not apply to this report
        # never stops it from being checked; only the chosen pack is compiled.
        try:
            chain = _raw_chain(d.resolve(), list(search))
        except PackError:
            continue
        merged: dict[str, Any] = {}
        for _, data in chain:
            merged = _merge(merged, data)
        years = merged.get("years") or []
        if merged.get("kind") != meta.kind or meta.year not in years:
            continue
        match = merged.get("match")
        if match and not matching.search(str(match), text):
            continue
        candidates.append((1 if match else 0, len(chain), d))
    if not candidates:
        names = "、".join(d.name for d in available_pack_dirs(list(search)))
        raise PackError(f"没有适用于 {meta.year} 年度{meta.kind}报告的规则包（可用：{names}），请用 --pack 指定", path)
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    return load_pack(str(candidates[0][2]), search)
