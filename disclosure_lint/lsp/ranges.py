"""Source positions -> LSP ranges.

Locations count code points from 1 with an exclusive end; LSP counts from 0 in the code units
the client negotiated (UTF-16 unless it asked for another), so a character outside the BMP such
as 𠀀 is two units wide. Converting needs the text of the line, hence the buffer's ``lines``.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition, ServerTextRange

from ..dsl.parser import token_end
from ..model import Location


def _line_text(lines: Sequence[str], index: int) -> str:
    return lines[index].rstrip("\r\n") if 0 <= index < len(lines) else ""


def span(lines: Sequence[str], codec: PositionCodec, line: int, col: int, end_line: int, end_col: int) -> types.Range:
    """A range given 0-based lines and code-point columns."""
    rng = ServerTextRange(ServerTextPosition(line, col), ServerTextPosition(end_line, end_col))
    return codec.range_to_client_units(lines, rng)


def top_range(lines: Sequence[str], codec: PositionCodec) -> types.Range:
    """The first line: where problems of the whole file are shown."""
    return span(lines, codec, 0, 0, 0, len(_line_text(lines, 0)))


def location_range(loc: Location, lines: Sequence[str], codec: PositionCodec) -> types.Range:
    """The range of a text Location; one without a line (PDF, XLSX, whole file) goes to the top."""
    if loc.line is None:
        return top_range(lines, codec)
    line = loc.line - 1
    if loc.col is None:
        return span(lines, codec, line, 0, line, len(_line_text(lines, line)))
    end_line = (loc.end_line or loc.line) - 1
    end_col = loc.end_col - 1 if loc.end_col is not None else loc.col
    return span(lines, codec, line, loc.col - 1, end_line, end_col)


def token_range(line: int | None, col: int | None, lines: Sequence[str], codec: PositionCodec) -> types.Range:
    """The range of the rule-language token at a 1-based line/col, as errors give only where they start."""
    if line is None:
        return top_range(lines, codec)
    text = _line_text(lines, line - 1)
    start = col or 1
    return span(lines, codec, line - 1, start - 1, line - 1, token_end(text, start) - 1)
