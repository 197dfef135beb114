"""Shared fixtures: the bundled example report and the 2024 pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosure_lint.packs import Pack, load_pack

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "yangquan-data-bureau-2024-final.txt"
PACK_ID = "cn-final-accounts-2024"


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack(PACK_ID)


@pytest.fixture(scope="session")
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def make_pdf(tmp_path_factory, pack):
    """Typeset a text report as a PDF (tests/pdfgen.py), once per session for each variant."""
    from pdfgen import PdfCache

    return PdfCache(tmp_path_factory.mktemp("pdf"), list(pack.specs.values()))
