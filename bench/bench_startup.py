"""Benchmark: what building the rule grammar's parser costs each start, by the way it is obtained.

Each figure is the median over fresh interpreters of the time from ``import lark`` done to a parser
ready to use, in the same run:
  * ``build``: Lark builds the LALR tables from the grammar (no cache at all): the baseline;
  * ``lark cache``: Lark's own ``cache=True`` pickle, warm (what the tool used before: unsafe, since
    the pickle sits at a predictable name in the shared temp folder; here it is a private file);
  * ``shipped JSON``: the tables shipped as JSON next to the grammar (``dsl/tables.py``): what the
    tool does now.
It also times a whole ``disclosure-lint pack check`` process, against bare interpreter start-up.

Usage: python bench/bench_startup.py [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SETUP = (
    "import time, lark\nfrom disclosure_lint.dsl import tables\ngrammar = tables.grammar_path().read_text('utf-8')\n"
)
WAYS = {
    "build": "tables.build(grammar)",
    "lark cache": "lark.Lark(grammar, cache=CACHE, **tables.OPTIONS)",
    "shipped JSON": "tables.load_parser()",
}


def _timed(statement: str, cache: str) -> float:
    code = f"{SETUP}CACHE = {cache!r}\nt = time.perf_counter()\n{statement}\nprint(time.perf_counter() - t)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(out.stdout.strip()) * 1000


def _process(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(args, capture_output=True, check=False, cwd=ROOT)
    return (time.perf_counter() - t) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as private:
        cache = str(Path(private) / "grammar.lark-cache")
        _timed(WAYS["lark cache"], cache)  # write the pickle once, so the runs below read it warm
        samples: dict[str, list[float]] = {name: [] for name in WAYS}
        cli: list[float] = []
        bare: list[float] = []
        for _ in range(args.runs):  # interleaved, so a busy moment affects every way alike
            for name, statement in WAYS.items():
                samples[name].append(_timed(statement, cache))
            cli.append(_process([sys.executable, "-m", "disclosure_lint", "pack", "check", "cn-final-accounts-2024"]))
            bare.append(_process([sys.executable, "-c", "pass"]))
    medians = {name: statistics.median(v) for name, v in samples.items()}
    base = medians["build"]
    result = {
        "runs": args.runs,
        "parser_ms": {k: round(v, 1) for k, v in medians.items()},
        "ratio_to_build": {k: round(v / base, 3) for k, v in medians.items()},
        "pack_check_process_ms": round(statistics.median(cli), 1),
        "bare_interpreter_ms": round(statistics.median(bare), 1),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"parser ready (median of {args.runs} fresh interpreters):")
    for name, ms in medians.items():
        print(f"  {name:<13} {ms:8.1f} ms   {ms / base:5.2f} × build")
    whole, bare = result["pack_check_process_ms"], result["bare_interpreter_ms"]
    print(f"whole `pack check` process {whole} ms (bare interpreter {bare} ms)")


if __name__ == "__main__":
    main()
