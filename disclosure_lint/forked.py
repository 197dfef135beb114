"""Work shared with a forked child by a worker that has a core to spare (one file checked on a
machine with more cores): the pages of a PDF (``readers.pdfsplit``) and the forbidding rules
(``engine.beside``).

The items of such work are independent, and this process needs them in order: the child takes them
from the last one down while this process goes on with other work, then takes them from the first
one up. Each says which item it takes before computing it, so they meet in the middle; where they
cross, both may compute one item, the same way, and this process's copy is kept. However the costs
are spread, neither process waits for the other for more than one item. The child sends what it
computed through a pipe when they meet.

The pool marks a worker with a core to spare (``SPARE_ENV``); this is never used in a process that
may run threads. The child inherits the worker's time and memory bounds and is killed with it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import struct
from collections.abc import Callable
from typing import Generic, TypeVar

from .errors import InputError

SPARE_ENV = "DISCLOSURE_LINT_PAGE_PROCESSES"
T = TypeVar("T")
_CLAIM = struct.Struct("<I")  # an item number; 0 ends the claims and starts the reply
_LENGTH = struct.Struct("<Q")


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


class _Claims:
    """The item numbers the other process has announced, read from its pipe as they come; after
    them (a 0) the pipe carries that process's reply."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""
        self.items: list[int] = []
        self.ended = False
        os.set_blocking(fd, False)

    def _feed(self, chunk: bytes) -> None:
        if not chunk:
            self.ended = True
        self.buffer += chunk
        while len(self.buffer) >= _CLAIM.size and not self.ended:
            (page,) = _CLAIM.unpack_from(self.buffer)
            self.buffer = self.buffer[_CLAIM.size :]
            if page == 0:
                self.ended = True
            else:
                self.items.append(page)

    def poll(self) -> None:
        while not self.ended:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                return
            self._feed(chunk)

    def rest(self) -> bytes:
        """Everything after the claims, once the writer has closed the pipe."""
        os.set_blocking(self.fd, True)
        while not self.ended:
            self._feed(os.read(self.fd, 65536))
        parts = [self.buffer]
        while chunk := os.read(self.fd, 1 << 20):
            parts.append(chunk)
        return b"".join(parts)


def _child(split: Split[T], theirs: int, ours: int) -> None:
    """Compute items from the last one down to the split's floor until the parent's claims reach
    them, then reply."""
    claims = _Claims(theirs)
    done: dict[int, T | None] = {}
    reply: tuple
    try:
        for item in range(split.count, split.floor - 1, -1):
            claims.poll()
            if claims.items and max(claims.items) >= item:
                break
            os.write(ours, _CLAIM.pack(item))
            done[item] = split.export(split.compute(item))
        reply = ("items", done)
    except InputError as exc:
        reply = ("input", exc.message, exc.path)
    except MemoryError:
        reply = ("memory",)
    data = pickle.dumps(reply, pickle.HIGHEST_PROTOCOL)
    with os.fdopen(ours, "wb") as fh:
        fh.write(_CLAIM.pack(0) + _LENGTH.pack(len(data)) + data)


def _same(value: T) -> T | None:
    return value


class Local(Generic[T]):
    """Every item computed in this process."""

    def __init__(self, compute: Callable[[int], T]) -> None:
        self.compute = compute

    def get(self, number: int) -> T:
        return self.compute(number)

    def close(self) -> None:
        """Nothing runs elsewhere."""


class Split(Generic[T]):
    """Items 1..count computed by a forked child from the last one down to ``floor`` while this
    process asks for them from the first one up (``get``), computing each itself until the child
    has taken it, then taking the rest from the child's reply.

    ``export`` is what the child does to an item before sending it: None means it cannot leave the
    child, and this process computes it again. A damaged file the child met comes out as if met
    here, when its item is asked for. A child that ran out of memory, or died without a reply (the
    worker's bounds stopped it), is a lack of memory here too; with ``redo_lost`` it costs time
    only: its items are computed here.
    """

    def __init__(
        self,
        count: int,
        compute: Callable[[int], T],
        floor: int = 1,
        export: Callable[[T], T | None] = _same,
        redo_lost: bool = False,
    ) -> None:
        self.count, self.compute, self.floor, self.export, self.redo_lost = count, compute, floor, export, redo_lost
        from_parent, self.to_child = os.pipe()
        self.from_child, to_parent = os.pipe()
        self.pid: int | None = fork()
        if self.pid == 0:  # the child computes and exits without running any cleanup
            os.close(self.to_child)
            os.close(self.from_child)
            try:
                _child(self, from_parent, to_parent)
            finally:
                os._exit(0)
        os.close(from_parent)
        os.close(to_parent)
        self.claims = _Claims(self.from_child)
        self.theirs: dict[int, T | None] | None = None

    def get(self, number: int) -> T:
        if self.theirs is None:
            self.claims.poll()
            if not self.claims.items or min(self.claims.items) > number:
                if not self.claims.ended:
                    with contextlib.suppress(BrokenPipeError):  # the child has just replied and gone
                        os.write(self.to_child, _CLAIM.pack(number))
                return self.compute(number)
            self.theirs = self._reply()
        theirs = self.theirs.get(number)
        return self.compute(number) if theirs is None else theirs

    def _reply(self) -> dict[int, T | None]:
        data = self.claims.rest()
        self.close()
        (length,) = _LENGTH.unpack_from(data) if len(data) >= _LENGTH.size else (-1,)
        if len(data) != _LENGTH.size + length:  # the child died
            if self.redo_lost:
                return {}
            raise MemoryError
        # Sent by our own child over a pipe it alone could write: not a file another user could touch.
        reply = pickle.loads(data[_LENGTH.size :])
        if reply[0] == "input":
            raise InputError(reply[1], reply[2])
        if reply[0] == "memory":
            if self.redo_lost:
                return {}
            raise MemoryError
        return reply[1]

    def close(self) -> None:
        """Ends the child if it is still computing: the items it has are no longer needed."""
        if self.pid is None:
            return
        os.close(self.to_child)
        reap(self.pid)
        os.close(self.from_child)
        self.pid = None
