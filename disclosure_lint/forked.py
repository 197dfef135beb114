"""Work forked off a worker that has a core to spare: one file checked on a machine with more cores.

The pool marks such a worker (``SPARE_ENV``); it may then read pages (``readers.pdfsplit``) and
check rules (``engine.beside``) in a forked child beside itself. Never used in a process that may
run threads. The child inherits the worker's time and memory bounds and is killed with it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
from collections.abc import Callable
from typing import Any

SPARE_ENV = "DISCLOSURE_LINT_PAGE_PROCESSES"


def spare_core() -> bool:
    if not hasattr(os, "fork"):
        return False
    try:
        return int(os.environ.get(SPARE_ENV, "1")) >= 2
    except ValueError:
        return False


def die_with_parent() -> None:
    """A worker killed for its time limit takes this child with it (Linux; elsewhere the child ends on its own)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def fork() -> int:
    """``os.fork`` with the garbage collector frozen until ``reap``: a full collection in either
    process after the fork would touch every shared object and make the kernel copy the heap."""
    gc.freeze()
    pid = os.fork()
    if pid == 0:
        die_with_parent()
    return pid


def reap(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
    gc.unfreeze()


class Beside:
    """``work()`` run in a forked child while this process goes on; ``result()`` is what it
    returned, or None if the child did not finish (killed, out of memory, an exception)."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self.fd, theirs = os.pipe()
        self.pid = fork()
        if self.pid == 0:  # the child sends its result and exits without running any cleanup
            os.close(self.fd)
            try:
                data = pickle.dumps(work(), pickle.HIGHEST_PROTOCOL)
                with os.fdopen(theirs, "wb") as fh:
                    fh.write(data)
            finally:
                os._exit(0)
        os.close(theirs)

    def result(self) -> Any:
        parts = []
        while chunk := os.read(self.fd, 1 << 20):
            parts.append(chunk)
        os.close(self.fd)
        reap(self.pid)
        try:
            # Written by our own child over a pipe it alone could write: not a file another user could touch.
            return pickle.loads(b"".join(parts))
        except Exception:  # nothing, or a part: the child did not finish
            return None
