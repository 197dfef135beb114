"""Benchmark: ``disclosure-lint check`` on one PDF as a whole process, against a bare pdfplumber script.

For each PDF, measured in the same run with the runs interleaved (so machine load hits both alike):
  * check      -- ``python -m disclosure_lint check FILE --no-cache`` (start-up, pack, reading, rules);
  * pdfplumber -- a script that opens the file and runs ``extract_text()`` + ``extract_tables()`` on
                  every page (start-up and import included);
  * check (pdfplumber pages) -- the check with every page read by pdfplumber, the reference reader.
Medians of wall clock and of CPU time (user + system of the process and its children); the ratio
check / pdfplumber is the figure to watch (target 0.5).

Both sides run from compiled bytecode, as an installed package does: the script compiles the
package's modules first, since a checkout run under PYTHONDONTWRITEBYTECODE would otherwise compile
every module from source on each run while pdfplumber's were compiled when it was installed.

Usage: python bench/bench_process.py [--runs N] [--json] [PDF ...]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
BARE = """
import sys
import pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_text()
        page.extract_tables()
        page.close()
"""


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``cmd`` (CPU of the process and everything it started)."""
    start = os.times()
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    wall = time.perf_counter() - t0
    end = os.times()
    return wall, (end.children_user - start.children_user) + (end.children_system - start.children_system)


def measure(path: Path, runs: int) -> dict:
    python = sys.executable
    reference = {**os.environ, "DISCLOSURE_LINT_PDF_READER": "pdfplumber"}
    commands = {
        "check": ([python, "-m", "disclosure_lint", "check", str(path), "--no-cache"], None),
        "pdfplumber": ([python, "-c", BARE, str(path)], None),
        "check_reference": ([python, "-m", "disclosure_lint", "check", str(path), "--no-cache"], reference),
    }
    wall: dict[str, list[float]] = {k: [] for k in commands}
    cpu: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):
        for name, (cmd, env) in commands.items():
            w, c = timed(cmd, env)
            wall[name].append(w * 1000)
            cpu[name].append(c * 1000)
    out: dict = {"file": path.name, "runs": runs}
    for name in commands:
        out[f"{name}_ms"] = round(statistics.median(wall[name]))
        out[f"{name}_cpu_ms"] = round(statistics.median(cpu[name]))
    base, base_cpu = out["pdfplumber_ms"], out["pdfplumber_cpu_ms"]
    out["ratio"] = round(out["check_ms"] / base, 2)
    out["ratio_cpu"] = round(out["check_cpu_ms"] / base_cpu, 2)
    out["reference_ratio"] = round(out["check_reference_ms"] / base, 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("pdfs", nargs="*", type=Path)
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "disclosure_lint", quiet=1)
    rows = [measure(p, args.runs) for p in args.pdfs or sorted(CORPUS.glob("*.pdf"))]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print(f"{'file':52} {'check':>8} {'pdfplumber':>11} {'ratio':>6} {'cpu ratio':>10} {'pdfplumber pages':>17}")
    for r in rows:
        print(
            f"{r['file']:52} {r['check_ms']:6d}ms {r['pdfplumber_ms']:9d}ms {r['ratio']:6.2f} "
            f"{r['ratio_cpu']:10.2f} {r['reference_ratio']:16.2f}x"
        )


if __name__ == "__main__":
    main()
