"""GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=…::message`` become inline
annotations on the pull request. Escaping follows the Actions toolkit (``%``, CR and LF in messages;
also ``:`` and ``,`` in properties). Paths are relative to the repository root, as Actions expects."""

from __future__ import annotations

from ..model import Diagnostic
from . import RenderContext

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic, ctx: RenderContext) -> str:
    loc = d.loc
    props: list[tuple[str, object]] = [("file", ctx.relative(loc.path) or loc.path)]
    if loc.line is not None:
        props += [("line", loc.line), ("col", loc.col), ("endLine", loc.end_line), ("endColumn", loc.end_col)]
    props.append(("title", f"{d.rule} {d.title}".strip()))
    where = ""
    if loc.page is not None:
        where = f"第 {loc.page} 页："
    elif loc.sheet is not None:
        where = f"{loc.sheet}!{loc.cell}：" if loc.cell else f"{loc.sheet}："
    head = ",".join(f"{k}={escape_property(str(v))}" for k, v in props if v is not None)
    return f"::{COMMAND.get(d.severity, 'warning')} {head}::{escape_data(where + d.message)}"


def render(diagnostics: list[Diagnostic], ctx: RenderContext) -> str:
    return "".join(annotation(d, ctx) + "\n" for d in diagnostics)
