"""Benchmark: a folder of reports checked with one worker and with two, and re-checked from the cache.

The folder holds ``--files`` reports: copies of the corpus PDFs (``--source pdf``) or of the bundled
text example with one amount changed in each (``--source text``), so no two files are the same.
Measured in the same run, interleaved, as whole ``disclosure-lint check`` processes:
  * jobs 1 / jobs 2 -- ``--jobs 1`` against ``--jobs 2``, both with ``--no-cache`` (target: 1.7x on 2 cores);
  * cold / warm     -- the cache emptied before the run, against a second run over the unchanged
                       folder (target: 10x).
Medians of wall clock over the runs.

Usage: python bench/bench_batch.py [--files N] [--source text|pdf] [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "yangquan-data-bureau-2024-final.txt"
CORPUS = ROOT / "tests" / "corpus"
# A 公开03表 cell of the example, changed by a different amount in each copy.
CELL = "合计\t\t4384.83\t524.12\t3860.71"


def make_folder(folder: Path, files: int, source: str) -> None:
    if source == "pdf":
        pdfs = sorted(CORPUS.glob("*.pdf"))
        for i in range(files):
            # One byte appended after %%EOF keeps the file valid and gives each copy its own content.
            data = pdfs[i % len(pdfs)].read_bytes() + b"\n%" + str(i).encode() + b"\n"
            (folder / f"report-{i:03d}.pdf").write_bytes(data)
        return
    text = EXAMPLE.read_text(encoding="utf-8")
    for i in range(files):
        changed = text.replace(CELL, f"合计\t\t4384.83\t524.12\t{3860.71 + i / 100:.2f}", 1)
        (folder / f"report-{i:03d}.txt").write_text(changed, encoding="utf-8")


def run(folder: Path, *options: str, cache: Path) -> float:
    env = {**os.environ, "DISCLOSURE_LINT_CACHE_DIR": str(cache)}
    cmd = [sys.executable, "-m", "disclosure_lint", "check", str(folder), "--quiet", *options]
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--source", choices=["text", "pdf"], default="text")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    times: dict[str, list[float]] = {"jobs1": [], "jobs2": [], "cold": [], "warm": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder, cache = Path(tmp) / "reports", Path(tmp) / "cache"
        folder.mkdir()
        make_folder(folder, args.files, args.source)
        for _ in range(args.runs):
            times["jobs1"].append(run(folder, "--jobs", "1", "--no-cache", cache=cache))
            times["jobs2"].append(run(folder, "--jobs", "2", "--no-cache", cache=cache))
            shutil.rmtree(cache, ignore_errors=True)
            times["cold"].append(run(folder, cache=cache))
            times["warm"].append(run(folder, cache=cache))
    med = {k: round(statistics.median(v)) for k, v in times.items()}
    figures = {
        "files": args.files,
        "source": args.source,
        "runs": args.runs,
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        **{f"{k}_ms": v for k, v in med.items()},
        "jobs_speedup": round(med["jobs1"] / med["jobs2"], 2),
        "cache_speedup": round(med["cold"] / med["warm"], 1),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{args.files} {args.source} files, {figures['cpus']} CPUs, median of {args.runs} runs")
    print(f"--jobs 1 {med['jobs1']:8d} ms   --jobs 2 {med['jobs2']:8d} ms   speed-up {figures['jobs_speedup']}x")
    print(f"cold     {med['cold']:8d} ms   warm     {med['warm']:8d} ms   speed-up {figures['cache_speedup']}x")


if __name__ == "__main__":
    main()
