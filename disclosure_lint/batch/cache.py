"""Findings cache: a file whose content, tool, packs and settings are unchanged is not read again.

Entries are JSON (never pickle: the folder may be shared and written by others) holding the
findings of one file after its settings were applied. The key hashes everything the findings
depend on: the file's bytes and the path it is reported under, the tool's version and code, the
text of every pack that could be chosen for it, and the settings that change findings. An entry
that does not parse, has another format or was stored under another key is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import PackError
from ..model import Diagnostic, Location, Meta, Related
from ..packs.locate import available_pack_dirs, pack_chain, resolve_pack_path
from ..privatecache import write_entry
from ..resources import grammar_path
from ..workflow.config import Settings

CACHE_DIR_NAME = ".disclosure-lint-cache"
CACHE_ENV = "DISCLOSURE_LINT_CACHE_DIR"
FORMAT = 3
# Files larger than this are not hashed for the cache (the readers refuse them anyway).
MAX_CACHED_BYTES = 200 * 1024 * 1024
_LOCATION_FIELDS = ("path", "line", "col", "end_line", "end_col", "page", "bbox", "sheet", "cell")
_DECIMALS = ("expected", "actual", "difference", "tolerance")
_TEXTS = ("table", "row", "column_name", "help_uri", "origin")


def default_dir(settings: Settings) -> Path:
    """``$DISCLOSURE_LINT_CACHE_DIR``, else ``.disclosure-lint-cache`` beside the configuration (or here)."""
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else settings.root / CACHE_DIR_NAME


@cache
def code_digest() -> str:
    """The tool's version and the text of its code and grammar: a development build changes the key too."""
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent
    for f in sorted(package.rglob("*.py")):
        h.update(f.relative_to(package).as_posix().encode())
        h.update(f.read_bytes())
    h.update(grammar_path().read_bytes())
    return h.hexdigest()


def _pack_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name == "pack.yaml" or p.suffix == ".rules")


@cache
def pack_digest(ref: str | None, search: tuple[Path, ...] = ()) -> str:
    """The text of the pack given (and what it extends), or of every pack automatic selection may choose."""
    try:
        roots = [resolve_pack_path(ref, list(search))] if ref else available_pack_dirs(list(search))
        folders = sorted({d for root in roots for d, _ in pack_chain(root.resolve(), list(search))})
    except PackError:
        folders = []
    h = hashlib.sha256(str(ref).encode())
    for folder in folders:
        for f in _pack_files(folder):
            h.update(str(f).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def settings_digest(settings: Settings, pack: str | None) -> str:
    """The settings that change findings: pack, strict-pack, severities, rule selection and per-file ignores."""
    data = {
        "pack": pack or settings.pack,
        "strict_pack": settings.strict_pack,
        "severity": sorted(settings.severity.items()),
        "layers": [
            [str(layer.source), layer.select, list(layer.extend_select), list(layer.ignore)]
            for layer in settings.layers
        ],
        "per_file_ignores": [
            [pattern, str(glob.base), list(selectors)]
            for pattern, (glob, selectors) in sorted(settings.per_file_ignores.items())
        ],
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, default=str).encode()).hexdigest()


def readable_content(path: str) -> bytes | None:
    """The bytes of a regular file of reasonable size; anything else is left to the readers to explain."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHED_BYTES:
            return None
        with open(path, "rb") as fh:
            return fh.read(MAX_CACHED_BYTES + 1)
    except OSError:
        return None


@dataclass
class Checked:
    """One file's check as the cache keeps it: its findings, the pack (folder and id) and what the
    report was recognized as."""

    diagnostics: list[Diagnostic]
    pack: str | None = None
    pack_id: str | None = None
    meta: Meta | None = None
    # (amounts and percentages printed in the prose, how many a rule compared)
    stated: tuple[int, int] | None = None


class Cache:
    """One folder of entries ``v1/ab/abcdef….json``; unusable entries count as misses."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def key(self, content: bytes, path: str, pack: str | None, settings: Settings) -> str:
        """The same file has one key whether it is named relative to here or absolutely (the
        command line and the editor name it differently); entries store it as ``null``."""
        parts = [
            f"format={FORMAT}",
            hashlib.sha256(content).hexdigest(),
            os.path.normpath(os.path.abspath(path)),
            code_digest(),
            pack_digest(pack or settings.pack),
            settings_digest(settings, pack),
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def _entry(self, key: str) -> Path:
        return self.root / f"v{FORMAT}" / key[:2] / f"{key}.json"

    def load(self, key: str, path: str) -> Checked | None:
        """What is stored for ``path`` under ``key``, or None when there is no usable entry."""
        try:
            with open(self._entry(key), encoding="utf-8") as fh:
                data = json.load(fh)
            if data.get("format") != FORMAT or data.get("key") != key:
                return None
            return Checked(
                [diagnostic_from_dict(d, path) for d in data["diagnostics"]],
                _text(data["pack"]),
                _text(data["pack_id"]),
                meta_from_dict(data["meta"], path),
                _stated(data["stated"]),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError, InvalidOperation):
            return None

    def store(self, key: str, path: str, checked: Checked) -> None:
        """Write an entry atomically; a cache that cannot be written only costs the next run its speed."""
        entry = self._entry(key)
        found = [diagnostic_dict(d, path) for d in checked.diagnostics]
        data = {
            "format": FORMAT,
            "key": key,
            "pack": checked.pack,
            "pack_id": checked.pack_id,
            "meta": meta_dict(checked.meta, path),
            "stated": list(checked.stated) if checked.stated is not None else None,
            "diagnostics": found,
        }
        try:
            self._prepare()
            write_entry(entry, json.dumps(data, ensure_ascii=False))
        except OSError:
            return

    def _prepare(self) -> None:
        """Mark the folder as a cache for backup tools and keep it out of version control."""
        if (self.root / "CACHEDIR.TAG").exists():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / ".gitignore").write_text("# 由 disclosure-lint 自动生成\n*\n", encoding="utf-8")
        (self.root / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# disclosure-lint cache\n", encoding="utf-8"
        )

    def clean(self) -> int:
        """Remove the whole cache folder; returns how many entries it held."""
        if not self.root.is_dir():
            return 0
        if not (self.root / "CACHEDIR.TAG").exists():
            raise OSError(f"{self.root} 不是 disclosure-lint 的缓存目录（缺少 CACHEDIR.TAG），未删除")
        count = sum(1 for _ in self.root.glob(f"v{FORMAT}/*/*.json"))
        shutil.rmtree(self.root)
        return count


