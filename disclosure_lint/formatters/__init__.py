"""Diagnostics -> output text. One module per format; each exposes ``render(diagnostics, ctx) -> str``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import Diagnostic


@dataclass
class RenderContext:
    """What a formatter may need besides the diagnostics: file count and the packs used."""

    files: int = 0
    packs: list = field(default_factory=list)
    root: str | None = None


Renderer = Callable[[list[Diagnostic], RenderContext], str]


def get(name: str) -> Renderer:
    if name == "text":
        from .text import render
    elif name == "json":
        from .json import render
    else:
        raise KeyError(name)
    return render


FORMATS = ("text", "json")
