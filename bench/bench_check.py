"""Benchmark: checking the bundled text report.

Reports medians over several runs of
  * pack load (grammar already compiled, pack cache cleared) and the first, cold load;
  * the in-process check of the example once the pack is loaded (read + recognize + rules),
    and, as the in-run baseline it is compared with, the text reader alone on the same file;
  * CLI start-up (`python -m disclosure_lint --version`) and the whole CLI run
    (`python -m disclosure_lint check --no-cache`), against bare interpreter start-up (`python -c pass`).

Usage: python bench/bench_check.py [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "yangquan-data-bureau-2024-final.txt"
PACK = "cn-final-accounts-2024"


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from disclosure_lint.api import lint
    from disclosure_lint.packs.load import load_pack
    from disclosure_lint.readers import read_document

    t0 = time.perf_counter()
    pack = load_pack(PACK)
    cold_load = (time.perf_counter() - t0) * 1000

    def warm_load() -> None:
        load_pack.cache_clear()
        load_pack(PACK)

    pack_load = median_ms(warm_load, max(5, args.runs // 4))
    pack = load_pack(PACK)
    lint(EXAMPLE, pack)  # warm caches once, as an editor or batch run would
    check = median_ms(lambda: lint(EXAMPLE, pack), args.runs)
    read = median_ms(lambda: read_document(EXAMPLE), args.runs)

    cli_runs = max(3, args.runs // 4)
    commands = {
        "cli": [sys.executable, "-m", "disclosure_lint", "check", str(EXAMPLE), "--no-cache"],
        "startup": [sys.executable, "-m", "disclosure_lint", "--version"],
        "bare": [sys.executable, "-c", "pass"],
    }
    samples: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(cli_runs):  # interleaved, so load on the machine hits all three alike
        for name, cmd in commands.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=False)
            samples[name].append((time.perf_counter() - t0) * 1000)
    cli, startup, bare = (statistics.median(samples[k]) for k in ("cli", "startup", "bare"))
    figures = {
        "pack_load_cold_ms": round(cold_load, 1),
        "pack_load_ms": round(pack_load, 1),
        "check_in_process_ms": round(check, 2),
        "read_only_ms": round(read, 2),
        "check_vs_read_ratio": round(check / read, 2),
        "cli_ms": round(cli, 1),
        "cli_startup_ms": round(startup, 1),
        "python_startup_ms": round(bare, 1),
        "cli_vs_startup_ratio": round(cli / bare, 2),
        "cli_startup_vs_python_ratio": round(startup / bare, 2),
        "runs": args.runs,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"pack load (cold, incl. grammar)   {figures['pack_load_cold_ms']:8.1f} ms")
    print(f"pack load (median)                {figures['pack_load_ms']:8.1f} ms")
    print(
        f"check example in-process (median) {figures['check_in_process_ms']:8.2f} ms"
        f"   = {figures['check_vs_read_ratio']}x the text reader alone ({figures['read_only_ms']} ms)"
    )
    print(
        f"CLI start-up, --version (median)   {figures['cli_startup_ms']:8.1f} ms"
        f"   = {figures['cli_startup_vs_python_ratio']}x bare python start-up ({figures['python_startup_ms']} ms)"
    )
    print(
        f"whole CLI run (median)            {figures['cli_ms']:8.1f} ms"
        f"   = {figures['cli_vs_startup_ratio']}x bare python start-up ({figures['python_startup_ms']} ms)"
    )


if __name__ == "__main__":
    main()
