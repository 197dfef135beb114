"""A worker started with the command, before the command line is parsed, for a check that reads PDFs.

The main process takes about 0.2 s to import the command line and prepare the run, and a PDF
check's worker then spends its first 0.15 s importing the PDF libraries. Forked at once, the worker
imports them on the other core while the main process is busy; the pool then gives it the first
file instead of starting a worker of its own (``pool._first_worker``). A worker the run does not
take (the run stops on an error before it checks a file, or its files go to Dask) is killed on the
way out.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

Started = tuple[Connection, BaseProcess]

# The worker and the process that started it: a process forked from that one does not own it.
_started: tuple[Started, int] | None = None


def reads_pdf(argv: list[str]) -> bool:
    """A check whose arguments name a PDF, or a folder that may hold some."""
    if not argv or argv[0] != "check":
        return False
    return any(a.lower().endswith(".pdf") or os.path.isdir(a) for a in argv[1:] if not a.startswith("-"))


def start(argv: list[str]) -> None:
    global _started
    if _started is not None or not reads_pdf(argv) or "fork" not in multiprocessing.get_all_start_methods():
        return
    ctx = multiprocessing.get_context("fork")
    ours, theirs = ctx.Pipe()
    process = ctx.Process(target=_prepare, args=(theirs, ours), daemon=True)
    process.start()
    theirs.close()
    _started = (ours, process), os.getpid()


def _prepare(conn: Connection, parents: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    parents.close()
    # Only a head start: an installation that cannot read PDFs is reported by the check that needs to.
    with contextlib.suppress(Exception):
        from ..readers import pdf  # noqa: F401  (the PDF libraries, the point of starting early)
    from .pool import serve

    serve(conn)


def take() -> Started | None:
    """The worker, handed over once, and only in the process that started it."""
    global _started
    if _started is None or _started[1] != os.getpid():
        return None
    started, _started = _started[0], None
    return started


def end(started: Started) -> None:
    conn, process = started
    if process.is_alive():
        process.kill()
    process.join(5)
    conn.close()


def stop() -> None:
    """Kill the worker if no run took it."""
    started = take()
    if started is not None:
        end(started)
