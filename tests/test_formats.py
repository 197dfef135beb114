"""Output formats through the real command line: json contract, json-lines, SARIF (schema-valid), GitHub, JUnit."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from conftest import EXAMPLE, ROOT
from workflow_support import BAD_LINE, cli, write_report

from disclosure_lint.formatters import BINARY_FORMATS, FORMATS, RenderContext, get
from disclosure_lint.formatters.github import annotation
from disclosure_lint.model import Diagnostic, Location, Related
from disclosure_lint.packs.builtin import BUILTIN_RULES

SCHEMA = json.loads((ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
JSON_KEYS = [
    "path",
    "rule",
    "severity",
    "message",
    "line",
    "column",
    "end_line",
    "end_column",
    "page",
    "table",
    "row",
    "column_name",
    "expected",
    "actual",
    "fingerprint",
    "bbox",
    "sheet",
    "cell",
    "related",
    "pack",
]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git work tree holding a broken report under a folder with a space and Chinese in its name."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_report(tmp_path / "阳泉 reports" / "a.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _sarif_errors(doc: dict) -> list[str]:
    return [e.message for e in jsonschema.Draft4Validator(SCHEMA).iter_errors(doc)]


def test_json_keeps_the_documented_contract(repo):
    result = cli("check", "阳泉 reports/a.txt", "--format", "json")
    found = json.loads(result.stdout)
    assert [list(f) for f in found] == [JSON_KEYS] * len(found)
    first = next(f for f in found if f["rule"] == "T03.ROW-SUM")
    assert first | {"message": None, "fingerprint": None, "related": None} == {
        "path": "阳泉 reports/a.txt",
        "rule": "T03.ROW-SUM",
        "severity": "error",
        "message": None,
        "line": BAD_LINE,
        "column": 5,
        "end_line": BAD_LINE,
        "end_column": 12,
        "page": None,
        "table": "公开03表",
        "row": "合计",
        "column_name": "本年支出合计",
        "expected": 4394.83,
        "actual": 4384.83,
        "fingerprint": None,
        "bbox": None,
        "sheet": None,
        "cell": None,
        "related": None,
        "pack": "cn-final-accounts-2024",
    }
    here = {"path": "阳泉 reports/a.txt", "line": BAD_LINE, "end_line": BAD_LINE, "page": None, "bbox": None}
    assert first["related"] == [
        {"message": "基本支出 524.12", **here, "column": 13, "end_column": 19, "sheet": None, "cell": None},
        {"message": "项目支出 3870.71", **here, "column": 20, "end_column": 27, "sheet": None, "cell": None},
    ]


def test_json_lines_is_one_json_object_per_line(repo):
    whole = json.loads(cli("check", "阳泉 reports/a.txt", "--format", "json").stdout)
    lines = cli("check", "阳泉 reports/a.txt", "--format", "json-lines").stdout.splitlines()
    assert [json.loads(line) for line in lines] == whole


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in BINARY_FORMATS])
def test_output_file_holds_exactly_what_stdout_would(repo, fmt):
    printed = cli("check", "阳泉 reports/a.txt", "--format", fmt)
    written = cli("check", "阳泉 reports/a.txt", "--format", fmt, "-o", "out.txt")
    assert (printed.exit_code, written.exit_code) == (1, 1)
    assert written.stdout == ""
    assert (repo / "out.txt").read_text(encoding="utf-8") == printed.stdout
    assert "T03.ROW-SUM" in printed.stdout


def test_sarif_of_the_example_validates_and_links_rule_docs(repo, monkeypatch):
    monkeypatch.chdir(repo / "阳泉 reports")
    result = cli("check", "a.txt", "--format", "sarif")
    doc = json.loads(result.stdout)
    as_json = json.loads(cli("check", "a.txt", "--format", "json").stdout)
    assert _sarif_errors(doc) == []
    assert doc["$schema"].endswith("sarif-schema-2.1.0.json")
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {"T03.ROW-SUM", "E.INPUT", "E.UNUSED-SUPPRESSION"} <= {r["id"] for r in rules}
    for r in rules:
        assert {"id", "shortDescription", "fullDescription", "help", "defaultConfiguration", "helpUri"} <= set(r)
        page, anchor = r["helpUri"].split("/blob/main/", 1)[1].split("#")
        assert f'<a id="{anchor}"></a>' in (ROOT / page).read_text(encoding="utf-8"), r["helpUri"]
    [ext] = run["tool"]["extensions"]
    assert ext["name"] == "cn-final-accounts-2024"
    assert ext["informationUri"].endswith("/docs/rules/cn-final-accounts-2024.md")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.as_uri() + "/"
    assert run["columnKind"] == "unicodeCodePoints"
    results = run["results"]
    assert [r["ruleId"] for r in results] == [f["rule"] for f in as_json]
    first = next(r for r in results if r["ruleId"] == "T03.ROW-SUM")
    assert rules[first["ruleIndex"]]["id"] == "T03.ROW-SUM"
    assert first["level"] == "error"
    physical = first["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "%E9%98%B3%E6%B3%89%20reports/a.txt", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": BAD_LINE, "startColumn": 5, "endLine": BAD_LINE, "endColumn": 12}
    assert first["partialFingerprints"]["disclosureLint/v1"] == next(
        f["fingerprint"] for f in as_json if f["rule"] == "T03.ROW-SUM"
    )
    assert [loc["message"]["text"] for loc in first["relatedLocations"]] == ["基本支出 524.12", "项目支出 3870.71"]
    assert first["properties"]["table"] == "公开03表"


def test_sarif_of_the_example_as_published_validates(pack):
    result = cli("check", str(EXAMPLE), "--format", "sarif")
    doc = json.loads(result.stdout)
    assert _sarif_errors(doc) == []
    assert len(doc["runs"][0]["results"]) == len(json.loads(cli("check", str(EXAMPLE), "--format", "json").stdout))
    assert len(doc["runs"][0]["tool"]["driver"]["rules"]) == len(pack.rules) + len(BUILTIN_RULES)


def test_sarif_for_page_and_sheet_locations_has_no_region(pack):
    diags = [
        Diagnostic(
            "T03.ROW-SUM",
            "error",
            "m",
            Location("r.pdf", page=3, bbox=(1.0, 2.0, 3.0, 4.0)),
            table="公开03表",
            related=[Related("基本支出", Location("r.pdf", page=4))],
            fingerprint="f1",
        ),
        Diagnostic("E.CELL", "warning", "m", Location("r.xlsx", sheet="公开03表", cell="C7"), fingerprint="f2"),
    ]
    doc = json.loads(get("sarif")(diags, RenderContext(files=2, packs=[pack])))
    assert _sarif_errors(doc) == []
    pdf, xlsx = doc["runs"][0]["results"]
    assert "region" not in pdf["locations"][0]["physicalLocation"]
    assert pdf["locations"][0]["properties"] == {"page": 3, "bbox": [1.0, 2.0, 3.0, 4.0]}
    assert pdf["properties"]["page"] == 3
    assert pdf["relatedLocations"][0]["properties"] == {"page": 4}
    assert xlsx["properties"] == {"sheet": "公开03表", "cell": "C7"}
    assert xlsx["level"] == "warning"


def test_github_annotations_are_relative_to_the_repository_root(repo, monkeypatch):
    monkeypatch.chdir(repo / "阳泉 reports")
    result = cli("check", "a.txt", "--format", "github")
    first = next(line for line in result.stdout.splitlines() if "T03.ROW-SUM" in line)
    assert first.startswith(
        f"::error file=阳泉 reports/a.txt,line={BAD_LINE},col=5,endLine={BAD_LINE},endColumn=12,"
        "title=T03.ROW-SUM 支出决算表："
    )
    assert first.endswith(
        "::公开03表 合计：本年支出合计 4384.83 ≠ 基本支出 524.12 + 项目支出 3870.71 = 4394.83（差 -10.00，容差 0.015）"
    )


def test_github_escaping_follows_the_actions_toolkit(repo):
    write_report(repo / "草稿,v1:终.txt")
    lines = cli("check", "草稿,v1:终.txt", "--format", "github").stdout.splitlines()
    assert lines
    assert all(line.split(" ", 1)[1].startswith("file=草稿%2Cv1%3A终.txt,line=") for line in lines)
    d = Diagnostic("N.X", "info", "100%\r\n完成", Location("a.txt", page=2), title="标题: a, b")
    assert annotation(d, RenderContext()) == "::notice file=a.txt,title=N.X 标题%3A a%2C b::第 2 页：100%25%0D%0A完成"


def test_junit_has_a_suite_per_file_and_errors_for_unreadable_files(repo):
    (repo / "disclosure-lint.toml").write_text('select = ["T03."]\n', encoding="utf-8")
    write_report(repo / "clean.txt", broken=False)
    result = cli("check", "阳泉 reports/a.txt", "clean.txt", "missing.txt", "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    assert (root.tag, root.get("tests"), root.get("failures"), root.get("errors")) == ("testsuites", "4", "2", "1")
    suites = {s.get("name"): s for s in root}
    assert list(suites) == ["阳泉 reports/a.txt", "clean.txt", "missing.txt"]
    cases = suites["阳泉 reports/a.txt"].findall("testcase")
    assert [c.find("failure").get("type") for c in cases] == ["T03.ROW-SUM", "T03.TOTAL"]
    assert cases[0].find("failure").text.startswith(f"阳泉 reports/a.txt:{BAD_LINE}:5: error T03.ROW-SUM")
    [clean] = suites["clean.txt"].findall("testcase")
    assert list(clean) == []
    [missing] = suites["missing.txt"].findall("testcase")
    assert missing.find("error").get("message") == "文件不存在"


def test_rule_pages_are_up_to_date(tmp_path):
    """``disclosure-lint pack docs`` regenerates every bundled pack's page; the committed pages are its output."""
    result = cli("pack", "docs", "-o", str(tmp_path))
    assert result.exit_code == 0
    written = sorted(tmp_path.glob("*.md"))
    assert [p.name for p in written] == sorted(p.name for p in (ROOT / "docs" / "rules").glob("*.md"))
    for page in written:
        assert page.read_text(encoding="utf-8") == (ROOT / "docs" / "rules" / page.name).read_text(encoding="utf-8"), (
            f"docs/rules/{page.name} 已过期：运行 disclosure-lint pack docs"
        )
        assert cli("rules", "--pack", page.stem, "--format", "markdown").stdout == page.read_text(encoding="utf-8")


def test_every_bundled_pack_has_a_rule_page():
    packs = {p.parent.name for p in (ROOT / "rules").glob("*/pack.yaml")}
    assert packs
    assert packs == {p.stem for p in (ROOT / "docs" / "rules").glob("*.md")}


def test_sarif_help_uri_points_into_the_pack_page(pack):
    assert all(
        Path(r.help_uri.split("#")[0]).name == f"{pack.id}.md" and r.help_uri.endswith(f"#{r.id}") for r in pack.rules
    )
