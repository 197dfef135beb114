"""Checking files in worker processes, each file bounded in time and memory.

concurrent.futures' pool cannot stop one task, and one worker that dies breaks the whole pool;
here each worker is a process of our own with a pipe: a file that runs past the time limit gets
its worker killed and replaced, a worker that dies (killed by a signal, out of memory) costs
only the file it was on, and the others go on. Address space is bounded with ``RLIMIT_AS`` on top
of what the worker holds when it takes the run's settings (interpreter, libraries), so a stream
that inflates to gigabytes ends in a MemoryError inside the worker instead of taking the machine
down.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from ..forked import SPARE_ENV
from . import warm
from .cache import Cache
from .jobs import TICK, Job, Observer, Outcome, failure, run_job

DEFAULT_TIMEOUT = 120.0
DEFAULT_MEMORY_MB = 2048


@dataclass(frozen=True)
class Limits:
    """Per-file bounds; None switches one off."""

    timeout: float | None = DEFAULT_TIMEOUT
    memory_mb: int | None = DEFAULT_MEMORY_MB


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _limit_memory(memory_mb: int | None) -> None:
    if memory_mb is None:
        return
    try:
        import resource

        with open("/proc/self/statm") as fh:
            footprint = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        return
    soft = footprint + memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def serve(conn: Connection) -> None:
    """Worker loop: take the run's settings, then a job at a time and send back its outcome, until
    retired or killed (or the pool is gone). The settings come first, not with the process, so that
    a worker started before the command line was parsed (``warm``) can serve the run too."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        settings = conn.recv()
    except (EOFError, OSError):
        return
    memory_mb, cache_root, split_pages = settings
    if split_pages:
        os.environ[SPARE_ENV] = "2"
    _limit_memory(memory_mb)
    cache = Cache(cache_root) if cache_root is not None else None
    while True:
        try:
            job, last = conn.recv()
        except (EOFError, OSError):
            return
        if job.cwd is not None and job.cwd != os.getcwd():
            os.chdir(job.cwd)
        try:
            outcome = run_job(job, cache, memory_mb)
        except Exception as exc:
            # A defect of the tool, not of the file: the parent ends the run with it as an internal error.
            try:
                conn.send(exc)
            except Exception:
                conn.send(RuntimeError(f"{type(exc).__name__}: {exc}"))
            return
        conn.send(outcome)
        if outcome.retire or last:
            return


def _context() -> multiprocessing.context.BaseContext:
    # fork shares the imported code and loaded packs; elsewhere, or from a threaded process, a fork
    # server gives clean single-threaded workers.
    methods = multiprocessing.get_all_start_methods()
    import threading

    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["disclosure_lint.batch.preload"])
        return ctx
    return multiprocessing.get_context("spawn")


class _Worker:
    def __init__(
        self,
        ctx: multiprocessing.context.BaseContext,
        limits: Limits,
        cache_root: Path | None,
        split: bool,
        started: warm.Started | None = None,
    ) -> None:
        if started is None:
            self.conn, child = ctx.Pipe()
            self.process: BaseProcess = ctx.Process(target=serve, args=(child,), daemon=True)
            self.process.start()
            child.close()
        else:
            self.conn, self.process = started
        self.index: int | None = None
        self.started = 0.0
        self.conn.send((limits.memory_mb, cache_root, split))

    def give(self, index: int, job: Job, last: bool) -> None:
        """``last``: no file is left to give anyone, so the worker ends once it has sent the outcome,
        while this process reads it, instead of after."""
        self.index, self.started = index, time.monotonic()
        with contextlib.suppress(BrokenPipeError, OSError):  # a worker already gone is seen as dead
            self.conn.send((job, last))

    def take(self) -> Outcome | Exception | None:
        """The outcome the worker sent, or None if it died without one."""
        try:
            if self.conn.poll():
                return self.conn.recv()
        except (EOFError, OSError):
            pass
        return None

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _first_worker(
    ctx: multiprocessing.context.BaseContext, limits: Limits, cache_root: Path | None, split: bool
) -> _Worker:
    """The worker started with the command (``warm``) if there is one and it is still there."""
    started = warm.take()
    if started is not None:
        try:
            return _Worker(ctx, limits, cache_root, split, started)
        except OSError:
            warm.end(started)
    return _Worker(ctx, limits, cache_root, split)


def _death(path: str, exitcode: int | None, limits: Limits) -> Outcome:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        reason = f"被信号 {name} 终止"
    else:
        reason = f"异常退出（退出码 {exitcode}）"
    memory = f"，可能超出内存上限（{limits.memory_mb} MB）" if limits.memory_mb else ""
    return failure(path, f"检查进程{reason}{memory}，该文件未能检查")


def run_pool(
    jobs: list[Job],
    workers: int,
    limits: Limits = Limits(),
    cache_root: Path | None = None,
    observer: Observer | None = None,
) -> list[Outcome]:
    """Outcomes in the order of ``jobs``, whatever order the workers finish in."""
    results: list[Outcome | None] = [None] * len(jobs)
    if not jobs:
        return []
    ctx = _context()
    observer = observer or Observer()
    observer.begin(len(jobs))
    pending = deque(enumerate(jobs))
    idle: list[_Worker] = []
    busy: list[_Worker] = []

    def record(worker: _Worker, outcome: Outcome) -> None:
        index = worker.index
        assert index is not None
        results[index] = outcome
        worker.index = None
        observer.finished(jobs[index], outcome)

    # With a core to spare for each file (a single file on two cores), a file's pages are read in two processes.
    split = workers >= 2 * len(jobs)
    try:
        for n in range(min(workers, len(jobs))):
            idle.append(_Worker(ctx, limits, cache_root, split) if n else _first_worker(ctx, limits, cache_root, split))
        while pending or busy:
            while pending and idle:
                worker = idle.pop()
                index, job = pending.popleft()
                busy.append(worker)
                worker.give(index, job, last=not pending)
                observer.started(job)
            now = time.monotonic()
            wait_for = TICK
            if limits.timeout is not None:
                wait_for = min(wait_for, max(0.0, min(w.started + limits.timeout for w in busy) - now))
            ready = set(wait([obj for w in busy for obj in (w.conn, w.process.sentinel)], wait_for))
            observer.tick()
            now = time.monotonic()
            for worker in list(busy):
                if worker.conn in ready or worker.process.sentinel in ready:
                    outcome = worker.take()
                    if isinstance(outcome, Exception):
                        raise outcome
                    busy.remove(worker)
                    if outcome is None:
                        worker.process.join(5)
                        record(worker, _death(jobs[worker.index].path, worker.process.exitcode, limits))
                    else:
                        record(worker, outcome)
                        if not outcome.retire:
                            idle.append(worker)
                            continue
                    worker.kill()
                elif limits.timeout is not None and now - worker.started >= limits.timeout:
                    busy.remove(worker)
                    worker.kill()
                    seconds = f"{limits.timeout:g}"
                    record(worker, failure(jobs[worker.index].path, f"检查超时（超过 {seconds} 秒），该文件未能检查"))
                else:
                    continue
                if pending:
                    idle.append(_Worker(ctx, limits, cache_root, split))
    finally:
        # An idle worker has sent its last outcome (one given the last file is ending by itself):
        # nothing is lost by killing it, and waiting for it to exit would add that to the run.
        for worker in idle + busy:
            worker.kill()
    return [r for r in results if r is not None]
