"""Regular expressions that come from packs, matched within a time limit.

A pack's pattern runs on every report, and one written carelessly (``(a+)+$``, or three free text
captures side by side) can take exponential time on an unlucky sentence. Python's ``re`` cannot be
interrupted; the ``regex`` module takes a ``timeout``. Time is CPU time of this process, so a busy
machine does not make a rule time out. A rule is checked under ``budget(seconds)``: every match it
runs gets what is left, and ``check_time()`` lets the engine stop between bindings too. Outside a
budget (recognizing attachment fields) each search gets ``DEFAULT_SECONDS`` of its own.

``regex`` compiles a pattern in Python, which was half of a pack's load time, paid by every run.
The patterns compiled while a pack loads (``keeping(name)``) are therefore kept in the user's
private cache folder, one file per pack, each pattern as the arguments regex's own pickling
rebuilds a compiled pattern from, written as JSON with a checksum. An entry is used only for the
same pattern and regex version, and one that does not fit is compiled again; nothing is
un-pickled. Patterns a rule builds from a report's text are not kept, so the folder does not grow
with the reports checked.
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import regex

from .jsondata import decode, encode
from .privatecache import entry_path, write_entry

RULE_SECONDS = 2.0
"""CPU seconds one rule may take on one report; the whole example report needs a few milliseconds."""
DEFAULT_SECONDS = 2.0

Pattern = regex.Pattern
Match = regex.Match
error = regex.error

_deadline: ContextVar[float | None] = ContextVar("rule_deadline", default=None)


class OutOfTime(Exception):
    """The rule being checked has used up its time."""


_REDUCE = copyreg.dispatch_table[regex.Pattern]
_REBUILD = _REDUCE(regex.compile(""))[0]


class _Kept:
    """One pack's kept patterns, one entry file for all of them: each pattern with the arguments
    that rebuild it (JSON) and a checksum. What a load used is written back when it compiled any."""

    def __init__(self, name: str) -> None:
        self.path = _entry_path(name)
        self.entries: dict[str, Any] = self._read()
        self.used: dict[str, Any] = {}
        self.changed = False

    def _read(self) -> dict[str, Any]:
        if self.path is not None:
            with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data["regex"] == regex.__version__ and isinstance(data["patterns"], dict):
                    return data["patterns"]
        return {}

    def compiled(self, pattern: str) -> regex.Pattern:
        entry = self.entries.get(pattern)
        rebuilt = _rebuilt(pattern, entry) if entry is not None else None
        if rebuilt is not None:
            self.used[pattern] = entry
            return rebuilt
        compiled = regex.compile(pattern)
        self.entries.pop(pattern, None)
        self.note(pattern, compiled)
        return compiled

    def note(self, pattern: str, compiled: regex.Pattern) -> None:
        """A pattern of this pack compiled already in this process (by another pack)."""
        if pattern in self.used:
            return
        if pattern in self.entries:
            self.used[pattern] = self.entries[pattern]
            return
        with contextlib.suppress(TypeError, ValueError):
            rebuild, args = _REDUCE(compiled)
            if rebuild is _REBUILD:
                text = json.dumps(encode(args), ensure_ascii=False)
                self.used[pattern] = [text, _checksum(pattern, text)]
                self.changed = True

    def save(self) -> None:
        if not self.changed or self.path is None:
            return
        with contextlib.suppress(OSError, TypeError, ValueError):
            write_entry(self.path, json.dumps({"regex": regex.__version__, "patterns": self.used}, ensure_ascii=False))


_keeping: ContextVar[_Kept | None] = ContextVar("keep_patterns", default=None)
# A pack's patterns once compiled in this process: rules that build a pack's pattern again while
# checking a report (a ``~`` comparison, a capture) find it here instead of compiling it again.
_packs_patterns: dict[str, regex.Pattern] = {}


def compile(pattern: str) -> regex.Pattern:
    kept = _keeping.get()
    compiled = _packs_patterns.get(pattern)
    if compiled is not None:
        if kept is not None:
            kept.note(pattern, compiled)
        return compiled
    if kept is None:
        return regex.compile(pattern)
    compiled = _packs_patterns[pattern] = kept.compiled(pattern)
    return compiled


@contextmanager
def keeping(name: str) -> Iterator[None]:
    """Patterns compiled in this block are the pack ``name``'s own: kept compiled for the next run."""
    kept = _Kept(name)
    token = _keeping.set(kept)
    try:
        yield
    finally:
        _keeping.reset(token)
        kept.save()


def _entry_path(name: str) -> Path | None:
    return entry_path("patterns", regex.__version__, name)


def _checksum(pattern: str, args: str) -> str:
    return hashlib.sha256(f"{regex.__version__}\x1f{pattern}\x1f{args}".encode()).hexdigest()


def _rebuilt(pattern: str, entry: Any) -> regex.Pattern | None:
    with contextlib.suppress(ValueError, TypeError, KeyError, IndexError, regex.error):
        args, checksum = entry
        if not isinstance(args, str) or checksum != _checksum(pattern, args):
            return None
        compiled = _REBUILD(*decode(json.loads(args)))
        if isinstance(compiled, regex.Pattern) and compiled.pattern == pattern:
            return compiled
    return None


@contextmanager
def budget(seconds: float) -> Iterator[None]:
    token = _deadline.set(time.process_time() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time() -> float:
    """Seconds left for the current rule; raises ``OutOfTime`` when none are."""
    deadline = _deadline.get()
    if deadline is None:
        return DEFAULT_SECONDS
    left = deadline - time.process_time()
    if left <= 0:
        raise OutOfTime
    return left


def finditer(pattern: regex.Pattern, text: str) -> Iterator[regex.Match]:
    try:
        yield from pattern.finditer(text, timeout=check_time())
    except TimeoutError:
        raise OutOfTime from None


def search(pattern: regex.Pattern | str, text: str) -> regex.Match | None:
    compiled = compile(pattern) if isinstance(pattern, str) else pattern
    try:
        return compiled.search(text, timeout=check_time())
    except TimeoutError:
        raise OutOfTime from None
