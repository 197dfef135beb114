"""The same rules give the same diagnostics on the text form and the XLSX form of one report.

Diagnostics are compared by what they are about (rule, table, row, column) and by the amounts
they report, never by location, which is a line in one form and a cell in the other.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE
from xlsx_factory import Layout

from disclosure_lint import lint
from disclosure_lint.cli import main
from disclosure_lint.model import Diagnostic

# (table code line, first field of the row, printed amount, changed amount): each breaks a table identity.
MUTATIONS = [
    ("公开01表", "六、科学技术支出", "3976.12", "3967.12"),
    ("公开03表", "2010504", "224.30", "224.50"),
    ("公开06表", "30101", "139.85", "129.85"),
    ("公开10表", "货物", "7.94", "7.84"),
]
LAYOUTS = {
    "sheet-per-table": Layout(),
    "stacked-without-blank-rows": Layout(stacked=True, blank_between=False),
    "merged": Layout(merged=True),
    "numbers-as-text": Layout(numbers_as_text=True),
}


def mutate(text: str) -> str:
    """Change one printed amount in a row of each table in MUTATIONS (the row after its code line)."""
    lines = text.split("\n")
    for code, first, old, new in MUTATIONS:
        start = lines.index(code)
        i = next(n for n in range(start, len(lines)) if first in lines[n].split("\t")[:4] and old in lines[n])
        assert lines[i].count(old) == 1
        lines[i] = lines[i].replace(old, new)
    return "\n".join(lines)


def facts(diagnostics: list[Diagnostic]) -> set[tuple]:
    return {(d.rule, d.table, d.row, d.column_name, d.actual, d.expected) for d in diagnostics}


@pytest.fixture(scope="module")
def mutated_text(example_text) -> str:
    return mutate(example_text)


@pytest.fixture(scope="module")
def mutated_text_result(pack, mutated_text):
    return lint(EXAMPLE.with_name("mutated.txt"), pack, data=mutated_text.encode("utf-8"))


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_clean_report_same_diagnostics(make_xlsx, pack, layout):
    text = lint(EXAMPLE, pack)
    sheet = lint(make_xlsx(layout).path, pack)
    assert facts(sheet.diagnostics) == facts(text.diagnostics)
    assert {k: (o.passed, o.failed) for k, o in sheet.outcomes.items()} == {
        k: (o.passed, o.failed) for k, o in text.outcomes.items()
    }


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_mutated_report_same_diagnostics(make_xlsx, pack, mutated_text, mutated_text_result, layout):
    text_keys = {(d.rule, d.table, d.row, d.column_name) for d in mutated_text_result.diagnostics}
    assert len({rule for rule, *_ in text_keys}) >= 4
    assert {table for _, table, *_ in text_keys} >= {"公开01表", "公开03表", "公开06表", "公开10表"}
    built = make_xlsx(layout, mutated_text)
    sheet = lint(built.path, pack)
    assert {(d.rule, d.table, d.row, d.column_name) for d in sheet.diagnostics} == text_keys
    assert facts(sheet.diagnostics) == facts(mutated_text_result.diagnostics)
    assert all(d.loc.sheet and d.loc.cell for d in sheet.diagnostics)
    order = [(d.loc.sheet, int(re.sub(r"^[A-Z]+", "", d.loc.cell))) for d in sheet.diagnostics]
    assert order == sorted(order)


def test_check_and_extract_through_the_cli(make_xlsx, mutated_text):
    runner = CliRunner()
    clean = make_xlsx(Layout())
    text = runner.invoke(main, ["check", str(EXAMPLE)])
    result = runner.invoke(main, ["check", str(clean.path)])
    assert result.exit_code == text.exit_code
    rules = [ln.split(" ")[2] for ln in result.output.splitlines() if ln.startswith(str(clean.path))]
    assert sorted(rules) == sorted(ln.split(" ")[2] for ln in text.output.splitlines() if ln.startswith(str(EXAMPLE)))
    assert result.output.splitlines()[-1] == text.output.splitlines()[-1]

    broken = make_xlsx(Layout(), mutated_text)
    result = runner.invoke(main, ["check", str(broken.path)])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if " T03.ROW-SUM " in ln]
    assert lines and all(ln.startswith(f"{broken.path}:公开03表!") for ln in lines)

    result = runner.invoke(main, ["extract", str(clean.path), "--format", "json"])
    assert result.exit_code == 0
    dumped = json.loads(result.output)
    assert dumped["format"] == "xlsx"
    total = dumped["tables"]["公开03表"]["rows"][0]["cells"]["本年支出合计"]
    assert total["location"]["sheet"] == "公开03表" and total["location"]["cell"].startswith("C")


def test_bad_workbook_through_the_cli(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: error E.INPUT 不是有效的 XLSX 文件" in result.output
    result = runner.invoke(main, ["extract", str(bad)])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "不是有效的 XLSX 文件" in result.output


def test_installed_command_reports_formula_and_bad_input(make_xlsx, tmp_path):
    built = make_xlsx(Layout(formula="missing"))
    sheet, coord = built.formula_cell
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(built.path.read_bytes()[:1000])
    run = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "check", str(built.path), str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    assert f"{built.path}:{sheet}!{coord}: error E.FORMULA 公式 =SUM(" in run.stdout
    at_cell = [line for line in run.stdout.splitlines() if line.startswith(f"{built.path}:{sheet}!{coord}:")]
    assert len(at_cell) == 1, "an unreadable cell is reported once, not again by every rule that reads it"
    assert f"{bad}: error E.INPUT " in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    run = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "check", str(built.path)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 1
