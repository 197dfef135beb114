"""One JSON object per line, with the keys of the ``json`` format: easy to stream and to grep."""

from __future__ import annotations

import json

from ..model import Diagnostic
from . import RenderContext
from .json import as_dict


def render(diagnostics: list[Diagnostic], ctx: RenderContext) -> str:
    return "".join(json.dumps(as_dict(d, ctx), ensure_ascii=False) + "\n" for d in diagnostics)
