"""A committed baseline, ``disclosure-lint-baseline.json``: known findings that are not reported again.

Works for every format, PDF included, because entries are keyed on the file (relative to the baseline)
and the diagnostic fingerprint (rule, table, row, column; never the line), so edits that move text do
not invalidate it. Entries that no longer match are reported as ``E.UNUSED-SUPPRESSION`` until
``--prune-baseline`` removes them. The file holds one entry per line, sorted, so diffs stay readable.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..model import Diagnostic, Location
from ..packs.builtin import builtin_diagnostic

VERSION = 1
# An unreadable file has nothing to baseline; suppression comments are the author's own, to be fixed.
NOT_BASELINED = frozenset({"E.INPUT", "E.BAD-SUPPRESSION", "E.UNUSED-SUPPRESSION"})
UNUSED = "E.UNUSED-SUPPRESSION"
REQUIRED = ("path", "rule", "fingerprint")
Key = tuple[str, str]


@dataclass
class Entry:
    path: str
    fingerprint: str
    rule: str
    count: int = 1
    table: str | None = None
    row: str | None = None
    column: str | None = None
    message: str = ""
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "rule": self.rule,
            "fingerprint": self.fingerprint,
            "count": self.count,
        }
        for name in ("table", "row", "column"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        out["message"] = self.message
        return out


def _bad(path: Path, message: str, line: int | None = None, col: int | None = None) -> ConfigError:
    return ConfigError(f"基线文件格式错误：{message}", str(path), line, col)


class Baseline:
    def __init__(self, path: Path, entries: dict[Key, Entry] | None = None) -> None:
        self.path = path
        self.entries: dict[Key, Entry] = entries or {}

    @property
    def folder(self) -> Path:
        return Path(os.path.normpath(self.path.absolute().parent))

    @classmethod
    def load(cls, path: str | Path) -> Baseline:
        """The baseline at ``path``; a missing file is an empty baseline."""
        p = Path(path)
        if not p.exists():
            return cls(p)
        try:
            text = p.read_text(encoding="utf-8")
            data = json.loads(text)
        except OSError as exc:
            raise ConfigError(f"无法读取基线文件：{exc.strerror or exc}", str(p)) from None
        except UnicodeDecodeError:
            raise _bad(p, "不是 UTF-8 文本") from None
        except json.JSONDecodeError as exc:
            raise _bad(p, exc.msg, exc.lineno, exc.colno) from None
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise _bad(p, "顶层应为含 entries 列表的对象")
        if data.get("version") != VERSION:
            raise _bad(p, f"不支持的版本 {data.get('version')!r}（应为 {VERSION}）")
        lines = text.splitlines()
        entries: dict[Key, Entry] = {}
        for i, raw in enumerate(data["entries"], 1):
            if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in REQUIRED):
                raise _bad(p, f"第 {i} 个条目须有字符串 path、rule、fingerprint")
            count = raw.get("count", 1)
            if not isinstance(count, int) or count < 1:
                raise _bad(p, f"第 {i} 个条目的 count 应为正整数")
            line = next((n for n, t in enumerate(lines, 1) if raw["fingerprint"] in t), None)
            entry = Entry(
                raw["path"],
                raw["fingerprint"],
                raw["rule"],
                count,
                raw.get("table"),
                raw.get("row"),
                raw.get("column"),
                str(raw.get("message", "")),
                line,
            )
            entries[(entry.path, entry.fingerprint)] = entry
        return cls(p, entries)

    def key_path(self, path: str) -> str:
        """A report path as the baseline records it: relative to the baseline's folder, with ``/``."""
        absolute = Path(os.path.normpath(Path(path).absolute()))
        try:
            return Path(os.path.relpath(absolute, self.folder)).as_posix()
        except ValueError:
            return absolute.as_posix()

    def apply(self, diagnostics: list[Diagnostic]) -> tuple[list[Diagnostic], Counter[Key]]:
        """Drop baselined diagnostics; return the rest and how many times each entry was used."""
        used: Counter[Key] = Counter()
        kept: list[Diagnostic] = []
        for d in diagnostics:
            path = self.key_path(d.loc.path)
            key = (path, d.fingerprint)
            entry = self.entries.get(key)
            if entry is not None and d.rule not in NOT_BASELINED and used[key] < entry.count:
                used[key] += 1
                # A finding that stands for merged consequences uses their entries too.
                used.update(k for a in d.absorbed if (k := (path, a.fingerprint)) in self.entries)
                continue
            kept.append(d)
        return kept, used

    def _stale(self, key: Key, used: Counter[Key], checked: set[str]) -> bool:
        return used[key] < self.entries[key].count and (key[0] in checked or not (self.folder / key[0]).exists())

    def unused(self, used: Counter[Key], checked: set[str], shown_path: str) -> list[Diagnostic]:
        """Entries for files checked now (or deleted since) that matched fewer findings than recorded."""
        out = []
        for key, entry in sorted(self.entries.items()):
            if not self._stale(key, used, checked):
                continue
            where = " ".join(x for x in (entry.table, entry.row, entry.column) if x)
            message = (
                f"基线条目 {entry.path} {entry.rule}{f'（{where}）' if where else ''} 已不再出现，"
                "请用 --prune-baseline 清理"
            )
            loc = Location(shown_path, entry.line, 1 if entry.line else None)
            out.append(builtin_diagnostic(UNUSED, message, loc, f"{entry.path}\x1f{entry.fingerprint}"))
        return out

    def record(self, diagnostics: list[Diagnostic], checked: set[str]) -> int:
        """Replace the entries of the checked files with the given findings; return the entry count."""
        self.entries = {k: e for k, e in self.entries.items() if k[0] not in checked}
        for d in diagnostics:
            if d.rule in NOT_BASELINED:
                continue
            key = (self.key_path(d.loc.path), d.fingerprint)
            if key in self.entries:
                self.entries[key].count += 1
            else:
                self.entries[key] = Entry(key[0], d.fingerprint, d.rule, 1, d.table, d.row, d.column_name, d.message)
        return len(self.entries)

    def prune(self, used: Counter[Key], checked: set[str]) -> int:
        """Remove what no longer matches (lower counts to what matched); return how many findings went."""
        removed = 0
        for key in list(self.entries):
            if not self._stale(key, used, checked):
                continue
            entry = self.entries[key]
            removed += entry.count - used[key]
            if used[key]:
                entry.count = used[key]
            else:
                del self.entries[key]
        return removed

    def save(self) -> None:
        rows = [
            json.dumps(e.as_dict(), ensure_ascii=False)
            for e in sorted(self.entries.values(), key=lambda e: (e.path, e.rule, e.fingerprint))
        ]
        body = ",\n    ".join(rows)
        text = (
            f'{{\n  "tool": "disclosure-lint",\n  "version": {VERSION},\n  "entries": [\n    {body}\n  ]\n}}\n'
            if rows
            else f'{{\n  "tool": "disclosure-lint",\n  "version": {VERSION},\n  "entries": []\n}}\n'
        )
        try:
            self.path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"无法写入基线文件：{exc.strerror or exc}", str(self.path)) from None
