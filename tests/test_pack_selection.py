"""Which pack checks a report: its kind, region and year from the cover; the nearest year when its own
has no pack (with an E.PACK-FALLBACK note), or a refusal under strict-pack; and the cover read first."""

from __future__ import annotations

import json
from collections import Counter
from xml.etree import ElementTree as ET

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from workflow_support import cli

from disclosure_lint import lint
from disclosure_lint.api import read_report
from disclosure_lint.errors import InputError, PackError
from disclosure_lint.model import Meta
from disclosure_lint.packs.load import select_pack
from disclosure_lint.readers import pdf as pdf_reader

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
SHANGHAI = "上海市普陀区示例局"
NATIONAL = "阳泉市数据局"


def _selected(department: str, year: int, kind: str, **kw) -> str:
    return select_pack(Meta(department=department, year=year, kind=kind), "r.txt", **kw).id


@pytest.mark.parametrize(
    ("department", "year", "kind", "pack"),
    [
        (NATIONAL, 2023, "决算", "cn-final-accounts-2023"),
        (NATIONAL, 2024, "决算", "cn-final-accounts-2024"),
        (NATIONAL, 2025, "决算", "cn-final-accounts-2025"),
        (SHANGHAI, 2024, "决算", "cn-final-accounts-2024-shanghai"),
        (NATIONAL, 2024, "预算", "cn-budget-2026"),
        (NATIONAL, 2025, "预算", "cn-budget-2026"),
        (NATIONAL, 2026, "预算", "cn-budget-2026"),
        (SHANGHAI, 2025, "预算", "cn-budget-2025-shanghai"),
        (SHANGHAI, 2026, "预算", "cn-budget-2026-shanghai"),
    ],
)
def test_a_year_with_a_pack_gets_that_pack(department, year, kind, pack):
    assert _selected(department, year, kind) == pack
    assert _selected(department, year, kind, strict=True) == pack


@pytest.mark.parametrize(
    ("department", "year", "kind", "pack"),
    [
        # the latest earlier year ...
        (NATIONAL, 2026, "决算", "cn-final-accounts-2025"),
        (NATIONAL, 2027, "预算", "cn-budget-2026"),
        (SHANGHAI, 2027, "预算", "cn-budget-2026-shanghai"),
        # ... else the earliest later one
        (NATIONAL, 2022, "决算", "cn-final-accounts-2023"),
        (SHANGHAI, 2024, "预算", "cn-budget-2025-shanghai"),
        # the region before the year: a Shanghai report keeps the Shanghai table numbering
        (SHANGHAI, 2025, "决算", "cn-final-accounts-2024-shanghai"),
        (SHANGHAI, 2023, "决算", "cn-final-accounts-2024-shanghai"),
    ],
)
def test_a_year_without_a_pack_gets_the_nearest_of_its_kind_and_region(department, year, kind, pack):
    assert _selected(department, year, kind) == pack
    with pytest.raises(PackError, match=f"没有适用于 {year} 年度{kind}报告的规则包；最接近的是 {pack}"):
        _selected(department, year, kind, strict=True)


def _child(folder, name: str, extra: str = ""):
    d = folder / name
    d.mkdir()
    (d / "pack.yaml").write_text(f"id: {name}\nextends: cn-final-accounts-2024\n{extra}", encoding="utf-8")
    return d


def test_a_child_pack_without_its_own_years_or_region_is_chosen_only_by_name(tmp_path):
    child = _child(tmp_path, "local-2024", "title: 本地规则\n")
    meta = Meta(department=NATIONAL, year=2024, kind="决算")
    assert select_pack(meta, "r.txt", (tmp_path,)).id == "cn-final-accounts-2024"
    report = tmp_path / "r.txt"
    report.write_text("示例市数据局2024年度部门决算\n\n## 一、收入支出决算总体情况说明\n\n收入总计1.00万元。\n")
    assert lint(report, str(child)).pack.id == "local-2024"


def test_a_child_pack_that_claims_years_of_its_own_is_chosen_for_them(tmp_path):
    _child(tmp_path, "local-2024", "years: [2024]\n")
    meta = Meta(department=NATIONAL, year=2024, kind="决算")
    assert select_pack(meta, "r.txt", (tmp_path,)).id == "local-2024"


def test_a_pack_whose_match_is_not_a_valid_pattern_never_stops_selection(tmp_path):
    _child(tmp_path, "broken-region", 'years: [2024]\nmatch: "数据局("\n')
    meta = Meta(department=NATIONAL, year=2024, kind="决算")
    assert select_pack(meta, "r.txt", (tmp_path,)).id == "cn-final-accounts-2024"


