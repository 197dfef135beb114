"""Every amount and percentage stated in 第三部分 情况说明, changed one at a time, is reported at its line.

Amounts (…万元) are raised by 10, percentages by one point. Numbers that are part of a fixed phrase
(单价100万元以上设备) are not claims and are skipped.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from conftest import EXAMPLE

from disclosure_lint import lint

NUMBER = re.compile(r"(?<![\d.])(?<!单价)\d[\d,]*(?:\.\d+)?(?=\s*(?:万元|%|％))")


def claims(text: str):
    lines = text.splitlines(keepends=True)
    start = next(i for i, s in enumerate(lines) if s.startswith("#") and "第三部分 情况说明" in s)
    end = next(i for i, s in enumerate(lines) if s.startswith("#") and "第四部分" in s)
    for i in range(start, end):
        for m in NUMBER.finditer(lines[i]):
            yield i, m


def mutated(text: str, i: int, m: re.Match) -> str:
    lines = text.splitlines(keepends=True)
    raw = m.group(0)
    value = Decimal(raw.replace(",", ""))
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    percent = lines[i][m.end() :].lstrip().startswith(("%", "％"))
    new = value + (Decimal(1) if percent else Decimal(10))
    line = lines[i]
    lines[i] = line[: m.start()] + f"{new:.{decimals}f}" + line[m.end() :]
    return "".join(lines)


@pytest.fixture(scope="module")
def baseline(pack):
    return {(d.rule, d.loc.line, d.message) for d in lint(EXAMPLE, pack).diagnostics}


def test_every_narrative_amount_and_percentage_is_checked(pack, baseline, example_text, tmp_path):
    found = list(claims(example_text))
    assert len(found) > 100
    missed = []
    for i, m in found:
        f = tmp_path / "n.txt"
        f.write_text(mutated(example_text, i, m), encoding="utf-8")
        new = [d for d in lint(f, pack).diagnostics if (d.rule, d.loc.line, d.message) not in baseline]
        if not any(d.loc.line == i + 1 for d in new):
            missed.append(f"line {i + 1}: {m.group(0)}")
    assert missed == []


def test_changed_label_is_reported(pack, example_text, tmp_path):
    f = tmp_path / "label.txt"
    f.write_text(example_text.replace("印刷费0.56万元", "咨询费0.56万元", 1), encoding="utf-8")
    result = lint(f, pack)
    (d,) = [d for d in result.diagnostics if d.rule == "N.ITEM-AMOUNT" and "咨询费" in d.message]
    assert "“印刷费”（30202）" in d.message and d.loc.line == 475


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        ("本年度无此项收支。", "2024年度政府性基金预算财政拨款收入120.00万元，支出120.00万元。", "N.FUND-NONE"),
        ("本年度无此项支出。", "2024年度国有资本经营预算财政拨款支出15.00万元。", "N.STATE-CAPITAL-NONE"),
    ],
    ids=["fund", "state-capital"],
)
def test_table_note_does_not_stand_in_for_the_narrative(pack, example_text, tmp_path, old, new, rule):
    """The empty table's “说明：本表无数据” sits under a heading that names the same budget; only the
    情况说明 itself may say there was none."""
    assert lint(EXAMPLE, pack).outcomes[rule].passed == 1
    f = tmp_path / "none.txt"
    f.write_text(example_text.replace(old, new, 1), encoding="utf-8")
    (d,) = [d for d in lint(f, pack).diagnostics if d.rule == rule]
    assert d.severity == "error"
