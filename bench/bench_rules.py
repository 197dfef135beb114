"""Benchmark: which rules of a pack take the time on one report.

The report is read once; then each rule is run alone on it, ``--runs`` times, and its median time
is printed with its share of all the rules' time measured in the same run (the baseline), slowest
first. A rule that stands out is one whose quantifiers multiply (a ``for`` inside a ``for`` with a
``count`` over the same table in its filter).

Usage: python bench/bench_rules.py [--runs N] [--top N] REPORT
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from disclosure_lint.api import read_report
from disclosure_lint.engine.evaluate import run_rules
from disclosure_lint.engine.views import ReportIndex


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("report", type=Path)
    args = parser.parse_args()
    report, pack = read_report(args.report)
    timed = []
    for rule in pack.rules:
        runs = []
        for _ in range(args.runs):
            index = ReportIndex(report, pack.specs)
            start = time.perf_counter()
            run_rules([rule], report, index)
            runs.append(time.perf_counter() - start)
        timed.append((statistics.median(runs), rule.id))
    timed.sort(reverse=True)
    total = sum(t for t, _ in timed)
    print(f"{pack.id}: {len(timed)} rules, {total * 1000:.1f} ms in all (medians of {args.runs} runs)")
    for seconds, rule_id in timed[: args.top]:
        print(f"{seconds * 1000:8.1f} ms  {seconds / total:6.1%}  {rule_id}")


if __name__ == "__main__":
    main()
