"""``covers``: one defect in a sentence is one finding, whichever rules notice it.

In the Shanghai 编制说明 an item sentence states the 上年执行数, the 本年预算安排 and the change
in words and percent. A wrong figure there breaks N.SH-ITEM-YOY and N.COMPARE-YOY-WORD at once, or
N.SH-ITEM-AMOUNT and N.ITEM-RESTATED at once; the Shanghai rules cover the national ones, so each
such sentence gives one finding with the other attached. A sentence only the covered rule reads
is still reported by it, and the examples and baselines of the covered rule still see its finding.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_definitions import first_error, make_pack

from disclosure_lint import lint

PACK = "cn-budget-2026-shanghai"
ROWS = [
    ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
    ["201", "一般公共服务支出", "4451500.00", "3201500.00", "1250000.00"],
    ["20105", "统计信息事务", "4451500.00", "3201500.00", "1250000.00"],
    ["2010501", "行政运行", "3201500.00", "3201500.00", ""],
    ["2010504", "信息事务", "1250000.00", "", "1250000.00"],
    ["合计", "", "4451500.00", "3201500.00", "1250000.00"],
]
TABLE = "2026年部门一般公共预算支出功能分类预算表\n\n编制部门：上海市普陀区示例局　单位：元\n\n" + "\n".join(
    "\t".join(r) for r in ROWS
)
HEAD = (
    "上海市普陀区示例局2026年区级部门预算\n\n" + TABLE + "\n## 2026年部门预算编制说明\n\n财政拨款支出主要内容如下：\n\n"
)
# 3310.00 for 310.00: the amounts contradict 增加, and the percent with them.
WRONG_BASE = (
    "1、一般公共服务支出（201类）统计信息事务（05款）行政运行（01项）320.15万元。主要用于：行政单位的基本支出。"
    "2025年当年预算执行数为3310.00万元，2026年预算安排320.15万元，比2025年预算执行数增加3.27%。主要原因是：人员变动。"
)
# 152.00 for 125.00: the item's two amounts differ, and the second is not the table's.
WRONG_RESTATED = (
    "2、一般公共服务支出（201类）统计信息事务（05款）信息事务（04项）125.00万元。主要用于：统计信息化建设。"
    "2025年当年预算执行数为120.00万元，2026年预算安排152.00万元，比2025年预算执行数增加26.67%。主要原因是：项目增加。"
)
# A wording N.SH-ITEM-YOY does not read (较……增长): N.COMPARE-YOY-WORD alone reports it.
OTHER_WORDING = (
    "3、一般公共服务支出（201类）统计信息事务（05款）行政运行（01项）320.15万元。主要用于：行政单位的基本支出。"
    "上年预算执行数为3310.00万元，本年预算安排320.15万元，较上年预算执行数增长3.27%。"
)


def _findings(tmp_path: Path, *items: str):
    path = tmp_path / "budget.md"
    path.write_text(HEAD + "\n\n".join(items) + "\n", encoding="utf-8")
    return [d for d in lint(path, PACK).diagnostics if d.rule.startswith("N.")]


def test_a_wrong_base_year_figure_is_one_finding_of_the_percent_rule(tmp_path):
    found = _findings(tmp_path, WRONG_BASE)
    assert [d.rule for d in found] == ["N.SH-ITEM-YOY"]
    (d,) = found
    assert [a.rule for a in d.absorbed] == ["N.COMPARE-YOY-WORD"]
    assert any(r.message.startswith("同一处问题：说明写本年预算比上年执行数“增加”") for r in d.related)


def test_a_restated_amount_is_one_finding_at_the_amount_the_table_contradicts(tmp_path):
    found = _findings(tmp_path, WRONG_RESTATED)
    assert [d.rule for d in found] == ["N.SH-ITEM-AMOUNT"]
    (d,) = found
    assert "152.00万元" in d.message
    assert [a.rule for a in d.absorbed] == ["N.ITEM-RESTATED"]
    assert any("同一科目先写 125.00 万元" in r.message for r in d.related)


def test_a_sentence_only_the_covered_rule_reads_is_still_reported(tmp_path):
    found = _findings(tmp_path, OTHER_WORDING)
    assert [d.rule for d in found] == ["N.COMPARE-YOY-WORD"]
    assert found[0].absorbed == ()


def test_each_sentence_keeps_its_own_finding(tmp_path):
    rules = sorted(d.rule for d in _findings(tmp_path, WRONG_BASE, WRONG_RESTATED, OTHER_WORDING))
    assert rules == ["N.COMPARE-YOY-WORD", "N.SH-ITEM-AMOUNT", "N.SH-ITEM-YOY"]


@pytest.mark.parametrize(
    ("clause", "fragment"),
    [("covers L.NOPE", "covers 中的规则 L.NOPE 不存在"), ("covers L.A", "covers 不能写规则自身")],
)
def test_bad_covers(tmp_path, clause, fragment):
    err = first_error(make_pack(tmp_path / "p", f'rule L.A "t"\n  {clause}\n  assert 1 == 1\n'))
    assert fragment in err.message and err.line == 2
