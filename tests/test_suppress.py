"""Inline suppression comments in text/Markdown reports, and how the text reader keeps comments out of prose."""

from __future__ import annotations

import pytest
from workflow_support import BAD_LINE, check_json, ours, rules_of, write_report

from disclosure_lint import lint
from disclosure_lint.lsp.reports import lint_buffer
from disclosure_lint.readers.text import parse_text
from disclosure_lint.workflow.config import settings_for

NEXT = "<!-- disclosure-lint-disable-next-line {ids} -- 决算口径差异，已书面说明 -->"


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_reader_keeps_comments_out_of_prose_and_tables():
    text = (
        "# 一、部门职责\n正文<!-- 批注 -->继续\n<!-- 整行注释 -->\n"
        "项目\t金额\n<!-- 表内\n多行注释 -->\n合计<!-- x\ty -->\t12.30\n"
    )
    doc = parse_text(text, "r.md")
    _, para, table = doc.blocks
    assert para.text == "正文继续"
    assert para.locate(2, 4).col == 14
    assert [[c.text for c in row] for row in table.rows] == [["项目", "金额"], ["合计", "12.30"]]
    assert table.rows[1][1].loc.col == 16
    assert [(c.text, c.loc.line, c.loc.col, c.loc.end_line, c.loc.end_col) for c in doc.comments] == [
        ("批注", 2, 3, 2, 14),
        ("整行注释", 3, 1, 3, 14),
        ("表内\n多行注释", 5, 1, 6, 9),
        ("x\ty", 7, 3, 7, 15),
    ]
    assert doc.problems == []


def test_unclosed_comment_is_reported_and_hidden():
    doc = parse_text("说明<!-- disclosure-lint-disable-next-line T03.ROW-SUM -- 理由\n下一行\n", "r.md")
    assert [b.text for b in doc.blocks] == ["说明下一行"]
    assert [(p.code, p.loc.line, p.loc.col) for p in doc.problems] == [("E.COMMENT", 1, 3)]
    assert doc.comments == []


def test_disable_next_line_with_reason_suppresses_only_that_rule(here):
    write_report(here / "r.txt", insert={BAD_LINE: NEXT.format(ids="T03.ROW-SUM")})
    _, found = check_json("r.txt")
    assert [(f["rule"], f["line"]) for f in ours(found)] == [("T03.TOTAL", BAD_LINE + 1)]


def test_several_ids_and_prefixes_with_commas(here):
    write_report(here / "r.txt", insert={BAD_LINE: NEXT.format(ids="T03.ROW-SUM, T03.TO")})
    _, found = check_json("r.txt")
    assert ours(found) == []


def test_disable_line_on_the_same_line(here):
    write_report(here / "r.txt")
    lines = (here / "r.txt").read_text(encoding="utf-8").splitlines()
    lines[BAD_LINE - 1] += "<!-- disclosure-lint-disable-line T03. -- 已说明 -->"
    (here / "r.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, found = check_json("r.txt")
    assert ours(found) == []


def test_range_disable_and_enable(here):
    write_report(
        here / "r.txt",
        insert={
            BAD_LINE - 3: "<!-- disclosure-lint-disable T03.ROW-SUM -- 已说明 -->",
            BAD_LINE + 1: "<!-- disclosure-lint-enable T03.ROW-SUM -->",
        },
    )
    _, found = check_json("r.txt")
    assert rules_of(ours(found)) == ["T03.TOTAL"]


def test_range_ended_before_the_finding_does_not_suppress_it(here):
    write_report(
        here / "r.txt",
        insert={
            BAD_LINE - 3: "<!-- disclosure-lint-disable T03.ROW-SUM -- 已说明 -->",
            BAD_LINE - 2: "<!-- disclosure-lint-enable -->",
        },
    )
    _, found = check_json("r.txt")
    assert [(f["rule"], f["line"]) for f in ours(found)] == [
        ("E.UNUSED-SUPPRESSION", BAD_LINE - 3),
        ("T03.ROW-SUM", BAD_LINE + 2),
    ]


def test_range_without_enable_runs_to_the_end(here):
    write_report(here / "r.txt", insert={10: "<!-- disclosure-lint-disable T03. -- 整份报告另有说明 -->"})
    _, found = check_json("r.txt")
    assert ours(found) == []


def test_suppression_without_reason_is_reported_and_not_applied(here):
    write_report(here / "r.txt", insert={BAD_LINE: "<!-- disclosure-lint-disable-next-line T03.ROW-SUM -->"})
    result, found = check_json("r.txt")
    assert [(f["rule"], f["severity"], f["line"]) for f in ours(found)] == [
        ("E.BAD-SUPPRESSION", "error", BAD_LINE),
        ("T03.ROW-SUM", "error", BAD_LINE + 1),
    ]
    assert "缺少理由" in ours(found)[0]["message"]
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("comment", "words"),
    [
        ("<!-- disclosure-lint-disable-next-line -- 理由 -->", "须写明规则编号"),
        ("<!-- disclosure-lint-disable-nextline T03.ROW-SUM -- 理由 -->", "无法识别的禁用注释"),
        ("<!-- disclosure-lint-disable-next-line t03 -- 理由 -->", "不是规则编号"),
        ("<!-- disclosure-lint-enable T03.ROW-SUM -->", "之前没有被 disable"),
    ],
)
def test_malformed_directives_are_reported(here, comment, words):
    write_report(here / "r.txt", broken=False, insert={BAD_LINE: comment})
    (here / "disclosure-lint.toml").write_text('select = ["T03."]\n', encoding="utf-8")
    result, found = check_json("r.txt")
    assert result.exit_code == 1
    assert rules_of(found) == ["E.BAD-SUPPRESSION"]
    assert words in found[0]["message"]
    assert found[0]["line"] == BAD_LINE