# ------------------------------------------------------------------ the fallback note and strict-pack
@pytest.fixture
def report_2026(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("示例市数据局2026年度部门决算\n\n## 一、收入支出决算总体情况说明\n\n2026年度收入总计1.00万元。\n")
    return path


def test_the_fallback_is_reported_once_as_info_naming_the_pack(report_2026):
    result = lint(report_2026)
    assert result.pack.id == "cn-final-accounts-2025"
    notes = [d for d in result.diagnostics if d.rule == "E.PACK-FALLBACK"]
    assert [(d.severity, d.loc.line) for d in notes] == [("info", 1)]
    assert notes[0].message == (
        "没有适用于 2026 年度决算报告的规则包，已按 2025 年度的规则包 cn-final-accounts-2025 检查；"
        "2026 年度的表样可能与之不同，个别结论请结合当年表样核实"
    )


def test_no_fallback_note_for_a_year_with_its_pack_or_a_pack_given_by_name(report_2026, fixed_example):
    assert not [d for d in lint(fixed_example).diagnostics if d.rule == "E.PACK-FALLBACK"]
    assert not [d for d in lint(report_2026, "cn-final-accounts-2025").diagnostics if d.rule == "E.PACK-FALLBACK"]


def test_strict_pack_refuses_from_the_command_line_and_the_configuration(report_2026, monkeypatch):
    monkeypatch.chdir(report_2026.parent)
    loose = cli("check", report_2026.name, "--format", "json")
    assert "E.PACK-FALLBACK" in [f["rule"] for f in json.loads(loose.stdout)]
    for args in (["--strict-pack"], []):
        if not args:
            (report_2026.parent / "disclosure-lint.toml").write_text("strict-pack = true\n", encoding="utf-8")
        strict = cli("check", report_2026.name, "--format", "json", *args)
        [finding] = json.loads(strict.stdout)
        assert finding["rule"] == "E.INPUT" and finding["pack"] is None
        assert "最接近的是 cn-final-accounts-2025" in finding["message"]
        assert "已设置 strict-pack" in finding["message"]


def test_strict_pack_must_be_true_or_false(report_2026, monkeypatch):
    monkeypatch.chdir(report_2026.parent)
    (report_2026.parent / "disclosure-lint.toml").write_text('strict-pack = "yes"\n', encoding="utf-8")
    result = cli("check", report_2026.name)
    assert result.exit_code == 2
    assert "strict-pack 应为 true 或 false" in result.stderr


# ------------------------------------------------------------------ the pack in every output
def test_every_output_names_the_pack_of_each_file(report_2026, fixed_example, monkeypatch):
    monkeypatch.chdir(report_2026.parent)
    files = [report_2026.name, str(fixed_example)]
    text = cli("check", *files, "--statistics").stdout.splitlines()
    assert text[-1].endswith("；规则包 cn-final-accounts-2025、cn-final-accounts-2024。")
    assert f"  {fixed_example}：未发现问题（规则包 cn-final-accounts-2024）" in text
    assert any(
        line.startswith(f"  {report_2026.name}：") and "（规则包 cn-final-accounts-2025）" in line for line in text
    )
    sarif = json.loads(cli("check", *files, "--format", "sarif").stdout)["runs"][0]
    assert {e["name"] for e in sarif["tool"]["extensions"]} == {"cn-final-accounts-2025", "cn-final-accounts-2024"}
    assert {r["properties"]["pack"] for r in sarif["results"]} == {"cn-final-accounts-2025"}
    suites = ET.fromstring(cli("check", *files, "--format", "junit").stdout.split("\n", 1)[1])
    packs = {s.get("name"): s.find("properties/property[@name='pack']").get("value") for s in suites}
    assert packs == {report_2026.name: "cn-final-accounts-2025", str(fixed_example): "cn-final-accounts-2024"}


# ------------------------------------------------------------------ the cover decides, page 1 only
def _budget_pdf(path, year: int, pages: int = 4):
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 20)
    c.drawString(72, A4[1] - 120, f"上海市普陀区{year}年区级部门预算")
    c.setFont(FONT, 14)
    c.drawString(72, A4[1] - 160, "预算主管部门：上海市普陀区示例局")
    c.showPage()
    for n in range(2, pages + 1):
        c.setFont(FONT, 12)
        c.drawString(72, A4[1] - 100, f"{n}、部门预算编制说明")
        c.drawString(72, A4[1] - 130, f"{year}年，上海市普陀区示例局收入预算{n}.00万元。")
        c.showPage()
    c.save()
    return path


@pytest.fixture
def pages_read(monkeypatch):
    counted: Counter[int] = Counter()
    real = pdf_reader._read_page

    def counting(page, number, path, problems):
        counted[number] += 1
        return real(page, number, path, problems)

    monkeypatch.setattr(pdf_reader, "_read_page", counting)
    return counted


def test_a_refusal_costs_the_cover_page_only(tmp_path, pages_read):
    path = _budget_pdf(tmp_path / "b.pdf", 2030)
    with pytest.raises(InputError, match="没有适用于 2030 年度预算报告的规则包"):
        read_report(path, strict_pack=True)
    assert pages_read == Counter({1: 1})


def test_a_checked_pdf_is_parsed_once_page_by_page(tmp_path, pages_read):
    path = _budget_pdf(tmp_path / "b.pdf", 2025)
    report, pack = read_report(path)
    assert pack.id == "cn-budget-2025-shanghai"
    assert (report.meta.year, report.meta.kind, report.meta.level, report.meta.region) == (
        2025,
        "预算",
        "部门",
        "上海市普陀区",
    )
    assert pages_read == Counter({1: 1, 2: 1, 3: 1, 4: 1})