def _location_dict(loc: Location, path: str | None) -> dict[str, Any]:
    out = {f: getattr(loc, f) for f in _LOCATION_FIELDS}
    out["bbox"] = list(loc.bbox) if loc.bbox is not None else None
    if path is not None and loc.path == path:
        out["path"] = None
    return out


def _location(data: dict[str, Any], path: str | None) -> Location:
    values = {f: data[f] for f in _LOCATION_FIELDS}
    if values["path"] is None and path is not None:
        values["path"] = path
    if not isinstance(values["path"], str):
        raise TypeError("path")
    for f in ("line", "col", "end_line", "end_col", "page"):
        if values[f] is not None and type(values[f]) is not int:
            raise TypeError(f)
    for f in ("sheet", "cell"):
        if values[f] is not None and not isinstance(values[f], str):
            raise TypeError(f)
    bbox = values["bbox"]
    if bbox is not None:
        if len(bbox) != 4 or not all(type(v) in (int, float) for v in bbox):
            raise TypeError("bbox")
        values["bbox"] = tuple(float(v) for v in bbox)
    return Location(**values)


def diagnostic_dict(d: Diagnostic, path: str | None = None) -> dict[str, Any]:
    """Every field of a finding, exactly (amounts as decimal strings); places in ``path`` name no file."""
    loc = _location_dict(d.loc, path)
    out: dict[str, Any] = {"rule": d.rule, "severity": d.severity, "message": d.message, "loc": loc}
    for f in _TEXTS:
        out[f] = getattr(d, f)
    for f in _DECIMALS:
        value = getattr(d, f)
        out[f] = None if value is None else str(value)
    out["related"] = [{"message": r.message, "loc": _location_dict(r.loc, path)} for r in d.related]
    out["fingerprint"] = d.fingerprint
    out["title"] = d.title
    out["absorbed"] = [diagnostic_dict(a, path) for a in d.absorbed]
    return out


def meta_dict(meta: Meta | None, path: str | None = None) -> dict[str, Any] | None:
    if meta is None:
        return None
    out: dict[str, Any] = {}
    for f in fields(Meta):
        value = getattr(meta, f.name)
        out[f.name] = _location_dict(value, path) if isinstance(value, Location) else value
    return out


def meta_from_dict(data: dict[str, Any] | None, path: str | None = None) -> Meta | None:
    """The inverse of ``meta_dict``: a place is a location, a year a whole number, anything else text."""
    if data is None:
        return None
    values: dict[str, Any] = {}
    for f in fields(Meta):
        value = data[f.name]
        if value is None:
            values[f.name] = None
        elif f.name.endswith("_loc"):
            values[f.name] = _location(value, path)
        elif f.name == "year":
            if type(value) is not int:
                raise TypeError(f.name)
            values[f.name] = value
        else:
            values[f.name] = _text(value, False)
    return Meta(**values)


def _stated(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    numbers, checked = value
    if type(numbers) is not int or type(checked) is not int:
        raise TypeError(value)
    return numbers, checked


def _text(value: Any, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def diagnostic_from_dict(data: dict[str, Any], path: str | None = None) -> Diagnostic:
    """The inverse of ``diagnostic_dict``; anything malformed raises so the entry is dropped."""
    if data["severity"] not in ("error", "warning", "info"):
        raise ValueError(data["severity"])
    decimals = {f: None if data[f] is None else Decimal(_text(data[f], False)) for f in _DECIMALS}
    related = [Related(_text(r["message"], False), _location(r["loc"], path)) for r in data["related"]]
    return Diagnostic(
        _text(data["rule"], False),
        data["severity"],
        _text(data["message"], False),
        _location(data["loc"], path),
        **{f: _text(data[f]) for f in _TEXTS},
        **decimals,
        related=related,
        fingerprint=_text(data["fingerprint"], False),
        title=_text(data["title"], False),
        absorbed=tuple(diagnostic_from_dict(a, path) for a in data["absorbed"]),
    )