def test_unused_suppression_is_a_warning_per_id(here):
    write_report(here / "r.txt", insert={BAD_LINE: NEXT.format(ids="T03.ROW-SUM T01.BALANCE NOPE.X")})
    _, found = check_json("r.txt")
    unused = [f for f in found if f["rule"] == "E.UNUSED-SUPPRESSION"]
    assert [(f["severity"], f["line"]) for f in unused] == [("warning", BAD_LINE)] * 2
    assert "T01.BALANCE 没有抑制任何问题" in unused[0]["message"]
    assert "NOPE.X 不是规则包中的规则编号或前缀" in unused[1]["message"]
    assert unused[0]["fingerprint"] != unused[1]["fingerprint"]


def test_suppression_of_a_rule_the_configuration_ignores_is_unused(here):
    write_report(here / "r.txt", insert={BAD_LINE: NEXT.format(ids="T03.ROW-SUM")})
    (here / "disclosure-lint.toml").write_text('ignore = ["T03.ROW-SUM"]\n', encoding="utf-8")
    _, found = check_json("r.txt")
    assert rules_of(ours(found)) == ["E.UNUSED-SUPPRESSION", "T03.TOTAL"]


def test_suppression_findings_can_be_ignored_by_configuration(here):
    write_report(here / "r.txt", insert={BAD_LINE: NEXT.format(ids="T01.BALANCE")})
    (here / "disclosure-lint.toml").write_text('select = ["T03.TOTAL"]\n', encoding="utf-8")
    _, found = check_json("r.txt")
    assert rules_of(found) == ["E.UNUSED-SUPPRESSION", "T03.TOTAL"]
    (here / "disclosure-lint.toml").write_text('ignore = ["E.UNUSED-SUPPRESSION"]\n', encoding="utf-8")
    _, found = check_json("r.txt")
    # T03.TOTAL fails because of the same wrong cell: it is merged into the T03.ROW-SUM finding.
    assert rules_of(ours(found)) == ["T03.ROW-SUM"]
    assert "另有" in ours(found)[0]["message"]


def test_api_applies_the_same_settings_for_editors(here):
    """The language server calls ``lint`` with the buffer and the file's settings."""
    (here / "disclosure-lint.toml").write_text(
        'select = ["T03."]\n[severity]\n"T03.TOTAL" = "warning"\n', encoding="utf-8"
    )
    buffer = write_report(here / "r.txt", insert={BAD_LINE: NEXT.format(ids="T03.ROW-SUM")}).read_bytes()
    result = lint("unsaved.txt", data=buffer, settings=settings_for("unsaved.txt"))
    assert [(d.rule, d.severity) for d in result.diagnostics] == [("T03.TOTAL", "warning")]
    assert [d.rule for d in result.suppressed] == ["T03.ROW-SUM"]
    assert result.ok


def test_language_server_buffers_get_configuration_and_suppressions(here):
    (here / "disclosure-lint.toml").write_text('select = ["T03."]\n', encoding="utf-8")
    text = write_report(here / "r.txt", insert={BAD_LINE: NEXT.format(ids="T03.TOTAL")}).read_text(encoding="utf-8")
    assert [d.rule for d in lint_buffer(str(here / "r.txt"), text)] == ["T03.ROW-SUM"]
    (here / "disclosure-lint.toml").write_text('select = "T03."\n', encoding="utf-8")
    [problem] = lint_buffer(str(here / "r.txt"), text)
    assert (problem.rule, problem.loc.line) == ("E.INPUT", None)
    assert problem.message.startswith(f"{here / 'disclosure-lint.toml'} (select): ")
