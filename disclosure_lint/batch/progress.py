"""A progress bar on stderr for runs that take a while: files done of total, errors so far, ETA, current file.

It is click's own bar, drawn only on a terminal and only once the run has lasted ``DELAY`` seconds,
so quick checks, pipes, CI logs and ``--quiet`` stay silent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO, Any

import click

from .jobs import Job, Observer, Outcome

DELAY = 1.0


class Progress(Observer):
    def __init__(
        self,
        stream: IO[str],
        delay: float = DELAY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = 0
        self.stream = stream
        self.delay = delay
        self.clock = clock
        self.begin_at = clock()
        self.done = 0
        self.errors = 0
        self.current = ""
        self.bar: Any = None

    @staticmethod
    def wanted(stream: IO[str], quiet: bool) -> bool:
        isatty = getattr(stream, "isatty", None)
        return not quiet and isatty is not None and isatty()

    def begin(self, total: int) -> None:
        self.total = total
        self.begin_at = self.clock()

    def started(self, job: Job) -> None:
        self.current = job.path
        self._draw(0)

    def finished(self, job: Job, outcome: Outcome) -> None:
        self.done += 1
        self.current = self.current or job.path
        self.errors += sum(1 for d in outcome.diagnostics if d.severity == "error")
        self._draw(1)

    def tick(self) -> None:
        self._draw(0)

    def _label(self, _item: object) -> str:
        return f"错误 {self.errors}  {self.current}"

    def _draw(self, steps: int) -> None:
        if self.bar is None:
            if self.clock() - self.begin_at < self.delay:
                return
            self.bar = click.progressbar(
                length=self.total,
                label="检查",
                file=self.stream,
                show_eta=True,
                show_pos=True,
                item_show_func=self._label,
                width=24,
            )
            self.bar.__enter__()
            steps = self.done
        self.bar.update(steps, self.current)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
