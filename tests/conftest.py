"""Shared fixtures: the bundled example report and the 2024 pack."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from disclosure_lint.packs.load import Pack, load_pack

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "yangquan-data-bureau-2024-final.txt"
PACK_ID = "cn-final-accounts-2024"

# The genuine defects of the published example, and their corrections.
FIXES = [
    ("电费0.09万元、电费0.62万元", "水费0.09万元、电费0.62万元"),
    ("其他商品和服务支出10.28万元。。", "其他商品和服务支出10.28万元。"),
    ("按照2023年底全市财政资金管理要求", "按照2024年底全市财政资金管理要求"),
    ("为2023年实施项目提供有效保障", "为2024年实施项目提供有效保障"),
    ("实际在职人员总数 38 人；其中，在编人数 38 人", "实际在职人员总数 36 人；其中，在编人数 36 人"),
    ("实际执行金额(万元)\t\t", "实际执行金额(万元)\t10\t"),
    ("市财政\t\t10\t市财政\t10\t市财政\t\t", "市财政\t\t10\t市财政\t10\t市财政\t10\t"),
    ("方针的方针政策 and 法律法规", "方针政策和法律法规"),
    ("绩效自评评价年度\t\t", "绩效自评评价年度\t2024年\t"),
    ("在满足业务工作的前提下，尽可能节约财政资金\n", "在满足业务工作的前提下，尽可能节约财政资金。\n"),
    (re.compile(r"(?<=[\u4e00-\u9fff]),\s?(?=[\u4e00-\u9fff])"), "，"),
]


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Each test gets its own findings cache, so no test sees results another one stored."""
    monkeypatch.setenv("DISCLOSURE_LINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack(PACK_ID)


@pytest.fixture(scope="session")
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def edited(text: str, edits: list[tuple[str | re.Pattern[str], str]]) -> str:
    """``text`` with each ``old`` replaced once by ``new`` (a pattern: everywhere); every ``old``
    must be there."""
    for old, new in edits:
        if isinstance(old, re.Pattern):
            text, count = old.subn(new, text)
            assert count, old.pattern
            continue
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


@pytest.fixture(scope="session")
def fixed_example(tmp_path_factory, example_text) -> Path:
    """The example with its genuine defects corrected: a realistic report that must be clean."""
    path = tmp_path_factory.mktemp("fixed") / "fixed.txt"
    path.write_text(edited(example_text, FIXES), encoding="utf-8")
    return path


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


@pytest.fixture(scope="session")
def make_pdf(tmp_path_factory, pack):
    """Typeset a text report as a PDF (tests/pdfgen.py), once per session for each variant."""
    from pdfgen import PdfCache

    return PdfCache(tmp_path_factory.mktemp("pdf"), list(pack.specs.values()))


@pytest.fixture(scope="session")
def putuo():
    """The published 普陀区财政局 2024 决算 checked once: its findings and what formatters get."""
    from review_support import PUTUO, check

    return check(PUTUO)
