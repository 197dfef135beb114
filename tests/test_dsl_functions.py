"""Each language capability evaluated on the real example: references, quantifiers, hierarchy,
aggregates, predicates, patterns. A rule that holds passes; its negation fails."""

from __future__ import annotations

import pytest
from conftest import EXAMPLE, ROOT

from disclosure_lint import lint
from disclosure_lint.packs.load import load_pack

PARENT = ROOT / "rules" / "cn-final-accounts-2024"


def outcome(tmp_path, body: str):
    """Run one ad-hoc rule (in a pack extending the 2024 pack) on the example."""
    d = tmp_path / "p"
    d.mkdir(exist_ok=True)
    (d / "pack.yaml").write_text(
        f"id: t\nkind: 决算\nyears: [2024]\nextends: {PARENT}\nrule_files: [t.rules]\n", encoding="utf-8"
    )
    (d / "t.rules").write_text(f'rule Z.T "测试"\n  severity warning\n{body}\n', encoding="utf-8")
    load_pack.cache_clear()
    result = lint(EXAMPLE, load_pack(str(d)))
    return result.outcomes["Z.T"], [x for x in result.diagnostics if x.rule == "Z.T"]


HOLDS = [
    # cell references by code, name, 行次, column name and 栏次
    "  assert 公开03表[206].本年支出合计 == 3976.12",
    '  assert 公开03表["科学技术支出"].栏次1 == 3976.12',
    "  assert 公开01表.收入[行次27].金额 == 公开01表.支出[本年支出合计].金额",
    # hierarchy
    "  assert level(公开05表[2080505]) == 3 and level(公开05表[20805]) == 2 and level(公开06表[301]) == 1",
    '  assert code(parent(公开05表[2080505])) == "20805" and code(parent(parent(公开05表[2080505]))) == "208"',
    "  assert count(children(公开03表[208])) == 1 and count(children(公开03表[20805])) == 3",
    "  for row r in 公开06表 where level(r) == 2 and not blank(r.决算数)\n  assert exists(parent(r))",
    # aggregates and ranges
    "  assert max(x.小计 for x in 公开05表 where level(x) == 1) == 3976.12",
    "  assert min(x.小计 for x in 公开05表 where level(x) == 1) == 20.09",
    "  assert sum(公开04表.收入[行次1 .. 行次3].金额) == 4384.83",
    "  assert count(x for x in 公开10表 where x.统计数 > 0) == 4",
    # predicates
    "  assert present(公开09表) and empty(公开09表) and not empty(公开03表)",
    "  assert exists(公开03表[201]) and not exists(公开03表[202])",
    '  assert note(公开07表) ~ "本表无数据"',
    # text patterns with typed captures and scopes
    '  match "在编{人数:数量}人" in section "机构设置情况"\n  assert 人数 >= 10',
    '  match "占比{比例}%" in section "支出决算情况说明"\n  assert 比例 < 100',
    "  assert report_year() == 2024",
    '  assert sum(captures("编制{人数:数量}人", "机构设置情况")) == 41',
    # text joined into a key, a column name as a row key, money units
    '  assert 公开03表["20" + "6"].本年支出合计 == 3976.12',
    "  for column c in [事业收入, 其他收入]\n  assert 公开02表[合计].c == 公开01表.收入[c].金额",
    '  assert unit(公开03表[206].本年支出合计) == "万元" and unit(report_year()) == ""',
    '  match "收入总计{金额}万元"\n  assert unit(金额) == "万元"',
    # the report's level; a 科目 found by its 类、款、项 names or code digits, in the first table that has it
    '  assert report_level() == "部门"',
    '  let r = subject(公开05表, "社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出")\n'
    '  assert code(r) == "2080505"',
    '  assert code(subject([公开07表, 公开05表], "208", "05", "05")) == "2080505"',
    '  assert not exists(subject(公开05表, "社会保障和就业支出", "行政运行", "机关事业单位基本养老保险缴费支出"))',
    # the amount after a label at the start of a clause; inside a longer name it does not count
    '  assert sum(amounts_after("科学技术支出", "年初预算…万元，支出决算{决算数}万元", "支出决算具体情况")) == 3976.12',
    '  assert count(amounts_after("财政拨款支出", "年初预算…万元，支出决算{决算数}万元", "支出决算具体情况")) == 0',
    '  match "{类名:科目}（类）{金额}万元" in section "支出决算结构情况"\n'
    '  assert max(amounts_after(类名, "年初预算…万元，支出决算{决算数}万元", "支出决算具体情况")) == 金额',
    # one capture name in two alternatives: whichever wording matched binds it
    '  match "(在编{人数:数量}人|编制{人数:数量}人)" in section "机构设置情况"\n  assert 人数 >= 10',
    # names by level, exact membership, a narrow miss, the pack's titles and the printed ones
    '  assert one_of("科学技术支出", subject_names(公开05表, 1))',
    '  assert not one_of("科学技术支出", subject_names(公开05表, 2))',
    '  assert one_of("住房公积金", subject_names([公开03表, 公开07表], 3))',
    '  assert not one_of("住房公积", subject_names(公开05表, 3))',
    '  assert nearest("住房公基金", subject_names(公开05表, 3)) == "住房公积金"',
    '  assert not exists(nearest("住房公积金", subject_names(公开05表, 3)))',
    '  assert not exists(nearest("行政单位离退休", subject_names(公开05表, 3)))',
    '  assert one_of("国有资本经营预算财政拨款收入支出决算表", table_titles())',
    '  let 所指 = nearest("一般公共预算财政拨款基本支出明细决算表", t.表名 for t in 表格)\n'
    '  assert 所指 == "一般公共预算财政拨款基本支出决算明细表"',
]


@pytest.mark.parametrize("body", HOLDS)
def test_capability_holds(tmp_path, body):
    result, diagnostics = outcome(tmp_path, body)
    assert result.passed >= 1 and result.failed == 0, (result, [d.message for d in diagnostics])


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("  assert 公开03表[206].本年支出合计 == 3976.22", "公开03表[206].本年支出合计 3976.12 ≠ 3976.22"),
        ("  assert count(children(公开03表[20805])) == 2", "≠"),
        ('  match "在编{人数:数量}人" in section "机构设置情况"\n  assert 人数 > 20', "人数 10"),
        ("  for row r in 公开05表 where level(r) == 1\n  assert r.小计 < 100", "公开05表 206 科学技术支出："),
    ],
)
def test_capability_fails_with_the_numbers(tmp_path, body, fragment):
    result, diagnostics = outcome(tmp_path, body)
    assert result.failed >= 1
    assert any(fragment in d.message for d in diagnostics), [d.message for d in diagnostics]


def test_missing_table_is_not_assessable_not_a_violation(tmp_path):
    result, diagnostics = outcome(tmp_path, "  assert 公开03表[299].本年支出合计 == 1")
    assert diagnostics == [] and result.failed == 0
