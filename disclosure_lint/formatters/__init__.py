"""Diagnostics -> output text. One module per format; each exposes ``render(diagnostics, ctx) -> str``."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Diagnostic


@dataclass
class RenderContext:
    """What a formatter may need besides the diagnostics: the files checked, the packs used (in all
    and per file) and the repository root that SARIF and GitHub paths are relative to."""

    files: int = 0
    packs: list = field(default_factory=list)
    root: str | None = None
    paths: list[str] = field(default_factory=list)
    statistics: bool = False
    file_packs: dict[str, str] = field(default_factory=dict)

    def relative(self, path: str) -> str | None:
        """``path`` relative to ``root`` with ``/`` separators, or None when it lies outside the root."""
        root = Path(self.root) if self.root else Path.cwd()
        try:
            return Path(os.path.normpath(Path(path).absolute())).relative_to(root.absolute()).as_posix()
        except ValueError:
            return None


Renderer = Callable[[list[Diagnostic], RenderContext], str]

# format name -> module in this package
_MODULES = {
    "text": "text",
    "json": "json",
    "json-lines": "jsonlines",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
}
FORMATS = tuple(_MODULES)


def get(name: str) -> Renderer:
    if name not in _MODULES:
        raise KeyError(name)
    return importlib.import_module(f".{_MODULES[name]}", __name__).render
