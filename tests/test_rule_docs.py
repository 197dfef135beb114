"""``disclosure-lint rules`` and ``disclosure-lint rule ID``: listings and explanations from the pack itself."""

from __future__ import annotations

import json

from conftest import PACK_ID
from workflow_support import cli

from disclosure_lint.packs.builtin import BUILTIN_RULES


def test_rules_lists_every_rule_of_the_pack(pack):
    result = cli("rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"{PACK_ID}：{pack.title}（{len(pack.rules)} 条规则）"
    assert [line.split()[0] for line in lines[1:]] == [r.id for r in pack.rules]
    row = next(line for line in lines if line.startswith("T03.ROW-SUM "))
    assert row.split(maxsplit=2)[1:] == ["error", pack.rule("T03.ROW-SUM").rule.title]


def test_rules_json(pack):
    rows = json.loads(cli("rules", "--pack", PACK_ID, "--format", "json").stdout)
    assert [r["id"] for r in rows] == [r.id for r in pack.rules]
    first = rows[0]
    assert set(first) == {"id", "severity", "title", "ref", "file", "line", "status", "since", "replaced_by"}
    assert first["status"] == "stable"
    source = (pack.path / first["file"]).read_text(encoding="utf-8").splitlines()
    assert source[first["line"] - 1].startswith(f"rule {first['id']} ")


def test_rules_markdown_has_one_anchor_per_rule_and_builtin_check(pack):
    text = cli("rules", "--format", "markdown").stdout
    for r in pack.rules:
        assert text.count(f'<a id="{r.id}"></a>') == 1
        assert f"### {r.id} {r.rule.title}" in text
    assert text.count('<a id="E.') == len(BUILTIN_RULES)


def test_rule_explains_title_severity_reference_and_source(pack):
    compiled = pack.rule("T03.ROW-SUM")
    result = cli("rule", "T03.ROW-SUM", "--pack", PACK_ID)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"T03.ROW-SUM  {compiled.rule.title}"
    assert lines[1] == "级别：error（强制性，必须修正）"
    assert f"依据：{compiled.rule.ref}" in lines
    assert f"定义：tables.rules:{compiled.rule.pos.line}" in lines
    assert f"文档：{compiled.help_uri}" in lines
    assert compiled.rule.source.rstrip() in result.stdout


def _example_blocks(files) -> str:
    return "".join(
        f"--- {'通过示例' if f.name.startswith('pass') else '不通过示例'}：{f.name}\n"
        f"{f.read_text(encoding='utf-8').rstrip()}\n\n"
        for f in files
    )


def test_rule_shows_pass_and_fail_examples(pack):
    files = [f for d in pack.example_dirs("T03.ROW-SUM") for f in sorted(d.iterdir())]
    assert {f.name[:4] for f in files} == {"pass", "fail"}
    result = cli("rule", "T03.ROW-SUM", "--pack", PACK_ID)
    assert result.stdout.endswith(_example_blocks(files).rstrip("\n") + "\n")


def test_rule_shows_a_child_packs_examples_first(pack, tmp_path):
    (tmp_path / "pack.yaml").write_text(f"id: local\nkind: 决算\nyears: [2024]\nextends: {PACK_ID}\n", encoding="utf-8")
    examples = tmp_path / "examples" / "T03.ROW-SUM"
    examples.mkdir(parents=True)
    (examples / "pass-local.md").write_text("合计\t10.00\t4.00\t6.00\n", encoding="utf-8")
    (examples / "fail-local.md").write_text("合计\t10.00\t4.00\t7.00\n", encoding="utf-8")
    result = cli("rule", "T03.ROW-SUM", "--pack", str(tmp_path))
    assert result.exit_code == 0
    inherited = [f for d in pack.example_dirs("T03.ROW-SUM") for f in sorted(d.iterdir())]
    expected = _example_blocks([examples / "fail-local.md", examples / "pass-local.md", *inherited])
    assert result.stdout.endswith(expected.rstrip("\n") + "\n")


def test_a_child_example_hides_the_parents_file_of_the_same_name(pack, tmp_path):
    (tmp_path / "pack.yaml").write_text(f"id: local\nkind: 决算\nyears: [2024]\nextends: {PACK_ID}\n", encoding="utf-8")
    examples = tmp_path / "examples" / "T03.ROW-SUM"
    examples.mkdir(parents=True)
    (examples / "fail.md").write_text("合计\t10.00\t4.00\t7.00\n", encoding="utf-8")
    result = cli("rule", "T03.ROW-SUM", "--pack", str(tmp_path))
    parents = [f for d in pack.example_dirs("T03.ROW-SUM") for f in sorted(d.iterdir()) if f.name != "fail.md"]
    assert result.stdout.endswith(_example_blocks([examples / "fail.md", *parents]).rstrip("\n") + "\n")
    assert result.stdout.count("--- 不通过示例：fail.md") == 1


def test_rule_explains_builtin_checks():
    result = cli("rule", "E.UNUSED-SUPPRESSION")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == [
        "E.UNUSED-SUPPRESSION  禁用注释或基线条目没有抑制任何问题",
        "级别：warning（提示性，需要说明）",
    ]
    assert "--prune-baseline" in result.stdout


def test_unknown_rule_is_one_line_exit_2():
    result = cli("rule", "T99.NOPE", "--pack", PACK_ID)
    assert result.exit_code == 2
    assert result.stderr == f"规则包 {PACK_ID} 中没有规则 T99.NOPE\n"
    result = cli("rule", "T99.NOPE")
    assert result.exit_code == 2
    assert result.stderr == "内置规则包中都没有规则 T99.NOPE\n"


def test_rule_is_found_in_any_bundled_pack():
    result = cli("rule", "N.SH-ITEM-PURPOSE")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    # Defined once (in the 2025 Shanghai budget pack) and inherited unchanged by the 2026 one.
    assert lines[0] == "== 规则包：cn-budget-2025-shanghai、cn-budget-2026-shanghai"
    assert lines[1].startswith("N.SH-ITEM-PURPOSE  说明中逐项列出的财政拨款支出写明了主要用途")
    assert lines.count(lines[1]) == 1


def test_rule_defined_differently_lists_each_definition():
    result = cli("rule", "T01.FISCAL-SPLIT")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("规则 T01.FISCAL-SPLIT 在 2 个规则包中的定义不同：\n")
    assert "== 规则包：cn-budget-2025-shanghai\n" in out and "== 规则包：cn-budget-2026-shanghai\n" in out
    # Each definition is shown with its own source: the 2025 and the 2026 row labels.
    assert "收入[一般公共预算资金].预算数" in out and "收入[一般公共预算].预算数" in out


def test_packs_md_documents_every_pack_yaml_key():
    from conftest import ROOT

    from disclosure_lint.packs.manifest import KEYS
    from disclosure_lint.packs.schema import (
        ATTACHMENT_KEYS,
        BLOCK_KEYS,
        COLUMN_KEYS,
        FIELD_KEYS,
        FIELD_TYPE_NAMES,
        TABLE_KEYS,
    )

    text = (ROOT / "docs" / "packs.md").read_text(encoding="utf-8")
    for key in [*KEYS, *TABLE_KEYS, *BLOCK_KEYS, *COLUMN_KEYS, *ATTACHMENT_KEYS, *FIELD_KEYS]:
        assert f"| `{key}` |" in text, key
    for name in FIELD_TYPE_NAMES:
        assert f"`{name}`" in text, name
