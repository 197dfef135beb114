"""The language server, driven over stdio as an editor drives it (pytest-lsp starts the real process)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from conftest import EXAMPLE, PACK_ID
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from disclosure_lint import lint
from disclosure_lint.dsl.check import FUNCTIONS, SEVERITIES
from disclosure_lint.errors import LintError
from disclosure_lint.packs.locate import resolve_pack_path

pytestmark = pytest.mark.asyncio(loop_scope="module")

ROW = "2010504\t信息事务\t249.28\t224.30"
BAD_ROW = "2010504\t信息𠀀事务\t249.28\t224.40"  # 𠀀 lies outside the BMP: two UTF-16 code units


class RecordingClient(LanguageClient):
    """Keeps every publishDiagnostics notification, so a test can tell which buffer version each was for."""

    def __init__(self) -> None:
        super().__init__(converter_factory=default_converter)
        self.published: list[types.PublishDiagnosticsParams] = []


def _record(client: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
    client.published.append(params)
    client.diagnostics[params.uri] = params.diagnostics


def _make_client() -> RecordingClient:
    client = RecordingClient()
    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _record})
    return client


@pytest_lsp.fixture(
    config=ClientServerConfig(
        server_command=[sys.executable, "-m", "disclosure_lint", "server"], client_factory=_make_client
    ),
    scope="module",
)
async def client(lsp_client: RecordingClient):
    result = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
    )
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf16
    yield
    await lsp_client.shutdown_session()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("lsp")


@pytest.fixture(scope="module")
def pack_dir(workdir: Path) -> Path:
    """A rule author's pack folder: the bundled pack.yaml, with rule files being written next to it."""
    folder = workdir / "mypack"
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        (resolve_pack_path(PACK_ID) / "pack.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return folder


async def published(
    client: RecordingClient, uri: str, since: int, version: int | None = None, timeout: float = 15.0
) -> types.PublishDiagnosticsParams:
    """The first diagnostics published for ``uri`` (and ``version``) after notification number ``since``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        for params in client.published[since:]:
            if params.uri == uri and (version is None or params.version == version):
                return params
        await asyncio.sleep(0.01)
    raise AssertionError(f"no diagnostics published for {uri} version {version}")


def open_doc(client: RecordingClient, path: Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="plaintext", version=version, text=text)
        )
    )
    return uri


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def cell_range(line_no: int, line: str, cell: str) -> types.Range:
    """Where an editor shows ``cell`` of ``line``: 0-based line, UTF-16 columns, end exclusive."""
    start = line.index(cell)
    return types.Range(
        start=types.Position(line=line_no, character=utf16(line[:start])),
        end=types.Position(line=line_no, character=utf16(line[: start + len(cell)])),
    )


def find(diagnostics, code: str) -> types.Diagnostic:
    matches = [d for d in diagnostics if d.code == code]
    assert len(matches) == 1, [(d.code, d.message) for d in diagnostics]
    return matches[0]


async def test_report_table_error_has_code_exact_range_and_related_cells(client: RecordingClient, workdir: Path):
    text = EXAMPLE.read_text(encoding="utf-8").replace(ROW, BAD_ROW, 1)
    path = workdir / "report-bad.txt"
    since = len(client.published)
    uri = open_doc(client, path, text)
    params = await published(client, uri, since, version=1)

    lines = text.splitlines()
    line_no = next(i for i, line in enumerate(lines) if line.startswith(BAD_ROW))
    line = lines[line_no]
    # One wrong cell, one finding: it points at the changed 基本支出, the row sum and the roll-ups
    # it breaks are its related places.
    diag = find(params.diagnostics, "T03.ROW-SUM")
    assert diag.range == cell_range(line_no, line, "224.40")
    assert diag.range.start.character == line.index("224.40") + 1  # the astral character counts twice
    assert diag.severity == types.DiagnosticSeverity.Error
    assert diag.source == "disclosure-lint"
    expected = next(d for d in lint(path, data=text.encode("utf-8")).diagnostics if d.rule == "T03.ROW-SUM")
    assert diag.message == expected.message
    assert diag.code_description is not None and diag.code_description.href == expected.help_uri
    assert diag.code_description.href.endswith("cn-final-accounts-2024.md#T03.ROW-SUM")
    related = diag.related_information or []
    assert [r.message for r in related] == [r.message for r in expected.related]
    assert [(r.location.uri, r.location.range) for r in related][-2:] == [
        (uri, cell_range(line_no, line, "249.28")),
        (uri, cell_range(line_no, line, "24.98")),
    ]
    assert any(r.message.startswith("因此不平") for r in related)


async def test_change_is_debounced_and_updates_diagnostics(client: RecordingClient, workdir: Path):
    text = EXAMPLE.read_text(encoding="utf-8")
    since = len(client.published)
    uri = open_doc(client, workdir / "report-edit.md", text)
    first = await published(client, uri, since, version=1)
    assert not [d for d in first.diagnostics if d.code == "T03.ROW-SUM"]

    lines = text.splitlines()
    line_no = next(i for i, line in enumerate(lines) if line.startswith(ROW))
    col = lines[line_no].index("224.30")
    since = len(client.published)
    for version, new in ((2, "224.35"), (3, "224.40")):
        if version == 3:
            await asyncio.sleep(0.2)  # typing pace: long enough for an undebounced check to publish
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            start=types.Position(line=line_no, character=col),
                            end=types.Position(line=line_no, character=col + 6),
                        ),
                        text=new,
                    )
                ],
            )
        )
    params = await published(client, uri, since, version=3)
    assert [p.version for p in client.published[since:] if p.uri == uri] == [3]  # version 2 was superseded
    diag = find(params.diagnostics, "T03.ROW-SUM")
    edited = lines[line_no].replace("224.30", "224.40")
    assert diag.range == cell_range(line_no, edited, "224.40")
    assert "224.40" in diag.message


async def test_save_checks_again(client: RecordingClient, workdir: Path):
    path = workdir / "report-save.txt"
    text = EXAMPLE.read_text(encoding="utf-8")
    since = len(client.published)
    uri = open_doc(client, path, text)
    await published(client, uri, since, version=1)
    since = len(client.published)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    params = await published(client, uri, since, version=1)
    assert [d.code for d in params.diagnostics] == [d.rule for d in lint(path, data=text.encode("utf-8")).diagnostics]


async def test_text_that_is_no_report_gets_one_diagnostic_at_the_top(client: RecordingClient, workdir: Path):
    path = workdir / "notes.md"
    text = "# 会议纪要\n\n今天讨论了𠀀项工作安排。\n"
    with pytest.raises(LintError) as raised:
        lint(path, data=text.encode("utf-8"))
    since = len(client.published)
    uri = open_doc(client, path, text)
    params = await published(client, uri, since, version=1)
    assert len(params.diagnostics) == 1
    diag = params.diagnostics[0]
    assert diag.code == "E.INPUT" and diag.message == raised.value.message
    assert diag.range.start == types.Position(line=0, character=0)
    assert diag.range.end.line == 0


RULE_HEAD = 'rule X.MINE "自定义规则"\n  for row r in 公开03表\n'


async def test_rules_syntax_error_at_the_token(client: RecordingClient, pack_dir: Path):
    text = RULE_HEAD + "  assert r.基本支出 == == r.项目支出\n"
    since = len(client.published)
    uri = open_doc(client, pack_dir / "syntax.rules", text)
    params = await published(client, uri, since, version=1)
    assert len(params.diagnostics) == 1
    diag = params.diagnostics[0]
    line = text.splitlines()[2]
    second = line.index("==", line.index("==") + 1)
    assert diag.range == types.Range(
        start=types.Position(line=2, character=utf16(line[:second])),
        end=types.Position(line=2, character=utf16(line[: second + 2])),
    )
    assert diag.severity == types.DiagnosticSeverity.Error and "语法错误" in diag.message


async def test_rules_unknown_columns_each_at_its_token(client: RecordingClient, pack_dir: Path):
    text = (
        RULE_HEAD
        + "  assert r.基本支出 == r.𠀀不存在的列\n\n"
        + RULE_HEAD.replace("X.MINE", "X.OTHER")
        + "  assert r.本年支出合计 >= r.也没有\n"
    )
    since = len(client.published)
    uri = open_doc(client, pack_dir / "columns.rules", text)
    params = await published(client, uri, since, version=1)
    lines = text.splitlines()
    expected = []
    for name in ("𠀀不存在的列", "也没有"):
        line_no = next(i for i, line in enumerate(lines) if name in line)
        expected.append((cell_range(line_no, lines[line_no], name), name))
    got = sorted(((d.range.start.line, d.range.start.character), d) for d in params.diagnostics)
    assert [d.range for _, d in got] == [r for r, _ in expected]
    assert all(name in d.message for (_, d), (_, name) in zip(got, expected, strict=True))


async def test_rule_file_outside_any_pack_gets_syntax_only(client: RecordingClient, workdir: Path):
    loose = workdir / "loose"
    loose.mkdir()
    text = RULE_HEAD + "  assert r.不存在的列 == 1\n"
    since = len(client.published)
    uri = open_doc(client, loose / "loose.rules", text)
    params = await published(client, uri, since, version=1)
    assert [(d.severity, d.range.start.line) for d in params.diagnostics] == [(types.DiagnosticSeverity.Warning, 0)]
    assert "pack.yaml" in params.diagnostics[0].message


def position_of(text: str, needle: str, offset: int = 0) -> types.Position:
    """Client position of ``needle`` (plus ``offset`` characters) in ``text``."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return types.Position(line=line, character=utf16(text[start:index]))


async def test_hover_shows_table_and_column_schema(client: RecordingClient, pack_dir: Path, pack):
    text = RULE_HEAD + "  assert r.基本支出 == 公开03表[合计].项目支出\n"
    uri = open_doc(client, pack_dir / "hover.rules", text)
    spec = pack.specs["公开03表"]

    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position_of(text, "公开03表", 2)
        )
    )
    assert hover is not None
    value = hover.contents.value
    assert spec.title in value and all(a in value for a in spec.aliases)
    for col in spec.blocks[0].columns:
        assert f"| {col.number} | {col.name} |" in value

    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position_of(text, "r.基本支出", 3)
        )
    )
    assert hover is not None
    column = spec.blocks[0].column("基本支出")
    assert f"{spec.code} 栏次 {column.number}" in hover.contents.value
    assert f"| {column.number} | **基本支出** |" in hover.contents.value


