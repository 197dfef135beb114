"""Batches: worker processes, per-file time and memory bounds, deterministic output."""

from __future__ import annotations

import json
import os
import signal
import time
import zlib

import pytest
from click.testing import CliRunner
from conftest import FIXES, edited

from disclosure_lint import api
from disclosure_lint.cli import main

real_lint = api.lint


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def reports(tmp_path, example_text):
    """Five reports: the example as published, corrected, and with one of its defects each."""
    folder = tmp_path / "reports"
    folder.mkdir()
    texts = [example_text, edited(example_text, FIXES)] + [edited(example_text, FIXES[:i]) for i in (1, 2, 4)]
    for i, text in enumerate(texts):
        (folder / f"r{i}.txt").write_text(text, encoding="utf-8")
    return folder


def test_parallel_output_is_the_same_as_serial(reports):
    serial = run("check", str(reports), "--jobs", "1", "--no-cache", "--format", "json")
    parallel = run("check", str(reports), "--jobs", "3", "--no-cache", "--format", "json")
    assert serial.exit_code == parallel.exit_code == 1
    assert parallel.output == serial.output
    paths = [d["path"] for d in json.loads(parallel.output)]
    assert paths == sorted(paths) and len(set(paths)) == 4  # the corrected report has no findings


def _patch(monkeypatch, name: str, action):
    """The worker runs ``action`` instead of checking the file called ``name`` (workers are forked,
    so they inherit the patch)."""

    def patched(path, *args, **kwargs):
        if os.path.basename(str(path)) == name:
            action()
        return real_lint(path, *args, **kwargs)

    monkeypatch.setattr(api, "lint", patched)


def test_a_file_over_the_time_limit_is_one_input_error_and_the_batch_goes_on(reports, monkeypatch):
    _patch(monkeypatch, "r2.txt", lambda: time.sleep(60))
    started = time.monotonic()
    result = run("check", str(reports), "--jobs", "2", "--timeout", "10", "--no-cache")
    assert time.monotonic() - started < 50
    lines = result.output.splitlines()
    assert [ln for ln in lines if " E.INPUT " in ln] == [
        f"{reports / 'r2.txt'}: error E.INPUT 检查超时（超过 10 秒），该文件未能检查"
    ], result.output
    assert {ln.split(":")[0] for ln in lines if " error " in ln} == {str(reports / f"r{i}.txt") for i in (0, 2, 3, 4)}
    assert lines[-1].startswith("检查了 5 个文件")


def test_a_worker_killed_by_a_signal_costs_its_file_only(reports, monkeypatch):
    _patch(monkeypatch, "r0.txt", lambda: os.kill(os.getpid(), signal.SIGKILL))
    result = run("check", str(reports), "--jobs", "2", "--no-cache", "--format", "json")
    found = json.loads(result.output)
    [dead] = [d for d in found if d["rule"] == "E.INPUT"]
    assert dead["path"] == str(reports / "r0.txt")
    assert dead["message"].startswith("检查进程被信号 SIGKILL 终止")
    assert {d["path"] for d in found} == {str(reports / f"r{i}.txt") for i in (0, 2, 3, 4)}


def bomb_pdf(path, inflated_mb: int) -> None:
    """A small, well-formed PDF whose page content inflates to ``inflated_mb`` MB of blanks."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    stream = b"".join(packer.compress(chunk) for _ in range(inflated_mb)) + packer.compress(b"BT ET") + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def test_a_decompression_bomb_is_one_input_error(reports, tmp_path):
    bomb = reports / "bomb.pdf"
    bomb_pdf(bomb, 400)
    assert bomb.stat().st_size < 1024 * 1024
    result = run("check", str(reports), "--memory-limit", "96", "--no-cache", "--format", "json")
    found = json.loads(result.output)
    [problem] = [d for d in found if d["path"] == str(bomb)]
    assert problem["rule"] == "E.INPUT" and "内存" in problem["message"], problem
    assert {d["path"] for d in found} == {str(bomb), *(str(reports / f"r{i}.txt") for i in (0, 2, 3, 4))}


def test_limits_come_from_the_configuration(reports, monkeypatch):
    monkeypatch.chdir(reports)
    (reports / "disclosure-lint.toml").write_text("timeout = 1\n", encoding="utf-8")
    _patch(monkeypatch, "r2.txt", lambda: time.sleep(60))
    result = run("check", ".", "--no-cache")
    assert "r2.txt: error E.INPUT 检查超时（超过 1 秒）" in result.output
    (reports / "disclosure-lint.toml").write_text('timeout = "long"\n', encoding="utf-8")
    result = run("check", ".", "--no-cache")
    assert result.exit_code == 2 and "timeout 应为秒数" in result.output


def test_an_internal_error_in_a_worker_ends_the_run(reports, monkeypatch):
    def boom():
        raise RuntimeError("simulated failure")

    _patch(monkeypatch, "r1.txt", boom)
    result = run("check", str(reports), "--no-cache")
    assert isinstance(result.exception, RuntimeError) and str(result.exception) == "simulated failure"
