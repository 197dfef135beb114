"""``.rules`` buffers -> LSP diagnostics, checked against the schemas of the pack the file belongs to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from ..dsl.parser import parse_rules
from ..errors import LintError, PackError
from ..packs.load import check_rule_text, pack_definitions, pack_specs
from ..packs.locate import pack_lineage
from ..packs.schema import TableSpec
from ..readers import TEXT_SUFFIXES, read_document
from ..recognize import recognize
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


MAX_ROW_KEYS = 40


@cache
def row_keys(pack_dir: Path) -> dict[tuple[str, str | None], list[str]]:
    """Row keys seen in the pack's examples (and its parents'), most frequent first, by (table, block).

    Schemas name columns but not rows; the examples are the pack's own record of what rows a table
    prints (``合计``, ``201``, ``总计``), which is what completion after ``公开03表.`` offers.
    """
    try:
        specs = pack_specs(pack_dir)
        lineage = pack_lineage(pack_dir)
    except PackError:
        return {}
    counts: dict[tuple[str, str | None], Counter[str]] = {}
    for root in lineage:
        for path in sorted((root / "examples").glob("*/*")):
            if path.suffix.lower() not in TEXT_SUFFIXES:
                continue
            try:
                report = recognize(read_document(path), list(specs.values()))
            except LintError:
                continue
            for table_id, table in report.tables.items():
                for row in table.rows:
                    counts.setdefault((table_id, row.block), Counter())[row.key] += 1
    return {k: [key for key, _ in c.most_common(MAX_ROW_KEYS)] for k, c in counts.items()}


@cache
def definition_sources(pack_dir: Path) -> dict[str, str]:
    """The pack's ``define``s (its parents' included) by name, with their source, for completion."""
    try:
        return {name: d.source for name, d in pack_definitions(pack_dir).items()}
    except PackError:
        return {}


def _diagnostic(
    rng: types.Range, message: str, severity: types.DiagnosticSeverity, error: PackError | None = None
) -> types.Diagnostic:
    """An LSP diagnostic; a pack error carries its code, and its suggestion for the quick fix."""
    code = (error.code or "P.ERROR") if error is not None else None
    data = {"suggestion": error.suggestion} if error is not None and error.suggestion else None
    return types.Diagnostic(range=rng, message=message, severity=severity, source=SOURCE, code=code, data=data)


def rule_diagnostics(path: str, text: str, lines: Sequence[str], codec: PositionCodec) -> list[types.Diagnostic]:
    """Syntax and type errors at their tokens. Without a loadable pack only the syntax is checked,
    and the top of the file says why."""
    out: list[types.Diagnostic] = []
    try:
        specs = schemas_for(Path(path))
        pack_dir = find_pack_dir(Path(path))
        definitions = pack_definitions(pack_dir, skip=path) if pack_dir is not None else {}
        errors = check_rule_text(text, path, specs, definitions)
    except PackError as exc:
        out.append(
            _diagnostic(
                top_range(lines, codec),
                f"{exc.one_line()}（仅检查语法，未检查表名与列名）",
                types.DiagnosticSeverity.Warning,
                exc,
            )
        )
        try:
            parse_rules(text, path)
            errors = []
        except PackError as syntax:
            errors = [syntax]
    here = Path(path).resolve()
    for err in errors:
        if err.path and Path(err.path).resolve() != here:
            # An error inside a definition written in another file of the pack: shown here, located there.
            rng, message = top_range(lines, codec), err.one_line()
        else:
            rng, message = token_range(err.line, err.col, lines, codec), err.message
        out.append(_diagnostic(rng, message, types.DiagnosticSeverity.Error, err))
    return out