async def completion_labels(client: RecordingClient, uri: str, position: types.Position) -> set[str]:
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
    )
    items = result.items if isinstance(result, types.CompletionList) else result or []
    return {i.label for i in items}


async def test_completion_of_columns_blocks_tables_functions(client: RecordingClient, pack_dir: Path, pack):
    text = (
        RULE_HEAD + "  let 总计行 = 公开01表.收入[总计]\n"
        "  assert r. == 公开03表[合计]. + 总计行. + 公开01表. \n  severity \n"
    )
    uri = open_doc(client, pack_dir / "complete.rules", text)
    t03 = set(pack.specs["公开03表"].column_names())
    t01 = pack.specs["公开01表"]

    assert t03 <= await completion_labels(client, uri, position_of(text, "r. ", 2))
    assert t03 <= await completion_labels(client, uri, position_of(text, "[合计]. ", 5))
    assert set(t01.column_names("收入")) <= await completion_labels(client, uri, position_of(text, "总计行. ", 4))
    blocks = {b.name for b in t01.blocks}
    assert blocks <= await completion_labels(client, uri, position_of(text, "公开01表. ", 6))
    assert await completion_labels(client, uri, position_of(text, "severity ", 9)) == set(SEVERITIES)

    everything = await completion_labels(client, uri, types.Position(line=3, character=0))
    assert {s.id for s in pack.specs.values()} <= everything
    assert {s.title for s in pack.specs.values()} <= everything
    assert set(FUNCTIONS) <= everything
    assert {"assert", "for", "rule", "r", "总计行"} <= everything


