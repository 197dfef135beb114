"""Reading the pages of one PDF in two processes, for a single file on a machine with a core to spare.

Pages are read independently (paragraphs are joined across pages only afterwards), so a forked
child can read the second half while this process reads the first, and send its pages back
through a pipe. The child inherits the open documents and the time and memory bounds of the
worker it was forked from. It is used only where a worker process asks for it
(``PAGES_ENV``), never in a process that may run threads.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import TypeVar

from ..errors import InputError

PAGES_ENV = "DISCLOSURE_LINT_PAGE_PROCESSES"
# Below this many pages the fork costs more than it saves.
MIN_PAGES = 6
T = TypeVar("T")


def processes() -> int:
    try:
        return max(1, int(os.environ.get(PAGES_ENV, "1")))
    except ValueError:
        return 1


def _die_with_parent() -> None:
    """A worker killed for its time limit takes this child with it (Linux; elsewhere the child ends on its own)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def read_pages(count: int, read_one: Callable[[int], T], meanwhile: Callable[[list[T]], None] | None = None) -> list[T]:
    """``read_one(n)`` for pages 1..count, in order; InputError and MemoryError come out as if read here.

    When the pages are split, this process reads the first 40 % and then runs ``meanwhile`` on
    them while the child is still reading (the caller prepares what comes next, e.g. a pack).
    """
    split = count * 2 // 5 + 1
    if processes() < 2 or count < MIN_PAGES or not hasattr(os, "fork"):
        return [read_one(n) for n in range(1, count + 1)]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child reads pages split..count and exits without running any cleanup
        os.close(r)
        try:
            _die_with_parent()
            try:
                reply: tuple = ("pages", [read_one(n) for n in range(split, count + 1)])
            except InputError as exc:
                reply = ("input", exc.message, exc.path)
            except MemoryError:
                reply = ("memory",)
            with os.fdopen(w, "wb") as fh:
                fh.write(pickle.dumps(reply, pickle.HIGHEST_PROTOCOL))
        finally:
            os._exit(0)
    os.close(w)
    try:
        first = [read_one(n) for n in range(1, split)]
        if meanwhile is not None:
            meanwhile(first)
        with os.fdopen(r, "rb") as fh:
            data = fh.read()
    finally:
        os.waitpid(pid, 0)
    if not data:
        raise MemoryError  # the child died: the worker's bounds stopped it
    # Sent by our own child over a pipe it alone could write: not a file another user could touch.
    reply = pickle.loads(data)
    if reply[0] == "input":
        raise InputError(reply[1], reply[2])
    if reply[0] == "memory":
        raise MemoryError
    return first + reply[1]
