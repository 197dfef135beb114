"""The Dask backend on a local cluster (loopback only): the same findings as a local run, one task per file."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import FIXES, edited

from disclosure_lint.batch.cache import FORMAT

distributed = pytest.importorskip("distributed")


def check(*args: str, cwd, cache=None) -> subprocess.CompletedProcess:
    env = {**os.environ, **({"DISCLOSURE_LINT_CACHE_DIR": str(cache)} if cache else {})}
    return subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "check", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=env,
    )


# The cluster runs in a process of its own: a scheduler in the test process would leave threads
# there, and a later test's check would then fork its workers from a fork server, which no longer
# sees what that test patched.
CLUSTER = """
import sys

import dask
import distributed

if __name__ == "__main__":
    # Worker processes are daemonic, as ``dask worker`` starts them: the tasks must still run their child.
    with (
        dask.config.set({"distributed.worker.daemon": True}),
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster,
    ):
        print(cluster.scheduler_address, flush=True)
        sys.stdin.read()  # until the test is done with it
"""


def test_a_cluster_run_reports_what_a_local_run_does_and_fills_the_shared_cache(tmp_path, example_text):
    reports = tmp_path / "reports"
    reports.mkdir()
    for i, text in enumerate([example_text, edited(example_text, FIXES), edited(example_text, FIXES[:2])]):
        (reports / f"r{i}.txt").write_text(text, encoding="utf-8")
    (reports / "broken.pdf").write_bytes(b"%PDF-1.4\n")
    cache = tmp_path / "shared-cache"
    script = tmp_path / "cluster.py"
    script.write_text(CLUSTER, encoding="utf-8")
    cluster = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        address = cluster.stdout.readline().strip()
        assert address.startswith("tcp://127.0.0.1:"), address
        remote = check(
            "reports", "--format", "json", "--executor", "dask", "--scheduler", address, cwd=tmp_path, cache=cache
        )
    finally:
        cluster.communicate("", timeout=60)
    local = check("reports", "--format", "json", "--no-cache", cwd=tmp_path)
    assert remote.returncode == local.returncode == 1, remote.stderr
    assert remote.stdout == local.stdout
    found = json.loads(remote.stdout)
    assert [d["rule"] for d in found if d["path"] == "reports/broken.pdf"] == ["E.INPUT"]
    assert len(list(cache.glob(f"v{FORMAT}/*/*.json"))) == 3  # written by the tasks, unreadable files excepted
