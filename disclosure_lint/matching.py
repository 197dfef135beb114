"""Regular expressions that come from packs, matched within a time limit.

A pack's pattern runs on every report, and one written carelessly (``(a+)+$``, or three free text
captures side by side) can take exponential time on an unlucky sentence. Python's ``re`` cannot be
interrupted; the ``regex`` module takes a ``timeout``. Time is CPU time of this process, so a busy
machine does not make a rule time out. A rule is checked under ``budget(seconds)``: every match it
runs gets what is left, and ``check_time()`` lets the engine stop between bindings too. Outside a
budget (recognizing attachment fields) each search gets ``DEFAULT_SECONDS`` of its own.

``regex`` compiles a pattern in Python, which was half of a pack's load time, paid by every run.
The patterns compiled while a pack loads (``keeping()``) are therefore kept in the user's private
cache folder, each as the arguments regex's own pickling rebuilds a compiled pattern from, written
as JSON with a checksum. An entry is used only for the same pattern and regex version, and one that
does not fit is compiled again; nothing is un-pickled. Patterns a rule builds from a report's text
are not kept, so the folder does not grow with the reports checked.
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import regex

from .jsondata import decode, encode
from .privatecache import private_cache_dir

RULE_SECONDS = 2.0
"""CPU seconds one rule may take on one report; the whole example report needs a few milliseconds."""
DEFAULT_SECONDS = 2.0

Pattern = regex.Pattern
Match = regex.Match
error = regex.error

_deadline: ContextVar[float | None] = ContextVar("rule_deadline", default=None)


class OutOfTime(Exception):
    """The rule being checked has used up its time."""


_keeping: ContextVar[bool] = ContextVar("keep_patterns", default=False)
_REDUCE = copyreg.dispatch_table[regex.Pattern]
_REBUILD = _REDUCE(regex.compile(""))[0]


# A pack's patterns once compiled in this process: rules that build a pack's pattern again while
# checking a report (a ``~`` comparison, a capture) find it here instead of compiling it again.
_packs_patterns: dict[str, regex.Pattern] = {}


def compile(pattern: str) -> regex.Pattern:
    compiled = _packs_patterns.get(pattern)
    if compiled is not None:
        return compiled
    if not _keeping.get():
        return regex.compile(pattern)
    entry = _entry_path(pattern)
    compiled = _read_entry(entry, pattern) if entry is not None else None
    if compiled is None:
        compiled = regex.compile(pattern)
        if entry is not None:
            _write_entry(entry, pattern, compiled)
    _packs_patterns[pattern] = compiled
    return compiled


@contextmanager
def keeping() -> Iterator[None]:
    """Patterns compiled in this block are a pack's own: kept compiled for the next run."""
    token = _keeping.set(True)
    try:
        yield
    finally:
        _keeping.reset(token)


def _entry_path(pattern: str) -> Path | None:
    folder = private_cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(f"{regex.__version__}\x1f{pattern}".encode()).hexdigest()
    return folder / "patterns" / f"{key}.json"


def _checksum(pattern: str, args: str) -> str:
    return hashlib.sha256(f"{regex.__version__}\x1f{pattern}\x1f{args}".encode()).hexdigest()


def _read_entry(entry: Path, pattern: str) -> regex.Pattern | None:
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError, regex.error):
        data = json.loads(entry.read_text(encoding="utf-8"))
        args = data["args"]
        if data["regex"] != regex.__version__ or data["pattern"] != pattern or data["sum"] != _checksum(pattern, args):
            return None
        compiled = _REBUILD(*decode(json.loads(args)))
        if isinstance(compiled, regex.Pattern) and compiled.pattern == pattern:
            return compiled
    return None


def _write_entry(entry: Path, pattern: str, compiled: regex.Pattern) -> None:
    with contextlib.suppress(OSError, TypeError, ValueError):
        rebuild, args = _REDUCE(compiled)
        if rebuild is not _REBUILD:
            return
        text = json.dumps(encode(args), ensure_ascii=False)
        record = {"regex": regex.__version__, "pattern": pattern, "args": text, "sum": _checksum(pattern, text)}
        entry.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(record, fh, ensure_ascii=False)
        os.replace(tmp, entry)


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
