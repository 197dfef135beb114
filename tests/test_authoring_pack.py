"""A regional pack built the way an author builds one, in a temporary folder.

It extends the national 2024 pack, uses a shared definition (its own and the parent's), partially
overrides one inherited rule, adds a percentage field to an attachment, and adds a rule with pass,
fail and not-applicable examples that pin their results. ``pack test`` passes on it and a report is
checked with it. Then each way of breaking it gives one line at the right ``file:line:col``, and a
pack broken in all those ways at once reports every error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLE, PACK_ID
from workflow_support import run_here, run_module

from disclosure_lint import lint
from disclosure_lint.packs.load import load_pack

PACK_YAML = f"""id: 示例区决算规则包
title: 示例区部门决算公开规则包
kind: 决算
years: [2024]
extends: {PACK_ID}
rule_files: [示例区.rules]
attachments:
  项目支出绩效自评表:
    fields:
      执行率: {{label: 项目执行情况, pattern: "预算执行率{{值:比例}}%", type: 比例}}
"""

RULES = """define 百分比(部分, 整体) = 部分 / 整体 * 100

rule A.RATE "项目支出绩效自评表：预算执行率 = 实际执行金额 ÷ 实际到位金额"
  severity error
  for row p in 项目支出绩效自评表
  assert p.执行率 == 百分比(p.执行金额, p.到位金额)
  at p.执行率
  message "“{p.项目名称}”的预算执行率 {p.执行率}% 应为 {expected}%"

override N.ITEM-AMOUNT
  severity warning
  message "说明中“{m.label}”的金额 {m.金额} 万元与公开06表不一致"

rule N.LOCAL-YOY "说明中的增加额不超过本年金额"
  severity warning
  match "支出决算{本年}万元，较上年增加{变动额}万元"
  when 提到(段落, 本年)
  assert 变动额 <= 本年
"""

FORM = """示例区数据局2024年度部门决算

## 第五部分 附件

示例区项目支出绩效自评表

| 项目名称 |  | 专业人员聘用补贴 |  |  |  |
| 项目预算金额（万元） | 40.2 | 实际到位金额（万元） | 39.18 | 实际执行金额（万元） | 24.98 |
| 项目执行情况（10分） | {执行情况} |  |  |  |  |
| 总 分 92分 |  |  |  |  |  |
"""

NARRATIVE = """示例区数据局2024年度部门决算

## 五、一般公共预算财政拨款支出决算情况说明

### （三）一般公共预算财政拨款支出决算具体情况

