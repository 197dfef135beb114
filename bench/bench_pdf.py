"""Benchmark: checking PDF reports against pdfplumber's own extraction of the same files.

For each PDF, measured in the same run with the runs interleaved (so machine load hits both alike):
  * check      -- our in-process ``lint`` (read + recognize + rules; pack loaded beforehand);
  * pdfplumber -- bare ``extract_text()`` + ``extract_tables()`` over all pages;
  * pdfium mix -- pypdfium2 text of every page + pdfplumber tables on the pages that draw paths:
                  the extraction a reader splitting the work that way could not go below.
Medians over the runs, wall clock and CPU time; the ratio check / pdfplumber is the figure to watch.

Inputs: the published PDFs in tests/corpus and the bundled example typeset as a PDF (tests/pdfgen.py).
Usage: python bench/bench_pdf.py [--runs N] [--json] [PDF ...]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
EXAMPLE = ROOT / "examples" / "yangquan-data-bureau-2024-final.txt"


def bare_pdfplumber(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            page.close()


def pdfium_mix(path: Path) -> None:
    doc = pdfium.PdfDocument(path)
    table_pages = []
    for i in range(len(doc)):
        page = doc[i]
        page.get_textpage().get_text_range()
        if next(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,)), None) is not None:
            table_pages.append(i)
    doc.close()
    with pdfplumber.open(path) as pdf:
        for i in table_pages:
            pdf.pages[i].extract_tables()


def typeset_example(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from pdfgen import build_pdf

    from disclosure_lint.packs.load import load_pack
    from disclosure_lint.readers.text import read_text

    specs = list(load_pack("cn-final-accounts-2024").specs.values())
    return build_pdf(read_text(EXAMPLE), specs, folder / "yangquan-data-bureau-2024-final.pdf")


def measure(path: Path, runs: int) -> dict:
    from disclosure_lint.api import lint
    from disclosure_lint.errors import InputError, PackError

    try:
        pack = lint(path).pack  # also loads the packs once, as a batch run would
    except PackError:
        pack = None  # no pack for this kind/year (the 2026 budget): read and recognize with the 2024 one

    def check() -> None:
        with contextlib.suppress(InputError):
            lint(path, pack or "cn-final-accounts-2024")

    fns = {"check": check, "pdfplumber": lambda: bare_pdfplumber(path), "pdfium_mix": lambda: pdfium_mix(path)}
    wall: dict[str, list[float]] = {k: [] for k in fns}
    cpu: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            w0, c0 = time.perf_counter(), time.process_time()
            fn()
            wall[name].append((time.perf_counter() - w0) * 1000)
            cpu[name].append((time.process_time() - c0) * 1000)
    out = {"file": path.name}
    for name in fns:
        out[f"{name}_ms"] = round(statistics.median(wall[name]), 1)
        out[f"{name}_cpu_ms"] = round(statistics.median(cpu[name]), 1)
    out["ratio"] = round(out["check_ms"] / out["pdfplumber_ms"], 2)
    out["ratio_cpu"] = round(out["check_cpu_ms"] / out["pdfplumber_cpu_ms"], 2)
    out["pdfium_mix_ratio_cpu"] = round(out["pdfium_mix_cpu_ms"] / out["pdfplumber_cpu_ms"], 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("pdfs", nargs="*", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = args.pdfs or [*sorted(CORPUS.glob("*.pdf")), typeset_example(Path(tmp))]
        rows = [measure(p, args.runs) for p in paths]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print(f"{'file':48} {'check':>9} {'pdfplumber':>11} {'ratio':>6} {'cpu ratio':>10} {'pdfium mix':>11}")
    for r in rows:
        print(
            f"{r['file']:48} {r['check_ms']:7.0f}ms {r['pdfplumber_ms']:9.0f}ms {r['ratio']:6.2f} "
            f"{r['ratio_cpu']:10.2f} {r['pdfium_mix_ratio_cpu']:10.2f}x"
        )


if __name__ == "__main__":
    main()
