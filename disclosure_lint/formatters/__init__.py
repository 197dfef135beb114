"""Diagnostics -> output. One module per format; each exposes ``render(diagnostics, ctx)`` (text, or bytes for XLSX)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..model import CheckedFile, Diagnostic


@dataclass
class RenderContext:
    """What a formatter may need besides the diagnostics: the files checked, the packs used and the
    repository root that SARIF and GitHub paths are relative to. ``checked`` says, per file, what it
    was recognized as and the pack it was checked with, or why it could not be read (the review
    report and the ledger list it)."""

    files: int = 0
    packs: list = field(default_factory=list)
    root: str | None = None
    paths: list[str] = field(default_factory=list)
    statistics: bool = False
    checked: list[CheckedFile] = field(default_factory=list)

    def pack_of(self, path: str) -> str | None:
        """The id of the pack ``path`` was checked with; None for a file that could not be checked."""
        return next((f.pack for f in self.checked if f.path == path), None)

    def pack_ids(self) -> list[str]:
        """The ids of the packs used, in the order of the files."""
        return list(dict.fromkeys(f.pack for f in self.checked if f.pack is not None))

    def relative(self, path: str) -> str | None:
        """``path`` relative to ``root`` with ``/`` separators, or None when it lies outside the root."""
        root = Path(self.root) if self.root else Path.cwd()
        try:
            return Path(os.path.normpath(Path(path).absolute())).relative_to(root.absolute()).as_posix()
        except ValueError:
            return None


Renderer = Callable[[list[Diagnostic], RenderContext], str | bytes]

# format name -> module in this package
_MODULES = {
    "text": "text",
    "json": "json",
    "json-lines": "jsonlines",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "csv": "csvrows",
    "html": "html",
    "xlsx": "ledger",
}
FORMATS = tuple(_MODULES)
# Formats that describe the rules of the packs used, which are then loaded by the caller.
NEEDS_PACKS = {"sarif", "html", "xlsx"}
BINARY_FORMATS = ("xlsx",)
"""Formats that render bytes and are written to a file (``-o``) only."""


def get(name: str) -> Renderer:
    if name not in _MODULES:
        raise KeyError(name)
    return importlib.import_module(f".{_MODULES[name]}", __name__).render
