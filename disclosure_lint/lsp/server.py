"""The language server: diagnostics for reports and rule files, hover and completion in rule files.

Checks run on open and save, and after a quiet period following changes; a newer change cancels a
pending check. Checking runs in one worker thread so the server keeps answering while a report
is linted, and a result is published only if the buffer has not changed in the meantime.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from .. import __version__
from ..errors import PackError
from ..packs.load import load_pack
from ..packs.schema import TableSpec
from ..readers import TEXT_SUFFIXES
from .ranges import top_range
from .reports import SOURCE, report_diagnostics
from .rule_assist import completion_items, hover_markdown
from .rulefiles import RULES_SUFFIX, definition_sources, find_pack_dir, row_keys, rule_diagnostics, schemas_for

CHANGE_DELAY = 0.4
log = logging.getLogger(__name__)


def document_kind(doc: TextDocument) -> str | None:
    """``report`` or ``rules`` by file suffix; other documents are left alone."""
    if not doc.path:
        return None
    suffix = Path(doc.path).suffix.lower()
    if suffix == RULES_SUFFIX:
        return "rules"
    return "report" if suffix in TEXT_SUFFIXES else None


def diagnose(doc: TextDocument, kind: str, text: str) -> list[types.Diagnostic]:
    """Diagnostics for one snapshot of a buffer; an unexpected failure becomes one diagnostic, never a crash."""
    lines = text.splitlines(True)
    path = str(doc.path)
    try:
        if kind == "rules":
            diagnostics = rule_diagnostics(path, text, lines, doc.position_codec)
            pack_dir = find_pack_dir(Path(path))
            if pack_dir is not None:
                # Read the pack's examples and definitions now, off the server thread, for completion.
                row_keys(pack_dir)
                definition_sources(pack_dir)
            return diagnostics
        return report_diagnostics(path, doc.uri, text, lines, doc.position_codec)
    except Exception as exc:
        log.exception("checking %s failed", path)
        return [
            types.Diagnostic(
                range=top_range(lines, doc.position_codec),
                source=SOURCE,
                severity=types.DiagnosticSeverity.Error,
                code="E.INTERNAL",
                message=f"内部错误：{type(exc).__name__}: {exc}",
            )
        ]


class DisclosureServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("disclosure-lint", __version__)
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="disclosure-lint")

    def schedule(self, uri: str, delay: float = 0.0) -> None:
        """Check the document after ``delay`` seconds, replacing any check still waiting for it."""
        self.cancel(uri)
        self.pending[uri] = asyncio.get_running_loop().create_task(self._check(uri, delay))

    def cancel(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()

    async def _check(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        doc = self.workspace.get_text_document(uri)
        kind = document_kind(doc)
        if kind is None:
            return
        version, text = doc.version, doc.source
        diagnostics = await asyncio.get_running_loop().run_in_executor(self.worker, diagnose, doc, kind, text)
        if self.pending.get(uri) is asyncio.current_task():
            del self.pending[uri]
        if uri not in self.workspace.text_documents or self.workspace.get_text_document(uri).version != version:
            return
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics)
        )

    def recheck_reports(self) -> None:
        """Rules changed on disk: forget loaded packs and check the open reports again."""
        self.worker.submit(load_pack.cache_clear)
        self.worker.submit(row_keys.cache_clear)
        self.worker.submit(definition_sources.cache_clear)
        for uri, doc in self.workspace.text_documents.items():
            if document_kind(doc) == "report":
                self.schedule(uri)

    def rule_schemas(self, uri: str) -> tuple[dict[str, TableSpec] | None, TextDocument]:
        """The schemas behind a rule file, for hover and completion; none for other documents."""
        doc = self.workspace.get_text_document(uri)
        if document_kind(doc) != "rules":
            return None, doc
        try:
            return schemas_for(Path(str(doc.path))), doc
        except PackError:
            return None, doc


def make_server() -> DisclosureServer:
    server = DisclosureServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DisclosureServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DisclosureServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, CHANGE_DELAY)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: DisclosureServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.schedule(uri)
        if document_kind(ls.workspace.get_text_document(uri)) == "rules":
            ls.recheck_reports()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DisclosureServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.cancel(uri)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: DisclosureServer, params: types.HoverParams) -> types.Hover | None:
        specs, doc = ls.rule_schemas(params.text_document.uri)
        if specs is None:
            return None
        pos = doc.position_from_client_units(params.position)
        text = hover_markdown(specs, doc.source, pos.line, pos.character)
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["."]))
    def completion(ls: DisclosureServer, params: types.CompletionParams) -> types.CompletionList | None:
        specs, doc = ls.rule_schemas(params.text_document.uri)
        if specs is None:
            return None
        pos = doc.position_from_client_units(params.position)
        pack_dir = find_pack_dir(Path(str(doc.path)))
        keys = row_keys(pack_dir) if pack_dir is not None else {}
        defs = definition_sources(pack_dir) if pack_dir is not None else {}
        items = completion_items(specs, doc.source, pos.line, pos.character, keys, defs)
        lines = doc.source.splitlines(True)
        for item in items:
            if isinstance(item.text_edit, types.TextEdit):
                item.text_edit.range = doc.position_codec.range_to_client_units(lines, item.text_edit.range)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: DisclosureServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        """Quick fix for an unknown column, table, function or block: replace it with the nearest name."""
        actions = []
        for diag in params.context.diagnostics:
            suggestion = diag.data.get("suggestion") if isinstance(diag.data, dict) else None
            if not suggestion or not str(diag.code or "").startswith("P.UNKNOWN-"):
                continue
            edit = types.TextEdit(range=diag.range, new_text=suggestion)
            actions.append(
                types.CodeAction(
                    title=f"改为“{suggestion}”",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    is_preferred=True,
                    edit=types.WorkspaceEdit(changes={params.text_document.uri: [edit]}),
                )
            )
        return actions

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: DisclosureServer, params: None) -> None:
        for uri in list(ls.pending):
            ls.cancel(uri)
        ls.worker.shutdown(wait=False, cancel_futures=True)

    return server


def serve() -> None:
    """Speak LSP over standard input and output until the client says exit."""
    make_server().start_io()