@pytest.fixture(scope="module")
def child_dir(workdir: Path) -> Path:
    """A pack that extends the national one: its rows are known from the inherited examples."""
    folder = workdir / "child"
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        f"id: child\nkind: 决算\nyears: [2024]\nextends: {PACK_ID}\nrule_files: [child.rules]\n", encoding="utf-8"
    )
    (folder / "child.rules").write_text("", encoding="utf-8")
    return folder


async def completion_items(client: RecordingClient, uri: str, position: types.Position) -> list[types.CompletionItem]:
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
    )
    return result.items if isinstance(result, types.CompletionList) else result or []


async def test_completion_after_a_table_offers_its_rows_and_total_columns(client: RecordingClient, child_dir: Path):
    text = 'rule X.ROWS "行"\n  assert 公开03表. == 1\n'
    uri = open_doc(client, child_dir / "rows.rules", text)
    await published(client, uri, 0, version=1)
    at = position_of(text, "公开03表. ", 6)
    items = {i.label: i for i in await completion_items(client, uri, at)}
    assert {"[合计]", "[201]", "[2010504]", "[合计].本年支出合计"} <= set(items)
    edit = items["[201]"].text_edit
    dot = position_of(text, "公开03表.", 5)
    assert edit.new_text == "[201]" and edit.range == types.Range(start=dot, end=at)
    assert items["[合计]"].sort_text < items["[201]"].sort_text

    text2 = 'rule X.ROWS "行"\n  assert 公开01表.收入. == 1\n'
    uri2 = open_doc(client, child_dir / "rows2.rules", text2)
    labels = {i.label for i in await completion_items(client, uri2, position_of(text2, "收入. ", 3))}
    assert {"[总计]", "[本年收入合计]"} <= labels


