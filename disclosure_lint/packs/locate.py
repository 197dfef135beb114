"""Where packs are and which one a report needs, from the pack.yaml files alone.

Finding a pack, following its ``extends`` and choosing one for a cover need no rule file: this is
what a run reads before any report, in the process that hands the files to the workers, so it does
not import the rule language (``packs.load`` does).

A pack.yaml once parsed is kept in the user's private cache folder as JSON (its data and the place
of every key), keyed on its text and on the code that parses it, so that a run whose packs have not
changed does not import the YAML library at all. Data that JSON would not give back exactly (a
date, a number as a key) is not kept. The pattern matcher is imported only to match a cover.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import PackError
from ..model import Meta
from ..nearest import did_you_mean, nearest
from ..privatecache import entry_path, source_digest, write_entry
from ..resources import packs_dir
from .places import Places, Spot, YamlFile
from .source import read_source


def read_pack_yaml(path: Path) -> YamlFile:
    """A pack.yaml as data with positions; parsed once per file version."""
    return _parsed(read_source(path), str(path))


@cache
def _parsed(text: str, path: str) -> YamlFile:
    """Callers must not mutate the result: it is shared by pack selection and loading."""
    entry = _kept_path(text, path)
    if entry is not None:
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            return _from_kept(json.loads(entry.read_text(encoding="utf-8")), path)
    from .yamlfile import parse_yaml

    parsed = parse_yaml(text, path)
    if entry is not None:
        _keep(entry, parsed)
    return parsed


@cache
def _code_digest() -> str:
    here = Path(__file__).resolve().parent
    return source_digest(*(here / name for name in ("yamlfile.py", "places.py", "locate.py")))


def _kept_path(text: str, path: str) -> Path | None:
    return entry_path("packyaml", _code_digest(), path, text)


def _spots(spots: dict[tuple[str, ...], Spot]) -> list[list[Any]]:
    return [[list(keys), spot.line, spot.col] for keys, spot in spots.items()]


def _keep(entry: Path, parsed: YamlFile) -> None:
    record = {"data": parsed.data, "keys": _spots(parsed.keys), "values": _spots(parsed.values)}
    with contextlib.suppress(OSError, TypeError, ValueError):
        text = json.dumps(record, ensure_ascii=False)
        if json.loads(text)["data"] != parsed.data:
            return
        write_entry(entry, text)


def _from_kept(record: dict[str, Any], path: str) -> YamlFile:
    data = record["data"]
    if not isinstance(data, dict):
        raise TypeError("data")

    def spots(rows: list[list[Any]]) -> dict[tuple[str, ...], Spot]:
        out = {}
        for keys, line, col in rows:
            if not (all(isinstance(k, str) for k in keys) and isinstance(line, int) and isinstance(col, int)):
                raise TypeError("spot")
            out[tuple(keys)] = Spot(line, col)
        return out

    return YamlFile(path, data, spots(record["keys"]), spots(record["values"]))


def deep_merge(base: Any, over: Any) -> Any:
    """Deep merge for ``extends``: mappings merge key by key, ``null`` deletes, anything else replaces."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            if v is None:
                out.pop(k, None)
            else:
                out[k] = deep_merge(base.get(k), v)
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
    names = [d.name for d in available_pack_dirs(search)]
    near = nearest(str(ref), names)
    available = "、".join(sorted(names))
    raise PackError(
        f"未知的规则包“{ref}”{did_you_mean(near)}（可用：{available or '无'}）",
        str(ref),
        code="P.UNKNOWN-PACK",
        suggestion=near,
    )


def available_pack_dirs(search: list[Path] | None = None) -> list[Path]:
    out: list[Path] = []
    for root in [*(search or []), packs_dir()]:
        if root.is_dir():
            out.extend(sorted(d for d in root.iterdir() if (d / "pack.yaml").is_file()))
    return out


def pack_chain(path: Path, search: list[Path] | None, seen: tuple[Path, ...] = ()) -> list[tuple[Path, YamlFile]]:
    """The pack and its ancestors, root first. A broken pack.yaml or ``extends`` stops here: nothing else
    can be checked without the tables it declares."""
    yf = read_pack_yaml(path / "pack.yaml")
    parent = yf.data.get("extends")
    if not parent:
        return [(path, yf)]
    at = Places([yf])
    if not isinstance(parent, str):
        raise at.error("extends 应为规则包编号或目录", ["extends"], value=True)
    try:
        parent_path = resolve_pack_path(parent, [path.parent, *(search or [])])
    except PackError as exc:
        raise at.error(exc.message, ["extends"], value=True, code="P.UNKNOWN-PACK", suggestion=exc.suggestion) from None
    if parent_path in (*seen, path):
        raise at.error("规则包 extends 形成循环", ["extends"], value=True)
    return [*pack_chain(parent_path, search, (*seen, path)), (path, yf)]


