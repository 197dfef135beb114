"""Glob patterns of configuration files (``exclude``, ``per-file-ignores``), matched like ``.gitignore``.

A pattern with a ``/`` at its start or in its middle is anchored at the directory of the file that
declared it and matches a path or any folder above it; a pattern without one matches any single path
component. ``*`` and ``?`` stay
within a component, ``**`` crosses components, ``[abc]`` is one of the characters and ``\\`` makes the next one literal;
an unclosed ``[`` or a bad range is a ``ValueError``, never silently a literal. Python's own
``fnmatch`` lets ``*`` cross ``/`` and ``PurePath.match`` has no ``**`` before 3.13, hence this small
translator.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path


def _translate(pattern: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[" and (close := pattern.find("]", i + 2)) != -1:
            body = pattern[i + 1 : close]
            negate = body.startswith("!")
            body = re.escape(body[1:] if negate else body).replace(r"\-", "-")
            out.append(f"[{'^' if negate else ''}{body}]")
            i = close + 1
            continue
        elif ch == "[":
            raise ValueError(f"“[”没有对应的“]”（位置 {i + 1}）")
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


@dataclass(frozen=True)
class Glob:
    """A pattern together with the directory it is relative to."""

    pattern: str
    base: Path
    _regex: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            regex = re.compile(_translate(self.pattern.strip("/")) + r"\Z")
        except re.error:
            raise ValueError("方括号中的字符范围无效") from None
        object.__setattr__(self, "_regex", regex)

    @property
    def anchored(self) -> bool:
        return "/" in self.pattern.rstrip("/")

    def matches(self, path: str | Path) -> bool:
        """True if the file, or a folder holding it, matches (paths outside ``base`` match only unanchored)."""
        absolute = Path(os.path.normpath(Path(path).absolute()))
        try:
            parts = absolute.relative_to(self.base).parts
        except ValueError:
            if self.anchored:
                return False
            parts = absolute.parts[1:]
        if not self.anchored:
            return any(self._regex.match(p) for p in parts)
        return any(self._regex.match("/".join(parts[:n])) for n in range(1, len(parts) + 1))
