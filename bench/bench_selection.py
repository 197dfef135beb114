"""Benchmark: what choosing (or refusing) a pack costs for a PDF, against parsing the whole PDF.

For each PDF, measured in the same run with the runs interleaved (so machine load hits both alike):
  * select -- open the file, read its cover (the first page, more only if the cover is not there)
              and choose the pack: all that a refusal under ``strict-pack`` costs, and what a check
              has done before the rest of the file is parsed;
  * parse  -- read the whole PDF into a Document, the work every check does anyway.
Medians over the runs, wall clock; the ratio select / parse is the figure to watch. The pages the
selection parsed are counted too.

Inputs: the published PDFs in tests/corpus (or the files given).
Usage: python bench/bench_selection.py [--runs N] [--json] [PDF ...]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from timing import interleaved_medians

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"


def measure(path: Path, runs: int) -> dict:
    from disclosure_lint.packs.load import select_pack
    from disclosure_lint.readers import open_document, read_document
    from disclosure_lint.recognize.meta import cover_complete, read_cover

    pages: list[int] = []

    def select() -> None:
        with open_document(path) as source:
            meta = read_cover(source.cover(cover_complete))
            select_pack(meta, str(path))
            pages.append(source.pages_read)

    def parse() -> None:
        read_document(path)

    fns = {"select": select, "parse": parse}
    for fn in fns.values():  # warm-up: imports, the packs' pack.yaml files
        fn()
    med = interleaved_medians(fns, runs)
    return {
        "file": path.name,
        "pages_for_selection": max(pages),
        "select_ms": round(med["select"] * 1000, 1),
        "parse_ms": round(med["parse"] * 1000, 1),
        "ratio": round(med["select"] / med["parse"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = [measure(p, args.runs) for p in (args.pdfs or sorted(CORPUS.glob("*.pdf")))]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print(f"{'file':<58} {'pages':>5} {'select':>9} {'parse':>9} {'ratio':>6}")
    for r in rows:
        print(
            f"{r['file']:<58} {r['pages_for_selection']:>5} {r['select_ms']:>7.1f}ms {r['parse_ms']:>7.1f}ms"
            f" {r['ratio']:>6.3f}"
        )


if __name__ == "__main__":
    main()
