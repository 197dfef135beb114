"""Benchmark: the review outputs (HTML report, ledger, annotated PDF) against the check they present.

For each PDF, in the same run with the runs interleaved: the check itself (``run_check``: read,
recognize, rules), then rendering its findings as the HTML report and as the ledger, and writing the
annotated copy. Medians over the runs; the ratios to the check are the figures to watch, and the
HTML report's size, per finding, is what an inspector mails around.

Inputs: the bundled example typeset as a 31-page PDF (tests/pdfgen.py) with amounts changed so that
it has 20 findings, and the published PDFs in tests/corpus.
Usage: python bench/bench_review.py [--runs N] [--json] [PDF ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from timing import interleaved_medians

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
EXAMPLE = ROOT / "examples" / "yangquan-data-bureau-2024-final.txt"
# Table cells and 情况说明 amounts changed in the example: with its own six defects, 20 findings.
CHANGES = [
    ("合计\t\t4384.83\t524.12\t3860.71\t\t\t", "合计\t\t4384.83\t524.12\t3870.71\t\t\t"),
    ("八、社会保障和就业支出\t39\t99.33", "八、社会保障和就业支出\t39\t99.83"),
    ("30102\t津贴补贴\t49.29", "30102\t津贴补贴\t59.29"),
    ("30101\t基本工资\t139.85", "30101\t基本工资\t129.85"),
    ("印刷费0.56万元", "印刷费0.66万元"),
    ("培训费1.74万元", "培训费1.84万元"),
    ("邮电费0.77万元", "邮电费0.87万元"),
    ("工会经费4.62万元", "工会经费4.72万元"),
    ("福利费7.21万元", "福利费7.31万元"),
    ("差旅费3.59万元", "差旅费3.69万元"),
]


def typeset_example(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from pdfgen import build_pdf

    from disclosure_lint.packs.load import load_pack
    from disclosure_lint.readers.text import parse_text

    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in CHANGES:
        assert old in text, old
        text = text.replace(old, new, 1)
    out = folder / "yangquan-typeset-20-findings.pdf"
    specs = list(load_pack("cn-final-accounts-2024").specs.values())
    return build_pdf(parse_text(text, str(out)), specs, out)


def measure(path: Path, runs: int, folder: Path) -> dict:
    import pypdfium2

    from disclosure_lint.formatters import RenderContext, get
    from disclosure_lint.formatters.summary import note, rule_infos
    from disclosure_lint.pages.annotate import annotate
    from disclosure_lint.runner import CheckOptions, run_check

    def check():
        run = run_check((str(path),), CheckOptions())
        return run, RenderContext(files=1, packs=run.packs, paths=run.files, checked=run.checked)

    run, ctx = check()
    infos = rule_infos(run.diagnostics, ctx)
    outputs: dict[str, str | bytes] = {}

    def render(fmt: str):
        return lambda: outputs.__setitem__(fmt, get(fmt)(run.diagnostics, ctx))

    def annotated() -> None:
        annotate(path, folder / "checked.pdf", run.diagnostics, lambda d: note(d, infos.get(d.rule)))

    fns = {"check": check, "html": render("html"), "ledger": render("xlsx"), "annotate": annotated}
    med = interleaved_medians(fns, runs)
    size = len(outputs["html"].encode("utf-8"))
    doc = pypdfium2.PdfDocument(path)
    pages = len(doc)
    doc.close()
    findings = len(run.diagnostics)
    return {
        "file": path.name,
        "pages": pages,
        "findings": findings,
        "html_bytes": size,
        "html_bytes_per_finding": round(size / findings) if findings else None,
        "ledger_bytes": len(outputs["xlsx"]),
        "seconds": {k: round(v, 3) for k, v in med.items()},
        "ratio_to_check": {k: round(med[k] / med["check"], 2) for k in ("html", "ledger", "annotate")},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("pdfs", nargs="*", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdfs = args.pdfs or [typeset_example(folder), *sorted(CORPUS.glob("*.pdf"))]
        results = [measure(p, args.runs, folder) for p in pdfs]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for r in results:
        s, q = r["seconds"], r["ratio_to_check"]
        print(
            f"{r['file']}: {r['pages']} pages, {r['findings']} findings; HTML {r['html_bytes'] / 1e6:.2f} MB "
            f"({r['html_bytes_per_finding'] or 0} bytes per finding), ledger {r['ledger_bytes'] / 1e3:.0f} kB; "
            f"check {s['check']:.2f} s, html {s['html']:.2f} s (×{q['html']}), ledger {s['ledger']:.3f} s "
            f"(×{q['ledger']}), annotate {s['annotate']:.2f} s (×{q['annotate']})"
        )


if __name__ == "__main__":
    main()
