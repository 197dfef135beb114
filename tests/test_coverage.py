"""``disclosure-lint coverage``: every figure of the prose with the rules that checked it, every
table's reading status, every rule's counts; and the per-file figure in ``check --statistics``."""

from __future__ import annotations

import json

from conftest import EXAMPLE, ROOT
from workflow_support import cli

JUSTICE = ROOT / "tests" / "corpus" / "shanghai-putuo-justice-bureau-2026-budget.pdf"


def _coverage(path) -> dict:
    result = cli("coverage", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_lists_numbers_tables_and_rules_of_the_example():
    data = _coverage(EXAMPLE)
    assert {"numbers", "checked", "tables", "rules", "stated"} <= set(data)
    assert data["numbers"] == len(data["stated"]) and data["checked"] == sum(1 for n in data["stated"] if n["rules"])
    assert data["checked"] / data["numbers"] >= 0.9
    first = data["stated"][0]
    assert (first["text"], first["line"], first["rules"]) == ("4,384.83万元", 423, ["N.TOTAL-INCOME"])
    unchecked = [n for n in data["stated"] if not n["rules"]]
    assert unchecked and all(n["line"] for n in unchecked)
    assert {t["id"]: t["status"] for t in data["tables"]}["公开03表"] == "read"
    rules = {r["id"]: r for r in data["rules"]}
    staff = rules["A.STAFF"]
    assert (staff["assessed"], staff["failed"]) == (staff["passed"] + staff["failed"], 1)
    assert rules["T03.ROW-SUM"]["assessed"] > 0 and rules["T03.ROW-SUM"]["failed"] == 0


def test_text_form_names_unchecked_figures():
    result = cli("coverage", str(EXAMPLE))
    assert result.exit_code == 0
    out = result.stdout
    assert out.splitlines()[0].startswith(f"{EXAMPLE}：叙述中的 ")
    assert "无规则核对" in out and "表格读取情况：" in out and "已判断" in out


def test_workbook_and_pdf(make_xlsx):
    book = _coverage(make_xlsx().path)
    assert book["numbers"] == _coverage(EXAMPLE)["numbers"]
    assert book["checked"] / book["numbers"] >= 0.9
    assert all(n["sheet"] for n in book["stated"])
    pdf = _coverage(JUSTICE)
    assert pdf["numbers"] > 50 and all(n["page"] for n in pdf["stated"])
    assert {t["status"] for t in pdf["tables"]} == {"read"}


def test_statistics_give_the_figure_per_file():
    result = cli("check", str(EXAMPLE), "--statistics", "--no-cache")
    line = next(ln for ln in result.stdout.splitlines() if "叙述中的" in ln)
    data = _coverage(EXAMPLE)
    assert f"叙述中的 {data['numbers']} 个数字中有 {data['checked']} 个已核对" in line
