"""A message's literal text and its ``{expr}`` parts, found without the parser.

The parser reads the parts when it parses a rule file; the type checker splits a message again to
check them, in processes that load rules from the parse cache and never import the parser.
"""

from __future__ import annotations

from . import ast as A


def message_pieces(text: str, pos: A.Pos | None) -> list[tuple[str, tuple[int, int] | None]]:
    """A message split into literal text (place None) and ``{expr}`` sources with the line and column
    they start at; ``ValueError(offset)`` where a ``{`` is not closed."""
    line = pos.line if pos else 1
    col = pos.col if pos else 1
    pieces: list[tuple[str, tuple[int, int] | None]] = []
    i = 0
    while i < len(text):
        start = text.find("{", i)
        if start < 0:
            pieces.append((text[i:], None))
            break
        end = text.find("}", start)
        if end < 0:
            raise ValueError(start)
        if start > i:
            pieces.append((text[i:start], None))
        pieces.append((text[start + 1 : end], (line, col + 2 + start)))
        i = end + 1
    return pieces
