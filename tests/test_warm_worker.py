"""A PDF check starts its first worker before the command line is parsed; the run takes it over,
and one the run does not need is not left behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from conftest import EXAMPLE, ROOT

from disclosure_lint.batch import warm

TEMPLATE = ROOT / "tests" / "corpus" / "shanghai-2024-final-accounts-template.pdf"
# Run in a fresh interpreter: a worker is forked only from a process without threads, as the command is.
ADOPTED = """
import json, sys
from disclosure_lint.batch import warm
warm.start(["check", sys.argv[1]])
(conn, process), _ = warm._started
from disclosure_lint.batch.jobs import Job
from disclosure_lint.batch.pool import run_pool
from disclosure_lint.workflow.config import Settings
if sys.argv[2] == "dead":
    process.kill()
    process.join()
[outcome] = run_pool([Job(sys.argv[1], Settings())], 2)
print(json.dumps({"findings": len(outcome.diagnostics), "failed": outcome.failed, "taken": warm.take() is None,
                  "alive": process.is_alive(), "exitcode": process.exitcode}))
"""
UNUSED = """
import json, sys
from disclosure_lint.batch import warm
warm.start(["check", sys.argv[1]])
(conn, process), _ = warm._started
warm.stop()
print(json.dumps({"alive": process.is_alive(), "exitcode": process.exitcode, "again": warm.take() is None}))
"""


def _python(script: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_only_a_check_that_may_read_a_pdf_starts_a_worker_early(tmp_path):
    assert warm.reads_pdf(["check", "报告.PDF"])
    assert warm.reads_pdf(["check", "--no-cache", str(tmp_path)])
    assert not warm.reads_pdf(["check", str(EXAMPLE)])
    assert not warm.reads_pdf(["check", "-"])
    assert not warm.reads_pdf(["explain", "报告.pdf"])
    assert not warm.reads_pdf(["--version"])
    assert not warm.reads_pdf([])


def test_the_pool_gives_the_file_to_the_worker_started_early():
    out = _python(ADOPTED, str(TEMPLATE), "alive")
    assert out["findings"] > 0 and not out["failed"]
    # Taken over; given the last file, it ends by itself once it has sent the outcome.
    assert out == {**out, "taken": True, "alive": False, "exitcode": 0}


def test_a_worker_that_died_before_the_run_is_replaced():
    out = _python(ADOPTED, str(TEMPLATE), "dead")
    assert out["findings"] > 0 and not out["failed"]
    assert out["exitcode"] == -signal.SIGKILL


def test_a_worker_no_run_takes_is_killed():
    assert _python(UNUSED, str(TEMPLATE)) == {"alive": False, "exitcode": -signal.SIGKILL, "again": True}


def test_only_the_process_that_started_it_may_take_it(monkeypatch):
    monkeypatch.setattr(warm, "_started", (("conn", "process"), os.getpid() + 1))
    assert warm.take() is None


@pytest.mark.parametrize("args", [["--no-cache"], ["--pack", "没有这个规则包"]], ids=["checked", "run-fails"])
def test_the_command_leaves_no_process_behind_and_prints_what_the_plain_entry_prints(args):
    def run(entry: list[str]) -> tuple[int, str]:
        cmd = [sys.executable, *entry, "check", str(TEMPLATE), "--format", "json", *args]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        out, _ = proc.communicate(timeout=120)
        with pytest.raises(ProcessLookupError):
            os.killpg(proc.pid, 0)  # nothing of the run's process group is left
        return proc.returncode, out

    launched = run(["-m", "disclosure_lint"])
    plain = run(["-c", "from disclosure_lint.cli import console; console()"])
    assert launched == plain
    assert launched[0] == (1 if args == ["--no-cache"] else 2)
