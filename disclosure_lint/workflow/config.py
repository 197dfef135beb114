"""Project configuration: ``[tool.disclosure-lint]`` in ``pyproject.toml``, or ``disclosure-lint.toml`` /
``.disclosure-lint.toml``, found the way ruff finds its configuration.

The nearest file walking up from the checked file wins (in one folder ``.disclosure-lint.toml`` before
``disclosure-lint.toml`` before a ``pyproject.toml`` that has the table); ``extend = "path"`` inherits
from another file explicitly. Relative paths and globs are relative to the file that declared them.
Inheritance: ``select`` / ``extend-select`` / ``ignore`` stack as layers (see ``selection.py``),
``severity`` and ``per-file-ignores`` merge key by key, every other key is replaced.

Rule ids and prefixes are checked once the whole chain is read, so a typo is an error that lists
the ids it is close to. They are checked against the configured ``pack`` and the built-in checks;
without a ``pack`` the pack is chosen per report, so an id is accepted if any installed pack has it.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, PackError
from ..model import SEVERITIES
from ..packs.builtin import BUILTIN_RULES
from ..packs.locate import available_pack_dirs
from .globs import Glob

if TYPE_CHECKING:
    from ..packs.load import Pack

CONFIG_NAMES = (".disclosure-lint.toml", "disclosure-lint.toml", "pyproject.toml")
TOOL = "disclosure-lint"
BASELINE_NAME = "disclosure-lint-baseline.json"
KEYS = (
    "extend",
    "pack",
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "severity",
    "exclude",
    "force-exclude",
    "format",
    "baseline",
    "strict-pack",
    "timeout",
    "memory-limit",
)
# A rule id (T03.ROW-SUM) or a prefix of one (N., T03, E.UNUSED).
SELECTOR = re.compile(r"[A-Z][A-Z0-9_]*(?:\.[A-Z0-9_-]*)*")


@dataclass(frozen=True)
class Layer:
    """The rule selection one configuration file declares."""

    source: Path
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass
class Settings:
    """Resolved settings for the files under one configuration file; ``path`` is None for the defaults."""

    path: Path | None = None
    chain: list[Path] = field(default_factory=list)
    pack: str | None = None
    strict_pack: bool = False
    format: str | None = None
    baseline: Path | None = None
    exclude: list[Glob] = field(default_factory=list)
    force_exclude: bool = False
    per_file_ignores: dict[str, tuple[Glob, tuple[str, ...]]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    layers: list[Layer] = field(default_factory=list)
    origin: dict[str, Path] = field(default_factory=dict)
    # Every rule id or prefix named, with the file and key it was named under.
    named_rules: list[tuple[Path, str, str]] = field(default_factory=list)
    timeout: float | None = None
    memory_limit: int | None = None

    @property
    def root(self) -> Path:
        """The project folder: where the configuration file lives, else the working directory."""
        return self.path.parent if self.path is not None else Path.cwd()

    def excluded(self, path: str | Path) -> bool:
        return any(g.matches(path) for g in self.exclude)

    def ignored_here(self, path: str | Path) -> tuple[str, ...]:
        """Selectors that ``per-file-ignores`` switch off for this file."""
        out: list[str] = []
        for glob, selectors in self.per_file_ignores.values():
            if glob.matches(path):
                out.extend(selectors)
        return tuple(out)

    def baseline_path(self) -> Path:
        return self.baseline or self.root / BASELINE_NAME


def _error(path: Path, key: str, message: str) -> ConfigError:
    table = f"tool.{TOOL}." if path.name == "pyproject.toml" else ""
    return ConfigError(message, str(path), where=f"{table}{key}")


def read_table(path: Path) -> dict[str, Any] | None:
    """The disclosure-lint table of a file, or None for a ``pyproject.toml`` that has none."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"无法读取配置文件：{exc.strerror or exc}", str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError("配置文件不是 UTF-8 文本", str(path)) from None
    except RecursionError:
        raise ConfigError("TOML 格式错误：数组或表的嵌套层数过深", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        reason = re.sub(r"\s*\(at (?:line .*|end of document)\)$", "", str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        raise ConfigError(f"TOML 格式错误：{reason}", str(path), line, col) from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get(TOOL)
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"[tool.{TOOL}] 应为表", str(path))
        return table
    return data


def _selectors(settings: Settings, path: Path, key: str, value: Any, severities: bool = True) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _error(path, key, f"{key} 应为字符串列表")
    for v in value:
        if severities and v in SEVERITIES:
            continue
        if not SELECTOR.fullmatch(v):
            allowed = "规则编号或编号前缀（如 N.）" + ("或级别（error、warning、info）" if severities else "")
            raise _error(path, key, f"“{v}”不是{allowed}")
        settings.named_rules.append((path, key, v))
    return tuple(value)


def _glob(path: Path, key: str, pattern: str, base: Path) -> Glob:
    try:
        return Glob(pattern, base)
    except ValueError as exc:
        raise _error(path, key, f"glob“{pattern}”无效：{exc}") from None


def _string(path: Path, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _error(path, key, f"{key} 应为非空字符串")
    return value


def _apply(settings: Settings, path: Path, table: dict[str, Any]) -> None:
    """Validate one file's table and lay it over the settings inherited so far."""
    from ..formatters import FORMATS

    base = Path(os.path.normpath(path.parent.absolute()))
    for key, value in table.items():
        if key not in KEYS:
            raise _error(path, key, f"未知的配置项“{key}”（可用：{'、'.join(KEYS)}）")
        if key == "pack":
            value = _string(path, key, value)
            local = base / value
            settings.pack = str(local) if local.exists() else value
        elif key == "format":
            if value not in FORMATS:
                raise _error(path, key, f"输出格式“{value}”无效（可用：{'、'.join(FORMATS)}）")
            settings.format = value
        elif key == "baseline":
            settings.baseline = base / _string(path, key, value)
        elif key == "timeout":
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise _error(path, key, "timeout 应为秒数（0 表示不限时）")
            settings.timeout = float(value)
        elif key == "memory-limit":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise _error(path, key, "memory-limit 应为整数兆字节数（0 表示不限）")
            settings.memory_limit = value
        elif key in ("force-exclude", "strict-pack"):
            if not isinstance(value, bool):
                raise _error(path, key, f"{key} 应为 true 或 false")
            if key == "force-exclude":
                settings.force_exclude = value
            else:
                settings.strict_pack = value
        elif key == "exclude":
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise _error(path, key, "exclude 应为 glob 字符串列表")
            settings.exclude = [_glob(path, key, v, base) for v in value]
        elif key == "severity":
            if not isinstance(value, dict):
                raise _error(path, key, "severity 应为“规则编号 = 级别”表")
            for rule, level in value.items():
                _selectors(settings, path, f"{key}.{rule}", [rule], severities=False)
                if level not in SEVERITIES:
                    raise _error(path, f"{key}.{rule}", f"级别“{level}”无效（可用：{'、'.join(SEVERITIES)}）")
                settings.severity[rule] = level
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise _error(path, key, "per-file-ignores 应为“glob = [规则…]”表")
            for pattern, selectors in value.items():
                checked = _selectors(settings, path, f"{key}.{pattern}", selectors)
                settings.per_file_ignores[pattern] = (_glob(path, f"{key}.{pattern}", pattern, base), checked)
        if key != "extend":
            settings.origin[key] = path
    layer = Layer(
        path,
        _selectors(settings, path, "select", table["select"]) if "select" in table else None,
        _selectors(settings, path, "extend-select", table.get("extend-select", [])),
        _selectors(settings, path, "ignore", table.get("ignore", [])),
    )
    if layer.select is not None or layer.extend_select or layer.ignore:
        settings.layers.append(layer)


def _chain(path: Path, seen: tuple[Path, ...] = ()) -> list[tuple[Path, dict[str, Any]]]:
    """The file and, base first, the files it extends."""
    path = Path(os.path.normpath(path.absolute()))
    if path in seen:
        raise _error(path, "extend", "extend 形成循环")
    if not path.is_file():
        raise ConfigError("配置文件不存在", str(path))
    table = read_table(path)
    if table is None:
        raise ConfigError(f"没有 [tool.{TOOL}] 表", str(path))
    parent = table.get("extend")
    if parent is None:
        return [(path, table)]
    parent = _string(path, "extend", parent)
    target = path.parent / parent
    if not target.is_file():
        raise _error(path, "extend", f"extend 指向的文件“{parent}”不存在")
    return [*_chain(target, (*seen, path)), (path, table)]


def load_config(path: str | Path) -> Settings:
    """Settings from one file and everything it extends."""
    chain = _chain(Path(path))
    settings = Settings(path=chain[-1][0], chain=[p for p, _ in chain])
    for file, table in chain:
        _apply(settings, file, table)
    _check_rule_ids(settings)
    return settings


def configured_pack(settings: Settings) -> Pack | None:
    """The pack the configuration names, loaded; one that does not load is a configuration error."""
    if settings.pack is None:
        return None
    from ..packs.load import load_pack  # the rule language, only for a configuration that names a pack

    try:
        return load_pack(settings.pack)
    except PackError as exc:
        source = settings.origin.get("pack", settings.path)
        raise ConfigError(f"pack 无法加载：{exc.one_line()}", str(source), where="pack") from None


def known_rule_ids(pack: Pack | None) -> set[str]:
    """The ids a configuration may name: the pack's rules (disabled ones too) and the built-in checks;
    without a pack, those of every installed pack that loads."""
    packs = [pack] if pack is not None else []
    if pack is None:
        from ..packs.load import load_pack  # the rule language, only for a configuration that names rules

        for d in available_pack_dirs():
            try:
                packs.append(load_pack(str(d)))
            except PackError:
                continue
    return {rid for p in packs for rid in p.checked} | set(BUILTIN_RULES)


def _check_rule_ids(settings: Settings) -> None:
    pack = configured_pack(settings)
    if not settings.named_rules:
        return
    known = known_rule_ids(pack)
    prefixes = {rid.split(".", 1)[0] + "." for rid in known}
    for path, key, selector in settings.named_rules:
        if any(rid.startswith(selector) for rid in known):
            continue
        close = difflib.get_close_matches(selector, sorted(known | prefixes), n=3, cutoff=0.6)
        hint = f"相近的有：{'、'.join(close)}" if close else "运行 disclosure-lint rules 查看全部规则"
        where = f"规则包 {pack.id} " if pack is not None else "已安装的规则包"
        raise _error(path, key, f"未知的规则编号“{selector}”：{where}和内置检查中都没有（{hint}）")


def find_config(start: str | Path) -> Path | None:
    """The nearest configuration file in ``start`` (a folder) or any folder above it."""
    folder = Path(os.path.normpath(Path(start).absolute()))
    for d in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = d / name
            if _is_file(candidate) and (name != "pyproject.toml" or read_table(candidate) is not None):
                return candidate
    return None


def _is_file(path: Path) -> bool:
    """False also for a folder that cannot be searched: the reports in it cannot be read either, and
    each says so; a configuration file that is there but unreadable is an error when read."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


class ConfigResolver:
    """Settings per checked file: one explicit ``--config`` file, or the nearest file, cached per folder."""

    def __init__(self, explicit: str | Path | None = None) -> None:
        self.explicit = load_config(explicit) if explicit is not None else None
        self._by_folder: dict[Path, Settings] = {}
        self._by_file: dict[Path, Settings] = {}

    def for_folder(self, folder: str | Path) -> Settings:
        if self.explicit is not None:
            return self.explicit
        key = Path(os.path.normpath(Path(folder).absolute()))
        if key not in self._by_folder:
            found = find_config(key)
            if found is None:
                self._by_folder[key] = Settings()
            else:
                if found not in self._by_file:
                    self._by_file[found] = load_config(found)
                self._by_folder[key] = self._by_file[found]
        return self._by_folder[key]

    def for_path(self, path: str | Path) -> Settings:
        return self.for_folder(Path(path).absolute().parent)


def settings_for(path: str | Path) -> Settings:
    """The settings that apply to one file, e.g. a document open in an editor."""
    return ConfigResolver().for_path(path)


def settings_dict(settings: Settings) -> dict[str, Any]:
    """The resolved settings with the file each came from, for ``disclosure-lint config show``."""
    return {
        "config": str(settings.path) if settings.path else None,
        "extends": [str(p) for p in settings.chain[:-1]],
        "pack": settings.pack,
        "strict-pack": settings.strict_pack,
        "format": settings.format or "text",
        "baseline": str(settings.baseline_path()),
        "exclude": [g.pattern for g in settings.exclude],
        "force-exclude": settings.force_exclude,
        "per-file-ignores": {k: list(v) for k, (_, v) in settings.per_file_ignores.items()},
        "severity": dict(settings.severity),
        "rule-selection": [
            {
                "file": str(layer.source),
                "select": None if layer.select is None else list(layer.select),
                "extend-select": list(layer.extend_select),
                "ignore": list(layer.ignore),
            }
            for layer in settings.layers
        ],
        "sources": {k: str(v) for k, v in settings.origin.items()},
    }


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml(k)} = {_toml(v)}" for k, v in value.items()) + " }" if value else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def settings_text(settings: Settings) -> str:
    """TOML-like lines, each noting the file it came from (or that it is the default)."""
    data = settings_dict(settings)
    if settings.path is None:
        out = ["# 未找到配置文件，使用默认设置"]
    else:
        out = [f"# 配置文件：{settings.path}"]
        out.extend(f"# 继承自：{p}" for p in data["extends"])
    for key in (
        "pack",
        "strict-pack",
        "format",
        "baseline",
        "exclude",
        "force-exclude",
        "per-file-ignores",
        "severity",
    ):
        source = settings.origin.get(key)
        if data[key] is None:
            out.append(f"# {key} 未设置（按报告类型与年度自动选择规则包）")
            continue
        note = f"来自 {source}" if source else "默认"
        out.append(f"{key} = {_toml(data[key])}  # {note}")
    if settings.layers:
        out.append("# 规则选择（按继承顺序叠加，后者优先）：")
        for layer in data["rule-selection"]:
            parts = [f"{k} = {_toml(layer[k])}" for k in ("select", "extend-select", "ignore") if layer[k]]
            out.append(f"#   {layer['file']}: {'; '.join(parts)}")
    return "\n".join(out) + "\n"
