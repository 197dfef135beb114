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
def make_xlsx(tmp_path_factory, example_text):
    """Workbooks built from the example (or a changed copy of its text), once per session per layout."""
    from xlsx_factory import Built, Layout, build_xlsx

    from disclosure_lint.readers.text import parse_text

    root = tmp_path_factory.mktemp("xlsx")
    cache: dict[tuple[Layout, str], Built] = {}

    def make(layout: Layout | None = None, text: str | None = None) -> Built:
        key = (layout or Layout(), text or example_text)
        if key not in cache:
            doc = parse_text(key[1], str(EXAMPLE))
            cache[key] = build_xlsx(doc, root / f"report-{len(cache) + 1}.xlsx", key[0])
        return cache[key]

    return make
