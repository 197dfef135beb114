"""Report buffers -> LSP diagnostics.

``lint_buffer`` is the server's only call into the linter, so whatever the command line applies to
a file (pack choice, the project configuration, inline suppressions) the editor applies to the buffer
in the same place.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from ..batch.cache import Cache, default_dir, readable_content
from ..batch.jobs import Job, lint_cached
from ..errors import LintError
from ..model import Diagnostic, Location
from ..workflow.config import settings_for
from .ranges import location_range

SOURCE = "disclosure-lint"
SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


def input_problem(path: str, exc: LintError) -> Diagnostic:
    """A buffer that cannot be checked gets one diagnostic: at its place in the buffer, else at the top.

    A broken pack names its own file and line; that place is kept in the message, not put on the report.
    """
    own = exc.path in (None, path)
    loc = Location(path, exc.line, exc.col) if own else Location(path)
    return Diagnostic("E.INPUT", "error", exc.message if own else exc.one_line(), loc)


def lint_buffer(path: str, text: str) -> list[Diagnostic]:
    """Check the editor's text as ``disclosure-lint check`` checks the file, pack chosen the same way.

    A buffer that is the file as saved shares the command line's cache (opening a report already
    checked is instant); unsaved edits are checked afresh and not stored.
    """
    data = text.encode("utf-8")
    try:
        settings = settings_for(path)
        cache = Cache(default_dir(settings)) if readable_content(path) == data else None
        return lint_cached(Job(path, settings, data=data), cache)[0].diagnostics
    except LintError as exc:
        return [input_problem(path, exc)]


def to_lsp(diag: Diagnostic, uri: str, lines: Sequence[str], codec: PositionCodec) -> types.Diagnostic:
    """One finding with its exact range, rule id and help link, and the other cells of its identity
    (always cells of the same report, so they share the buffer's lines)."""
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri, range=location_range(r.loc, lines, codec)),
            message=r.message,
        )
        for r in diag.related
    ]
    return types.Diagnostic(
        range=location_range(diag.loc, lines, codec),
        message=diag.message,
        severity=SEVERITY[diag.severity],
        code=diag.rule,
        code_description=types.CodeDescription(href=diag.help_uri) if diag.help_uri else None,
        source=SOURCE,
        related_information=related or None,
    )


def report_diagnostics(
    path: str, uri: str, text: str, lines: Sequence[str], codec: PositionCodec
) -> list[types.Diagnostic]:
    return [to_lsp(d, uri, lines, codec) for d in lint_buffer(path, text)]