async def test_completion_offers_the_packs_definitions(client: RecordingClient, child_dir: Path):
    text = 'rule X.DEF "定义"\n  match "{年份:年度}年"\n  when \n  assert false\n'
    uri = open_doc(client, child_dir / "defs.rules", text)
    items = {i.label: i for i in await completion_items(client, uri, position_of(text, "when ", 5))}
    assert {"比较用语", "在书名号中", "提到"} <= set(items)
    assert "define 提到(文字, 金额)" in items["提到"].documentation.value


async def test_attachment_text_fields_in_completion_and_hover(client: RecordingClient, child_dir: Path, pack):
    text = 'rule X.FORM "表"\n  for row p in 项目支出绩效自评表\n  assert p. == 1\n  message "{p.自评结论}"\n'
    uri = open_doc(client, child_dir / "form.rules", text)
    labels = {i.label for i in await completion_items(client, uri, position_of(text, "p. ", 2))}
    assert {"项目名称", "自评结论", "总分", "执行金额"} <= labels
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position_of(text, "p.自评结论", 3)
        )
    )
    assert (
        hover is not None and "**字段 自评结论**" in hover.contents.value and "标签“自评结论”" in hover.contents.value
    )


async def test_rule_diagnostics_carry_a_code_and_a_quick_fix(client: RecordingClient, child_dir: Path):
    text = RULE_HEAD + "  assert r.本年支出合 == r.基本支出\n"
    since = len(client.published)
    uri = open_doc(client, child_dir / "fix.rules", text)
    params = await published(client, uri, since, version=1)
    (diag,) = params.diagnostics
    assert diag.code == "P.UNKNOWN-COLUMN"
    line = text.splitlines()[2]
    assert diag.range == cell_range(2, line, "本年支出合")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diag.range,
            context=types.CodeActionContext(diagnostics=[diag]),
        )
    )
    (action,) = actions
    assert action.title == "改为“本年支出合计”" and action.kind == types.CodeActionKind.QuickFix
    (edit,) = action.edit.changes[uri]
    assert edit.range == diag.range and edit.new_text == "本年支出合计"


async def test_syntax_errors_carry_a_code(client: RecordingClient, child_dir: Path):
    text = RULE_HEAD + "  assert r.基本支出 == == 1\n"
    since = len(client.published)
    uri = open_doc(client, child_dir / "code.rules", text)
    params = await published(client, uri, since, version=1)
    assert [d.code for d in params.diagnostics] == ["P.SYNTAX"]
