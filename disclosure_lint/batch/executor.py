"""Where the files of a run are checked: worker processes on this machine, or a Dask cluster."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import warm
from .jobs import Job, Observer, Outcome
from .pool import Limits, cpu_count, run_pool

EXECUTORS = ("local", "dask")


@dataclass
class Plan:
    jobs: int | None = None
    limits: Limits = field(default_factory=Limits)
    cache_root: Path | None = None
    executor: str = "local"
    scheduler: str | None = None


def execute(jobs: list[Job], plan: Plan, observer: Observer | None = None) -> list[Outcome]:
    """One outcome per job, in the order of ``jobs``."""
    if plan.executor == "dask":
        from .cluster import run_dask

        warm.stop()  # the files go to the cluster: the local worker started with the command is not needed

        return run_dask(jobs, plan.scheduler, plan.limits, plan.cache_root, observer)
    return run_pool(jobs, plan.jobs or cpu_count(), plan.limits, plan.cache_root, observer)
