"""Seeded fuzz run, larger than the property tests (off by default: run it by hand).

Mutates small real reports and feeds them to the public ``lint()``; rule text goes to the parser and
checker. Every case must end in findings or one E.INPUT (a PackError with a position for rule text);
anything else is counted as an internal error and printed. Also reports the slowest case (CPU).

  * pdf:  the seed report typeset as a PDF, bytes flipped / cut off (with and without a mended end) /
          a chunk deleted; and the same on a published corpus PDF (``--corpus``);
  * xlsx: the seed as a workbook, the same damage inside one XML part;
  * text: random bytes, and the seed text with bytes flipped;
  * rules: stretches of the bundled rule files with tokens deleted, repeated, swapped or replaced,
           parsed, checked, compiled and run on the seed report; and random token soup.

Usage: python bench/fuzz.py [--seed N] [--cases N] [--corpus N] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import mutate  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "shanghai-2024-final-accounts-template.pdf"


def damage(rng: random.Random, data: bytes) -> bytes:
    kind = rng.choice(("flip", "truncate", "delete"))
    if kind == "flip":
        return mutate.flip(data, [(rng.randrange(len(data)), rng.randrange(256)) for _ in range(rng.randint(1, 8))])
    if kind == "truncate":
        return mutate.truncate(data, rng.randrange(len(data)), rng.random() < 0.5)
    return mutate.delete(data, rng.randrange(len(data)), rng.randint(1, 4000))


class Tally:
    def __init__(self) -> None:
        self.counts: dict[str, Counter] = {}
        self.slowest: dict[str, float] = {}
        self.internal: list[str] = []

    def run(self, family: str, case) -> None:
        counts = self.counts.setdefault(family, Counter())
        counts["cases"] += 1
        try:
            kind, seconds = case()
        except Exception:
            counts["internal errors"] += 1
            self.internal.append(f"{family}: {traceback.format_exc(limit=3)}")
            return
        counts[kind] += 1
        self.slowest[family] = max(self.slowest.get(family, 0.0), seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20241)
    parser.add_argument("--cases", type=int, default=300, help="cases per family (rules: ten times as many)")
    parser.add_argument("--corpus", type=int, default=30, help="cases on the published corpus PDF")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tally = Tally()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        pdf, xlsx, text = mutate.seed_pdf(Path(tmp)), mutate.seed_xlsx(Path(tmp)), mutate.seed_text().encode("utf-8")
    parts = mutate.xml_parts(xlsx)

    def outcome(name: str, data: bytes):
        result = mutate.check(name, data)
        return result.kind, result.cpu_seconds

    for _ in range(args.cases):
        tally.run("pdf", lambda: outcome("fuzz.pdf", damage(rng, pdf)))
        broken = mutate.mutate_part(xlsx, rng.choice(parts), lambda b: damage(rng, b))
        tally.run("xlsx", lambda: outcome("fuzz.xlsx", broken))  # noqa: B023 - run at once
        tally.run("text", lambda: outcome("fuzz.txt", damage(rng, text)))
        tally.run("text", lambda: outcome("fuzz.txt", rng.randbytes(rng.randint(0, 3000))))
    corpus = CORPUS.read_bytes()
    for _ in range(args.corpus):
        tally.run("corpus pdf", lambda: outcome("fuzz.pdf", damage(rng, corpus)))

    import test_fuzz

    sources = mutate.rule_sources()
    soup = [test_fuzz.TOKENS]

    def rules_case(text: str, pack: Path):
        start = time.process_time()
        return mutate.check_rules(text, pack), time.process_time() - start

    for _ in range(args.cases * 5):
        tally.run("rules", lambda: rules_case(*mutate.rule_mutant(rng, sources, soup[0])))
        words = [rng.choice(soup[0]) for _ in range(rng.randint(0, 60))]
        tally.run("rule soup", lambda: rules_case(test_fuzz._rules_text(words), sources[0][1]))  # noqa: B023

    report = {
        "seed": args.seed,
        "wall_seconds": round(time.monotonic() - started, 1),
        "families": {f: dict(c) for f, c in tally.counts.items()},
        "slowest_cpu_seconds": {f: round(s, 3) for f, s in tally.slowest.items()},
        "internal_errors": len(tally.internal),
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for family, counts in tally.counts.items():
            shown = ", ".join(f"{k} {v}" for k, v in counts.items())
            print(f"{family:<11} {shown}; slowest {tally.slowest.get(family, 0):.3f} s CPU")
        print(f"internal errors: {len(tally.internal)}  ({report['wall_seconds']} s)")
    for trace in tally.internal[:10]:
        print(trace, file=sys.stderr)
    sys.exit(1 if tally.internal else 0)


if __name__ == "__main__":
    main()
