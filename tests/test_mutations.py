"""Every single amount of 公开01–06 changed by ±0.05 is detected at a cell of the broken identity.

A change beyond what rounding can explain is an error. In a sum of many printed terms (the 06
rollups have up to 13) a 0.05 change can stay inside the sound rounding bound; it is then reported
as a tail-discrepancy warning (see engine/interval.py), which is what these tests accept there.
The exhaustive sweep mutates the recognized report in memory (every cell, both directions); a
sample of cells is also mutated in the source text and re-read, so the whole pipeline is covered.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from conftest import EXAMPLE

from disclosure_lint import lint
from disclosure_lint.engine.evaluate import run_rules
from disclosure_lint.engine.views import ReportIndex
from disclosure_lint.readers import read_document
from disclosure_lint.recognize import recognize

TABLES = ("公开01表", "公开02表", "公开03表", "公开04表", "公开05表", "公开06表")
STEP = Decimal("0.05")


@pytest.fixture(scope="module")
def base(pack):
    return recognize(read_document(EXAMPLE), list(pack.specs.values()))


def amount_cells(report):
    """(table, row, column, value) for every amount cell, blanks included (filling a blank is a change too)."""
    for tid in TABLES:
        for row in report.tables[tid].rows:
            for column, value in row.cells.items():
                if value.raw in ("——", "—", "-"):
                    continue
                yield tid, row, column, value


def detected_at(diagnostics, loc) -> bool:
    for d in diagnostics:
        if (d.loc.line, d.loc.col) == (loc.line, loc.col):
            return True
        if any((r.loc.line, r.loc.col) == (loc.line, loc.col) for r in d.related):
            return True
    return False


def test_every_cell_change_is_detected_in_memory(pack, base):
    table_rules = [r for r in pack.rules if r.id.startswith(("T", "X", "S"))]
    missed = []
    count = errors_only = 0
    for tid, row, column, value in list(amount_cells(base)):
        deltas = (STEP,) if value.blank else (STEP, -STEP)
        for delta in deltas:
            new_amount = value.amount + delta
            row.cells[column] = replace(value, amount=new_amount, decimals=2, raw=f"{new_amount:f}", blank=False)
            try:
                diagnostics, _ = run_rules(table_rules, base, ReportIndex(base, pack.specs))
            finally:
                row.cells[column] = value
            count += 1
            errors_only += detected_at([d for d in diagnostics if d.severity == "error"], value.loc)
            if not detected_at(diagnostics, value.loc):
                missed.append(f"{tid} {row.key} {column} {delta:+}")
    assert count > 900
    assert missed == []
    assert errors_only > count * 0.9


def _mutate_text(text: str, loc, new: str) -> str:
    lines = text.splitlines(keepends=True)
    line = lines[loc.line - 1]
    lines[loc.line - 1] = line[: loc.col - 1] + new + line[loc.end_col - 1 :]
    return "".join(lines)


def test_sampled_cell_changes_are_detected_through_the_text(pack, base, example_text, tmp_path):
    cells = [c for c in amount_cells(base) if not c[3].blank]
    sample = cells[::9]
    assert len(sample) >= 20
    for tid, row, column, value in sample:
        mutated = value.amount - STEP
        f = tmp_path / "report.txt"
        f.write_text(_mutate_text(example_text, value.loc, f"{mutated:f}"), encoding="utf-8")
        result = lint(f, pack)
        assert detected_at(result.diagnostics, value.loc), f"{tid} {row.key} {column}: {value.raw} -> {mutated}"


def test_a_change_smaller_than_rounding_is_not_reported(pack, base):
    row = next(r for r in base.tables["公开03表"].rows if r.key == "201")
    value = row.cells["基本支出"]
    changed = value.amount + Decimal("0.01")
    row.cells["基本支出"] = replace(value, amount=changed, raw=str(changed))
    try:
        diagnostics, _ = run_rules(pack.rules, base, ReportIndex(base, pack.specs))
    finally:
        row.cells["基本支出"] = value
    assert [d for d in diagnostics if d.rule == "T03.ROW-SUM"] == []
