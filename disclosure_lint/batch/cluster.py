"""Checking on a Dask cluster (``pip install 'disclosure-lint[dask]'``): one task per file.

Each task checks its file in a child process of the Dask worker, with the same time and memory
bounds as a local run, so a file that hangs or inflates costs that file only and never a worker.
Tasks name files relative to the submitting folder and change to it, so the folder (and the
cache folder, when it is to be shared) must be mounted at the same path on every worker.
"""

from __future__ import annotations

import multiprocessing
import uuid
from pathlib import Path

from ..errors import ConfigError
from .jobs import Job, Observer, Outcome
from .pool import Limits, run_pool


def check_isolated(job: Job, limits: Limits, cache_root: str | None) -> Outcome:
    """The task: one file in a fresh child process, bounded like a local worker.

    Dask worker processes are daemonic, and multiprocessing refuses children to a daemon (they
    would be orphaned if it were killed). The child lives only as long as this task, which joins
    or kills it, so the worker is marked non-daemonic for it.
    """
    multiprocessing.current_process().daemon = False
    return run_pool([job], 1, limits, Path(cache_root) if cache_root else None)[0]


def run_dask(
    jobs: list[Job],
    scheduler: str | None,
    limits: Limits,
    cache_root: Path | None,
    observer: Observer | None = None,
) -> list[Outcome]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ConfigError(
            "未安装 Dask：请先安装 disclosure-lint[dask]（pip install 'disclosure-lint[dask]'）"
        ) from None
    if not scheduler:
        raise ConfigError("使用 --executor dask 时须用 --scheduler 给出调度器地址（如 tcp://10.0.0.1:8786）")
    observer = observer or Observer()
    observer.begin(len(jobs))
    root = str(cache_root.absolute()) if cache_root is not None else None
    run = uuid.uuid4().hex
    try:
        client = Client(scheduler, set_as_default=False, timeout=30)
    except OSError as exc:
        raise ConfigError(f"无法连接 Dask 调度器 {scheduler}：{exc}") from None
    results: list[Outcome | None] = [None] * len(jobs)
    with client:
        futures = [
            client.submit(check_isolated, job, limits, root, key=f"disclosure-lint-{run}-{i}", pure=False)
            for i, job in enumerate(jobs)
        ]
        where = {f.key: i for i, f in enumerate(futures)}
        for future in as_completed(futures, loop=client.loop):
            i = where[future.key]
            results[i] = future.result()
            observer.finished(jobs[i], results[i])
    return [r for r in results if r is not None]
