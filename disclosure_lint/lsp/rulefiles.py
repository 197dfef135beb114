"""``.rules`` buffers -> LSP diagnostics, checked against the schemas of the pack the file belongs to."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from ..dsl.parser import parse_rules
from ..errors import PackError
from ..packs.load import check_rule_text, pack_specs
from ..packs.schema import TableSpec
from .ranges import token_range, top_range
from .reports import SOURCE

RULES_SUFFIX = ".rules"


def find_pack_dir(rule_file: Path) -> Path | None:
    """The nearest folder holding a ``pack.yaml``, from the rule file's own folder upwards."""
    for folder in rule_file.resolve().parents:
        if (folder / "pack.yaml").is_file():
            return folder
    return None


def schemas_for(rule_file: Path) -> dict[str, TableSpec]:
    """Table schemas of the rule file's pack; PackError when there is none or it does not load."""
    pack_dir = find_pack_dir(rule_file)
    if pack_dir is None:
        raise PackError("未找到所属规则包：本目录及上级目录中没有 pack.yaml", str(rule_file))
    return pack_specs(pack_dir)


def _diagnostic(rng: types.Range, message: str, severity: types.DiagnosticSeverity) -> types.Diagnostic:
    return types.Diagnostic(range=rng, message=message, severity=severity, source=SOURCE)


def rule_diagnostics(path: str, text: str, lines: Sequence[str], codec: PositionCodec) -> list[types.Diagnostic]:
    """Syntax and type errors at their tokens. Without a loadable pack only the syntax is checked,
    and the top of the file says why."""
    out: list[types.Diagnostic] = []
    try:
        errors = check_rule_text(text, path, schemas_for(Path(path)))
    except PackError as exc:
        out.append(
            _diagnostic(
                top_range(lines, codec),
                f"{exc.one_line()}（仅检查语法，未检查表名与列名）",
                types.DiagnosticSeverity.Warning,
            )
        )
        try:
            parse_rules(text, path)
            errors = []
        except PackError as syntax:
            errors = [syntax]
    for err in errors:
        out.append(
            _diagnostic(token_range(err.line, err.col, lines, codec), err.message, types.DiagnosticSeverity.Error)
        )
    return out