def merge_chain(chain: list[tuple[Path, YamlFile]]) -> dict[str, Any]:
    """The pack.yaml keys that ``extends`` deep-merges; rule files, disable and severity accumulate instead."""
    merged: dict[str, Any] = {}
    for _, yf in chain:
        data = {k: v for k, v in yf.data.items() if k not in ("rule_files", "disable", "severity")}
        merged = deep_merge(merged, data)
    return merged


def pack_lineage(pack_dir: Path, search: tuple[Path, ...] = ()) -> list[Path]:
    """The pack's folder and its parents' folders, nearest first."""
    return [p for p, _ in reversed(pack_chain(pack_dir.resolve(), list(search)))]


_DEPRECATED = re.compile(r"^\s*status\s+deprecated\b", re.M)


def declares_deprecated(pack_dir: Path) -> bool:
    """Whether a rule file of the pack or its parents marks a rule deprecated (read as text, not loaded)."""
    try:
        folders = pack_lineage(pack_dir)
    except PackError:
        return False
    for folder in folders:
        for path in folder.glob("*.rules"):
            try:
                if _DEPRECATED.search(path.read_text(encoding="utf-8", errors="replace")):
                    return True
            except OSError:
                continue
    return False


@dataclass(frozen=True)
class _Claim:
    """Which reports a bundled pack is for: its kind, years and region (``match``)."""

    path: Path
    kind: str
    years: tuple[int, ...]
    match: str | None
    depth: int


def _claim(d: Path, search: list[Path]) -> _Claim | None:
    """A pack's claim, or None when it makes none of its own.

    A pack that extends another without saying which years or which region it is for would claim
    exactly its parent's reports and silently replace the parent for everyone; it is used only
    when asked for by name (``--pack``, or ``pack`` in the configuration). Selection reads only the
    pack.yaml chain, so a broken pack never stops another report from being checked.
    """
    try:
        chain = pack_chain(d.resolve(), search)
    except PackError:
        return None
    own = chain[-1][1].data
    if len(chain) > 1 and "years" not in own and "match" not in own:
        return None
    merged = merge_chain(chain)
    years = merged.get("years") or []
    if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
        return None
    match = str(merged["match"]) if merged.get("match") else None
    return _Claim(d, str(merged.get("kind")), tuple(years), match, len(chain))


def _fits(match: str | None, text: str) -> bool:
    """Whether a pack's ``match`` fits the cover; a pattern that is not valid fits nothing (``pack check``
    reports it), so it never stops another report from being checked."""
    if match is None:
        return True
    from .. import matching

    try:
        return matching.search(match, text) is not None
    except matching.error:
        return False


def choose_pack(meta: Meta, path: str, search: tuple[Path, ...] = (), strict: bool = False) -> Path:
    """The folder of the pack for the report's kind, region and year, from the pack.yaml files alone.

    Among the packs of the report's kind, a regional pack whose ``match`` fits the cover wins over
    the national ones. Within that region the pack of the report's year is chosen (the deepest one
    if several claim it); a year without a pack gets the nearest: the latest earlier year, else the
    earliest later one, unless ``strict`` asks to refuse instead. ``meta.year not in pack.years``
    then tells the caller it was a fallback.
    """
    if meta.kind is None or meta.year is None:
        missing = "类型（决算/预算）" if meta.kind is None else "年度"
        raise PackError(f"无法从报告封面识别{missing}，请用 --pack 指定规则包", path)
    text = f"{meta.region or ''}{meta.department or ''}{meta.title or ''}"
    dirs = available_pack_dirs(list(search))
    claims: list[_Claim] = []
    for d in dirs:
        claim = _claim(d, list(search))
        if claim is not None and claim.kind == meta.kind and _fits(claim.match, text):
            claims.append(claim)
    names = "、".join(d.name for d in dirs)
    if not claims:
        raise PackError(f"没有适用于{meta.kind}报告的规则包（可用：{names}），请用 --pack 指定", path)
    regional = any(c.match for c in claims)
    claims = [c for c in claims if bool(c.match) == regional]
    year = meta.year
    exact = [c for c in claims if year in c.years]
    if exact:
        return max(exact, key=lambda c: c.depth).path
    earlier = [(max(y for y in c.years if y < year), c) for c in claims if any(y < year for y in c.years)]
    later = [(-min(y for y in c.years if y > year), c) for c in claims if any(y > year for y in c.years)]
    nearest = max(earlier or later, key=lambda yc: (yc[0], yc[1].depth), default=None)
    if nearest is None:
        raise PackError(f"没有适用于 {year} 年度{meta.kind}报告的规则包（可用：{names}），请用 --pack 指定", path)
    chosen = nearest[1]
    if strict:
        raise PackError(
            f"没有适用于 {year} 年度{meta.kind}报告的规则包；最接近的是 {chosen.path.name}"
            f"（{'、'.join(str(y) for y in chosen.years)} 年度），已设置 strict-pack，不使用其他年度的规则包",
            path,
        )
    return chosen.path
