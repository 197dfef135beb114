"""Benchmark: PDFs locked with an owner password only (copying or printing restricted).

For each encryption (RC4-40, RC4-128, AES-128, AES-256) of a published corpus PDF, in the same run:
  * ``check``: the whole in-process ``lint`` of the locked copy, against ``lint`` of the plain file
    (the baseline): decrypting once with pikepdf (qpdf) is what the ratio adds;
  * ``pdfminer``: how reading went before, when pdfminer decrypted every object in pure Python:
    pdfplumber's characters and tables of the first ``--pages`` pages of the locked copy, against the
    same pages of the plain file.
Medians over ``--runs``, CPU time (the machine is shared).

Usage: python bench/bench_encrypted.py [--runs N] [--pages N] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "shanghai-putuo-finance-bureau-2024-final.pdf"
sys.path.insert(0, str(ROOT / "tests"))


def cpu_median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def pdfminer_pages(path: Path, pages: int) -> None:
    with pdfplumber.open(path, pages=list(range(1, pages + 1))) as pdf:
        for page in pdf.pages:
            assert page.chars is not None
            page.extract_tables()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from hostile import OWNER_ONLY, owner_locked

    from disclosure_lint.api import lint

    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        lint(CORPUS)  # load the pack once
        plain_check = cpu_median(lambda: lint(CORPUS), args.runs)
        plain_pages = cpu_median(lambda: pdfminer_pages(CORPUS, args.pages), args.runs)
        for method in OWNER_ONLY:
            locked = owner_locked(CORPUS, Path(tmp) / f"{method}.pdf", method)
            check = cpu_median(lambda p=locked: lint(p), args.runs)
            old = cpu_median(lambda p=locked: pdfminer_pages(p, args.pages), 1)
            rows[method] = {
                "check_s": round(check, 2),
                "check_ratio": round(check / plain_check, 2),
                "pdfminer_pages_s": round(old, 2),
                "pdfminer_ratio": round(old / plain_pages, 1),
            }
    result = {
        "file": CORPUS.name,
        "plain_check_s": round(plain_check, 2),
        "plain_pdfminer_pages_s": round(plain_pages, 2),
        "pages": args.pages,
        "locked": rows,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{CORPUS.name}: plain check {plain_check:.2f} s CPU; pdfplumber on {args.pages} pages {plain_pages:.2f} s")
    print("method    check (s)  × plain   pdfminer decrypting (s)  × plain")
    for method, r in rows.items():
        print(
            f"{method:<9} {r['check_s']:8.2f}  {r['check_ratio']:6.2f}   "
            f"{r['pdfminer_pages_s']:14.2f}          {r['pdfminer_ratio']:6.1f}"
        )


if __name__ == "__main__":
    main()
