"""Regular expressions that come from packs, matched within a time limit.

A pack's pattern runs on every report, and one written carelessly (``(a+)+$``, or three free text
captures side by side) can take exponential time on an unlucky sentence. Python's ``re`` cannot be
interrupted; the ``regex`` module takes a ``timeout``. Time is CPU time of this process, so a busy
machine does not make a rule time out. A rule is checked under ``budget(seconds)``: every match it
runs gets what is left, and ``check_time()`` lets the engine stop between bindings too. Outside a
budget (recognizing attachment fields) each search gets ``DEFAULT_SECONDS`` of its own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import regex

RULE_SECONDS = 2.0
"""CPU seconds one rule may take on one report; the whole example report needs a few milliseconds."""
DEFAULT_SECONDS = 2.0

Pattern = regex.Pattern
Match = regex.Match
error = regex.error

_deadline: ContextVar[float | None] = ContextVar("rule_deadline", default=None)


class OutOfTime(Exception):
    """The rule being checked has used up its time."""


def compile(pattern: str) -> regex.Pattern:
    return regex.compile(pattern)


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
    compiled = regex.compile(pattern) if isinstance(pattern, str) else pattern
    try:
        return compiled.search(text, timeout=check_time())
    except TimeoutError:
        raise OutOfTime from None