一般公共服务支出决算250.21万元，较上年增加{变动额}万元，主要原因是人员增加。
"""

EXAMPLES = {
    "A.RATE/pass.md": "# 通过：63.76% = 24.98 ÷ 39.18\n\n" + FORM.format(执行情况="预算执行率63.76%，自评得分7分。"),
    "A.RATE/fail.md": "# 不通过：73.76% 与 24.98 ÷ 39.18 不符\n"
    "<!-- expect: [{rule: A.RATE, line: 12, message: [73.76%, 应为 63.76%]}] -->\n\n"
    + FORM.format(执行情况="预算执行率73.76%，自评得分7分。"),
    "A.RATE/na.md": "# 不适用：只有得分，没有预算执行率\n<!-- expect: {reason: 未找到“执行率”} -->\n\n"
    + FORM.format(执行情况="10"),
    "N.LOCAL-YOY/pass.md": "# 通过\n\n" + NARRATIVE.format(变动额="10.35"),
    "N.LOCAL-YOY/fail.md": "# 不通过：增加额大于本年金额\n<!-- expect: {line: 10, col: 25} -->\n\n"
    + NARRATIVE.format(变动额="260.35"),
}


def build(folder: Path, pack_yaml: str = PACK_YAML, rules: str = RULES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(pack_yaml, encoding="utf-8")
    (folder / "示例区.rules").write_text(rules, encoding="utf-8")
    for name, text in EXAMPLES.items():
        path = folder / "examples" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("good") / "示例区")


def test_pack_test_passes_with_pinned_pass_fail_and_na_examples(good):
    proc = run_module("pack", "test", str(good))
    assert proc.returncode == 0, proc.stdout
    lines = proc.stdout.splitlines()
    mine = [x for x in lines if x.split()[1] in ("A.RATE", "N.LOCAL-YOY")]
    assert mine == [
        "通过  A.RATE                   fail.md: 报告 1 处，与预期一致",
        "通过  A.RATE                   na.md: 不适用（项目支出绩效自评表“专业人员聘用补贴”中未找到“执行率”）",
        "通过  A.RATE                   pass.md: 通过 1 处检查",
        "通过  N.LOCAL-YOY              fail.md: 报告 1 处，与预期一致",
        "通过  N.LOCAL-YOY              pass.md: 通过 1 处检查",
    ]
    inherited = [x for x in lines if x.split()[1] == "N.ITEM-AMOUNT"]
    assert inherited and all(x.startswith("通过") for x in inherited)
    assert "本规则包的不通过示例 2 个，其中 2 个写明了预期的规则与位置（100%）" in proc.stdout


def test_a_report_checked_with_the_pack(good):
    pack = load_pack(str(good))
    result = lint(EXAMPLE, pack)
    assert result.outcomes["A.RATE"].passed == 1 and result.outcomes["A.RATE"].failed == 0
    rates = [r for r in result.report.tables["项目支出绩效自评表"].rows if "执行率" in r.cells]
    assert [r.key for r in rates] == ["专业人员聘用补贴"]
    (item,) = [d for d in result.diagnostics if d.rule == "N.ITEM-AMOUNT"]
    assert item.severity == "warning" and item.message == "说明中“电费”的金额 0.09 万元与公开06表不一致"
    national = {(d.rule, d.loc.line) for d in lint(EXAMPLE, PACK_ID).diagnostics}
    assert {(d.rule, d.loc.line) for d in result.diagnostics} == national


def _line(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of ``needle`` in ``text``."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


# (what changes, file, old, new, where the error must point, a fragment of its message)
BREAKS = [
    ("pattern misspelt", "pack.yaml", "pattern:", "patern:", "patern", "是否应为“pattern”"),
    ("unknown field type", "pack.yaml", "type: 比例", "type: 比率", "比率", "金额/比例/得分/数量/文本"),
    (
        "unknown parent",
        "pack.yaml",
        f"extends: {PACK_ID}",
        "extends: cn-final-acounts-2024",
        "cn-final-acounts",
        "是否应为",
    ),
    (
        "unknown attachment",
        "pack.yaml",
        "  项目支出绩效自评表:",
        "  项目支出绩效自评:",
        "项目支出绩效自评:",
        "是否应为“项目支出绩效自评表”",
    ),
    ("non-text help_uri", "pack.yaml", "title:", "help_uri: 3\ntitle:", "3", "help_uri 应为文字"),
    ("unknown column", "示例区.rules", "p.执行率 ==", "p.执行律 ==", "执行律", "是否应为“执行率”"),
    ("unknown definition", "示例区.rules", "百分比(p.", "百分币(p.", "百分币", "是否应为“百分比”"),
    (
        "unknown override",
        "示例区.rules",
        "override N.ITEM-AMOUNT",
        "override N.ITEM-AMOUT",
        "override",
        "是否应为“N.ITEM-AMOUNT”",
    ),
    ("bad severity", "示例区.rules", "severity warning\n  message", "severity warnin\n  message", "warnin", "严重级别"),
    (
        "duplicate id",
        "示例区.rules",
        'rule N.LOCAL-YOY "',
        'rule A.RATE "',
        'rule A.RATE "说明',
        "重复定义（首次定义于 示例区.rules:3:1）",
    ),
]


@pytest.mark.parametrize(("what", "file", "old", "new", "at", "fragment"), BREAKS, ids=[b[0] for b in BREAKS])
def test_each_broken_variant_gives_one_located_line(tmp_path, what, file, old, new, at, fragment):
    texts = {"pack.yaml": PACK_YAML, "示例区.rules": RULES}
    assert old in texts[file], what
    texts[file] = texts[file].replace(old, new, 1)
    folder = build(tmp_path / "示例区", texts["pack.yaml"], texts["示例区.rules"])
    proc = run_here("pack", "check", str(folder))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    (line,) = proc.stderr.splitlines()
    row, col = _line(texts[file], at)
    assert line.startswith(f"{folder / file}:{row}:{col}: "), line
    assert fragment in line


def test_rules_saved_as_gbk_give_one_located_line(tmp_path):
    folder = build(tmp_path / "示例区")
    (folder / "示例区.rules").write_bytes(RULES.encode("gbk"))
    proc = run_here("pack", "check", str(folder))
    assert proc.returncode == 2
    (line,) = proc.stderr.splitlines()
    assert line.startswith(f"{folder / '示例区.rules'}:1:8: ") and "UTF-8" in line


def test_every_error_of_a_pack_broken_many_ways_is_reported(tmp_path):
    pack_yaml = PACK_YAML.replace("pattern:", "patern:").replace("title:", "help_uri: 3\ntitle:")
    rules = RULES.replace("p.执行率 ==", "p.执行律 ==").replace("override N.ITEM-AMOUNT", "override N.ITEM-AMOUT")
    rules = rules.replace("assert 变动额 <= 本年", "assert 变动额 <= 本年度")
    folder = build(tmp_path / "示例区", pack_yaml, rules)
    proc = run_here("pack", "check", str(folder))
    assert proc.returncode == 2
    got = [line.split(": ", 1)[0] for line in proc.stderr.splitlines()]
    expected = [
        (folder / "pack.yaml", *_line(pack_yaml, "3\n")),
        (folder / "pack.yaml", *_line(pack_yaml, "patern")),
        (folder / "示例区.rules", *_line(rules, "执行律")),
        (folder / "示例区.rules", *_line(rules, "override")),
        (folder / "示例区.rules", *_line(rules, "本年度")),
    ]
    assert got == [f"{path}:{row}:{col}" for path, row, col in expected]
