"""Running the command line where file permissions really apply, even when the tests run as root.

Root reads a ``chmod 000`` file through the capabilities CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH.
A child process started with ``preexec_fn=drop_overrides`` loses both from its bounding set before it
executes, so the kernel denies it exactly what it would deny an ordinary user. For anyone else the
permissions apply anyway and nothing is dropped.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def drop_overrides() -> None:
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def require_permissions(folder: Path) -> None:
    """Skip (saying why) where even a child without the overrides can read a ``chmod 000`` file."""
    probe = folder / "permission-probe"
    probe.write_text("x", encoding="utf-8")
    probe.chmod(0)
    try:
        run = subprocess.run(
            [sys.executable, "-c", f"open({str(probe)!r}).read()"],
            preexec_fn=drop_overrides,
            capture_output=True,
        )
    except OSError as exc:
        pytest.skip(f"cannot start a process without file-permission overrides here: {exc}")
    finally:
        probe.chmod(0o600)
        probe.unlink()
    if run.returncode == 0:
        pytest.skip("file permissions are not enforced for a child process on this machine")


def cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """``disclosure-lint ARGS`` in a child process to which file permissions apply."""
    return subprocess.run(
        [sys.executable, "-m", "disclosure_lint", *args],
        preexec_fn=drop_overrides,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
    )
