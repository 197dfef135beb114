"""A broken pack is reported at the right ``file:line:col``, with every error in one run, never as an
internal error: pack.yaml keys and values, misspelt names (with what was probably meant), files saved
as GBK, YAML aliases, expressions too deep to walk, duplicate ids."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import PACK_ID
from workflow_support import run_here, run_module

from disclosure_lint.errors import PackError, PackErrors
from disclosure_lint.packs.load import MAX_ERRORS, load_pack

RULE = 'rule L.A "本年支出合计不小于基本支出"\n  for row r in 公开03表\n  assert r.本年支出合计 >= r.基本支出\n'


def make_pack(folder: Path, yaml: str, rules: str = RULE, extends: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    head = f"id: local\nkind: 决算\nyears: [2024]\n{f'extends: {PACK_ID}' if extends else ''}\nrule_files: [a.rules]\n"
    (folder / "pack.yaml").write_text(head + yaml, encoding="utf-8")
    (folder / "a.rules").write_text(rules, encoding="utf-8")
    return folder


def errors_of(folder: Path) -> list[PackError]:
    with pytest.raises(PackError) as exc:
        load_pack(str(folder))
    err = exc.value
    return err.errors if isinstance(err, PackErrors) else [err]


def places(errors: list[PackError]) -> list[tuple[str, int | None, int | None]]:
    return [(Path(e.path or "").name, e.line, e.col) for e in errors]


def test_unknown_rule_in_disable_is_located_and_named(tmp_path):
    folder = make_pack(tmp_path / "p", "disable:\n  - T03.TOTAL\n  - H.TRUNKATED\n")
    (err,) = errors_of(folder)
    assert (Path(err.path).name, err.line, err.col) == ("pack.yaml", 8, 5)
    assert "H.TRUNKATED 不存在" in err.message and "是否应为“H.TRUNCATED”" in err.message


@pytest.mark.parametrize(
    ("yaml", "line", "col", "fragment"),
    [
        ("severity:\n  N.YOY: warnin\n", 7, 10, "级别“warnin”无效"),
        ("help_uri: 3\n", 6, 11, "help_uri 应为文字"),
        ("titel: 某地规则包\n", 6, 1, "未知的键“titel”，是否应为“title”"),
        ("regulations: 财预〔2016〕143号\n", 6, 14, "regulations 应为文字列表"),
        ("match: '(上海'\n", 6, 8, "match 不是有效的正则表达式"),
        (
            "attachments:\n  项目支出绩效自评表:\n    fields:\n      执行率: {label: 预算执行率, patern: '{值}%'}\n",
            9,
            27,
            "未知键“patern”，是否应为“pattern”",
        ),
        (
            "attachments:\n  项目支出绩效自评表:\n    fields:\n      执行率: {label: 预算执行率, type: 比率}\n",
            9,
            33,
            "type 应为 金额/比例/得分/数量/文本/年度 之一",
        ),
        ("tables:\n  公开03表:\n    columns:\n      本年支出合计: {栏次: 一}\n", 9, 20, "栏次应为整数"),
        ("kind: 决算\n", 6, 1, "键“kind”重复（第 2 行已写过）"),
    ],
)
def test_pack_yaml_errors_are_located(tmp_path, yaml, line, col, fragment):
    (err,) = errors_of(make_pack(tmp_path / "p", yaml))
    assert fragment in err.message
    assert (Path(err.path).name, err.line, err.col) == ("pack.yaml", line, col), err.one_line()


def test_a_child_without_its_own_id_is_an_error_at_the_top_of_its_file(tmp_path):
    folder = make_pack(tmp_path / "p", "")
    text = (folder / "pack.yaml").read_text(encoding="utf-8")
    (folder / "pack.yaml").write_text(text.replace("id: local\n", ""), encoding="utf-8")
    (err,) = errors_of(folder)
    assert (Path(err.path).name, err.line, err.col, err.message) == ("pack.yaml", 1, 1, "缺少必需的键 id")


def test_unknown_attachment_is_reported_in_pack_yaml_not_in_a_rule_file(tmp_path):
    yaml = "attachments:\n  项目支出绩效自评:\n    fields:\n      执行率: {label: 预算执行率, type: 比例}\n"
    rules = 'rule L.A "执行率不超过100%"\n  for row p in 项目支出绩效自评表\n  assert p.执行率 <= 100\n'
    (err,) = errors_of(make_pack(tmp_path / "p", yaml, rules))
    assert (Path(err.path).name, err.line, err.col) == ("pack.yaml", 7, 3)
    assert "没有名为“项目支出绩效自评”的附件，是否应为“项目支出绩效自评表”" in err.message


def test_extends_to_an_unknown_pack_names_the_pack_yaml_line(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        "id: local\nkind: 决算\nyears: [2024]\nextends: cn-final-acounts-2024\n", encoding="utf-8"
    )
    (err,) = errors_of(folder)
    assert (Path(err.path).name, err.line, err.col) == ("pack.yaml", 4, 10)
    assert "未知的规则包“cn-final-acounts-2024”，是否应为“cn-final-accounts-2024”" in err.message


@pytest.mark.parametrize(
    ("rules", "line", "col", "fragment", "code"),
    [
        (
            'rule L.A "t"\n  for row r in 公开03表\n  assert r.本年支出合 == 0\n',
            3,
            12,
            "是否应为“本年支出合计”",
            "P.UNKNOWN-COLUMN",
        ),
        ('rule L.A "t"\n  assert 支出决算[合计].本年支出合计 == 0\n', 2, 10, "是否应为“支出决算表”", "P.UNKNOWN-NAME"),
        (
            'rule L.A "t"\n  for row r in 公开03表\n  assert sun(children(r).本年支出合计) == 0\n',
            3,
            10,
            "是否应为“sum”",
            "P.UNKNOWN-FUNCTION",
        ),
    ],
)
def test_misspelt_names_in_rules_say_what_was_meant(tmp_path, rules, line, col, fragment, code):
    (err,) = errors_of(make_pack(tmp_path / "p", "", rules))
    assert fragment in err.message and err.code == code
    assert (Path(err.path).name, err.line, err.col) == ("a.rules", line, col)


def test_every_error_is_reported_in_one_run(tmp_path):
    yaml = "help_uri: 3\ndisable: [H.TRUNKATED]\n"
    rules = (
        'rule L.A "t"\n  for row r in 公开03表\n  assert r.本年支出合 == 0\n\n'
        'rule L.B "t"\n  assert sm(公开03表[合计].本年支出合计) == 0\n\n'
        'rule L.A "t"\n  assert 1 == 1\n'
    )
    errors = errors_of(make_pack(tmp_path / "p", yaml, rules))
    assert places(errors) == [
        ("pack.yaml", 6, 11),
        ("pack.yaml", 7, 11),
        ("a.rules", 3, 12),
        ("a.rules", 6, 10),
        ("a.rules", 8, 1),
    ]
    assert "首次定义于 a.rules:1:1" in errors[-1].message


def test_errors_beyond_the_limit_are_counted_not_lost(tmp_path):
    rules = "".join(f'rule L.R{i} "t"\n  for row r in 公开03表\n  assert r.本年支出合 == 0\n\n' for i in range(60))
    proc = run_here("pack", "check", str(make_pack(tmp_path / "p", "", rules)))
    assert proc.returncode == 2
    *listed, tail = proc.stderr.splitlines()
    assert len(listed) == MAX_ERRORS and all("是否应为“本年支出合计”" in line for line in listed)
    assert listed[-1].startswith(f"{tmp_path / 'p' / 'a.rules'}:{4 * MAX_ERRORS - 1}:12: ")
    assert tail == f"另有 {60 - MAX_ERRORS} 处错误未列出（一次最多列出 {MAX_ERRORS} 处），请先改正以上各处"


def test_cli_prints_every_error_one_line_each_and_exits_2(tmp_path):
    folder = make_pack(tmp_path / "p", "help_uri: 3\ndisable: [H.TRUNKATED]\n")
    proc = run_module("pack", "check", str(folder))
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"{folder / 'pack.yaml'}:6:11",
        f"{folder / 'pack.yaml'}:7:11",
    ]
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr


def test_rules_file_saved_as_gbk(tmp_path):
    folder = make_pack(tmp_path / "p", "")
    (folder / "a.rules").write_bytes(("# 规则\n" + RULE).encode("gbk"))
    proc = run_here("pack", "check", str(folder))
    assert proc.returncode == 2
    assert proc.stderr == f"{folder / 'a.rules'}:1:3: 文件不是 UTF-8 编码（可能保存为 GBK），请用 UTF-8 编码另存\n"


def test_pack_yaml_saved_as_gbk(tmp_path):
    folder = make_pack(tmp_path / "p", "title: 某市规则包\n")
    text = (folder / "pack.yaml").read_text(encoding="utf-8")
    (folder / "pack.yaml").write_bytes(text.encode("gbk"))
    proc = run_here("pack", "check", str(folder))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"{folder / 'pack.yaml'}:2:7: 文件不是 UTF-8 编码")
    assert len(proc.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    "condition",
    [
        " + ".join(["r.基本支出"] * 500) + " == 0",
        " and ".join(["r.基本支出 >= 0"] * 1000),
        "-" * 800 + "r.基本支出 == 0",
    ],
    ids=["500-term-sum", "1000-ands", "800-minus"],
)
def test_expressions_too_deep_are_located_pack_errors(tmp_path, condition):
    rules = f'rule L.A "t"\n  for row r in 公开03表\n  assert {condition}\n'
    proc = run_here("pack", "check", str(make_pack(tmp_path / "p", "", rules)))
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.splitlines()
    assert line.startswith(f"{tmp_path / 'p' / 'a.rules'}:3:") and "嵌套过深" in line


@pytest.mark.parametrize(
    "clause",
    [
        "match " + '"' + "(" * 3000 + "甲" + ")" * 3000 + '"',
        "match regex " + '"' + "(?:" * 3000 + "甲" + ")" * 3000 + '"',
        "match " + '"' + "[" * 3000 + "甲" + "]" * 3000 + '"',
    ],
    ids=["pattern-groups", "regex-groups", "pattern-options"],
)
def test_patterns_nested_too_deep_are_located_pack_errors(tmp_path, clause):
    proc = run_here("pack", "check", str(make_pack(tmp_path / "p", "", f'rule L.A "t"\n  {clause}\n  assert false\n')))
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.splitlines()
    assert line.startswith(f"{tmp_path / 'p' / 'a.rules'}:2:") and "嵌套过深" in line


def test_a_hundred_term_sum_still_loads(tmp_path):
    rules = 'rule L.A "t"\n  for row r in 公开03表\n  assert ' + " + ".join(["r.基本支出"] * 90) + " >= 0\n"
    make_pack(tmp_path / "p", "", rules)
    assert load_pack(str(tmp_path / "p")).rule("L.A") is not None


def test_yaml_alias_bomb_is_refused_at_once(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    folder = make_pack(tmp_path / "p", "\n".join(lines) + "\n")
    started = time.monotonic()
    proc = run_here("pack", "check", str(folder))
    assert time.monotonic() - started < 30
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"{folder / 'pack.yaml'}:7:") and "不能使用别名" in proc.stderr
    assert len(proc.stderr.splitlines()) == 1


def test_deeply_nested_yaml_is_refused(tmp_path):
    folder = make_pack(tmp_path / "p", "description: " + "[" * 5000 + "]" * 5000 + "\n")
    proc = run_here("pack", "check", str(folder))
    assert proc.returncode == 2 and "嵌套超过" in proc.stderr and "内部错误" not in proc.stderr


def test_examples_of_a_rule_that_does_not_exist_and_missing_examples(tmp_path):
    folder = make_pack(tmp_path / "p", "", RULE + '\nrule L.B "t"\n  assert 1 == 1\n')
    (folder / "examples" / "L.C").mkdir(parents=True)
    (folder / "examples" / "L.B").mkdir()
    (folder / "examples" / "L.B" / "pass.md").write_text("# 通过\n", encoding="utf-8")
    proc = run_here("pack", "check", str(folder))
    assert proc.returncode == 1
    errors = proc.stderr.splitlines()
    assert f"{folder / 'examples' / 'L.C'}: 示例目录对应的规则不存在" in errors
    assert f"{folder / 'examples' / 'L.A'}: 规则 L.A 缺少通过示例和不通过示例" in errors
    assert f"{folder / 'examples' / 'L.B'}: 规则 L.B 缺少不通过示例" in errors


def test_bundled_packs_check_clean():
    for folder in sorted((Path(__file__).parent.parent / "rules").glob("*/pack.yaml")):
        proc = run_here("pack", "check", str(folder.parent))
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr == "", proc.stderr
