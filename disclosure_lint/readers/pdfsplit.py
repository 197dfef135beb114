"""Reading the pages of one PDF in two processes, for a single file on a machine with a core to spare.

Pages are read independently (paragraphs are joined across pages only afterwards), so a forked
child can read pages while this process does other work, and send them back through a pipe. The
child starts as soon as the file is open and reads from the last page down; this process reads the
cover, imports the rule engine and loads the pack meanwhile, then reads from the first page up.
Each says which page it takes before reading it, so they meet in the middle; where they cross,
both may read one page, and the reading is the same, so this process's copy is kept. However long
the preparation takes and however the page costs are spread, neither process waits for the other
more than one page.

The child inherits the open documents, and the time and memory bounds of the worker it was forked
from. It is used only in a worker with a core to spare (``forked``).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
from collections.abc import Callable
from typing import Generic, TypeVar

from ..errors import InputError
from ..forked import fork, reap, spare_core

# Below this many pages the fork costs more than it saves.
MIN_PAGES = 6
T = TypeVar("T")
_CLAIM = struct.Struct("<I")  # a page number; 0 ends the claims and starts the reply
_LENGTH = struct.Struct("<Q")


class _Claims:
    """The page numbers the other process has announced, read from its pipe as they come; after
    them (a 0) the pipe carries that process's reply."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""
        self.pages: list[int] = []
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
                self.pages.append(page)

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


def _child(count: int, read_one: Callable[[int], T], theirs: int, ours: int) -> None:
    """Read pages from the last one down until the parent's claims reach them, then reply."""
    claims = _Claims(theirs)
    done: dict[int, T] = {}
    reply: tuple
    try:
        for page in range(count, 0, -1):
            claims.poll()
            if claims.pages and max(claims.pages) >= page:
                break
            os.write(ours, _CLAIM.pack(page))
            done[page] = read_one(page)
        reply = ("pages", done)
    except InputError as exc:
        reply = ("input", exc.message, exc.path)
    except MemoryError:
        reply = ("memory",)
    data = pickle.dumps(reply, pickle.HIGHEST_PROTOCOL)
    with os.fdopen(ours, "wb") as fh:
        fh.write(_CLAIM.pack(0) + _LENGTH.pack(len(data)) + data)


class LocalPages(Generic[T]):
    """Every page read in this process."""

    def __init__(self, read_one: Callable[[int], T]) -> None:
        self.read_one = read_one

    def page(self, number: int) -> T:
        return self.read_one(number)

    def close(self) -> None:
        """Nothing runs elsewhere."""


class SplitPages(Generic[T]):
    """The pages read by a forked child from the last one down while this process asks for them
    from the first one up (``page``), reading each itself until the child has taken it, then
    taking the rest from the child's reply. A damaged page or a lack of memory the child met comes
    out as if met here, when its page is asked for."""

    def __init__(self, count: int, read_one: Callable[[int], T]) -> None:
        self.read_one = read_one
        from_parent, self.to_child = os.pipe()
        self.from_child, to_parent = os.pipe()
        self.pid: int | None = fork()
        if self.pid == 0:  # the child reads and exits without running any cleanup
            os.close(self.to_child)
            os.close(self.from_child)
            try:
                _child(count, read_one, from_parent, to_parent)
            finally:
                os._exit(0)
        os.close(from_parent)
        os.close(to_parent)
        self.claims = _Claims(self.from_child)
        self.theirs: dict[int, T] | None = None

    def page(self, number: int) -> T:
        if self.theirs is None:
            self.claims.poll()
            if not self.claims.pages or min(self.claims.pages) > number:
                if not self.claims.ended:
                    with contextlib.suppress(BrokenPipeError):  # the child has just replied and gone
                        os.write(self.to_child, _CLAIM.pack(number))
                return self.read_one(number)
            self.theirs = self._reply()
        return self.theirs[number]

    def _reply(self) -> dict[int, T]:
        data = self.claims.rest()
        self.close()
        if len(data) < _LENGTH.size:
            raise MemoryError  # the child died: the worker's bounds stopped it
        (length,) = _LENGTH.unpack_from(data)
        if len(data) != _LENGTH.size + length:
            raise MemoryError
        # Sent by our own child over a pipe it alone could write: not a file another user could touch.
        reply = pickle.loads(data[_LENGTH.size :])
        if reply[0] == "input":
            raise InputError(reply[1], reply[2])
        if reply[0] == "memory":
            raise MemoryError
        return reply[1]

    def close(self) -> None:
        """Ends the child if it is still reading: the pages it has are no longer needed."""
        if self.pid is None:
            return
        os.close(self.to_child)
        reap(self.pid)
        os.close(self.from_child)
        self.pid = None


def open_pages(count: int, read_one: Callable[[int], T]) -> LocalPages[T] | SplitPages[T]:
    """Pages 1..count, to be asked for in order: read in two processes when the worker allows it
    and the file is long enough, the other process starting at once."""
    if not spare_core() or count < MIN_PAGES:
        return LocalPages(read_one)
    return SplitPages(count, read_one)
