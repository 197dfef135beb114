"""Helpers for the review outputs (HTML report, ledger, annotated PDF): one check, every format, and
the headless Chromium that the browser tests drive."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT

from disclosure_lint.formatters import RenderContext, get
from disclosure_lint.model import Diagnostic
from disclosure_lint.runner import CheckOptions, run_check

PUTUO = ROOT / "tests" / "corpus" / "shanghai-putuo-finance-bureau-2024-final.pdf"
# The two known narrative defects of its 情况说明: rule, page, the phrase boxed, the text just before it.
DEFECTS = [
    ("N.FISCAL-TOTAL", 21, "0.3", "支出总计"),
    ("N.GPB-CLASS", 21, "71.73", "占"),
]

CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium as root, offline: without the background-networking flags it keeps trying to reach
# its update and sync servers.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def check(*paths: Path | str) -> tuple[list[Diagnostic], RenderContext]:
    """``disclosure-lint check PATHS`` as the CLI runs it: the findings and what formatters get."""
    run = run_check(tuple(str(p) for p in paths), CheckOptions())
    ctx = RenderContext(files=len(run.files), packs=run.packs(), paths=run.files, checked=run.checked)
    return run.diagnostics, ctx


def chars_at(path: Path, page: int, bbox) -> tuple[str, str]:
    """The characters of a page whose centres lie inside ``bbox``, and those just before it on its line."""
    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[page - 1].chars

    def mid(c: dict) -> tuple[float, float]:
        return (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2

    inside = [c for c in chars if bbox[0] <= mid(c)[0] <= bbox[2] and bbox[1] <= mid(c)[1] <= bbox[3]]
    line = (bbox[1] + bbox[3]) / 2
    before = [c for c in chars if c["x1"] <= bbox[0] + 0.5 and c["top"] - 4 <= line <= c["bottom"] + 4]
    order = sorted(before, key=lambda c: c["x0"])
    return "".join(c["text"] for c in sorted(inside, key=lambda c: c["x0"])), "".join(c["text"] for c in order)


def write(fmt: str, diagnostics: list[Diagnostic], ctx: RenderContext, path: Path) -> Path:
    out = get(fmt)(diagnostics, ctx)
    if isinstance(out, bytes):
        path.write_bytes(out)
    else:
        path.write_text(out, encoding="utf-8")
    return path


def articles(html: str) -> list[str]:
    """The markup of each finding of a report, in order."""
    return re.findall(r'<article class="finding.*?</article>', html, flags=re.S)


@contextlib.contextmanager
def browser() -> Iterator:
    """A headless Debian Chromium under Playwright. Outside CI, a machine without it skips the test;
    CI installs it (.ci/system-packages) and must run it."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/system-packages must install Debian's chromium in CI")
        pytest.skip(f"browser test needs Debian's chromium at {CHROMIUM}; install it with .ci/system-packages")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
