"""``disclosure-lint pack check`` beyond loading: the examples a pack ships, and what they show of it.

Loading already rejects every broken file. These checks need the examples: a rule without a passing
or a failing example, an example folder that names no rule, an attachment field that matches on no
example form (so nothing shows that its label or pattern finds the value), a definition no rule uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import LintError, PackError
from ..readers import TEXT_SUFFIXES, read_document
from ..recognize.forms import recognize_forms
from .load import Pack
from .test import example_files, kind_of, missing_kinds, stray_example_dirs


@dataclass
class Findings:
    errors: list[PackError]
    warnings: list[PackError]


def _example_errors(pack: Pack) -> list[PackError]:
    out = [PackError("示例目录对应的规则不存在", str(d), code="P.EXAMPLES") for d in stray_example_dirs(pack)]
    for rule in pack.rules:
        files = example_files(pack, rule.id)
        folder = str(pack.path / "examples" / rule.id)
        out.extend(
            PackError("示例文件名应以 pass、fail 或 na 开头", str(f), code="P.EXAMPLES")
            for f in files
            if kind_of(f) is None
        )
        missing = missing_kinds(files)
        if missing:
            out.append(PackError(f"规则 {rule.id} 缺少{missing}", folder, code="P.EXAMPLES"))
    return out


def _field_warnings(pack: Pack) -> list[PackError]:
    forms = [s for s in pack.specs.values() if s.layout == "form"]
    if not forms or pack.places is None:
        return []
    seen: dict[str, int] = {}
    matched: dict[tuple[str, str], int] = {}
    for root in pack.lineage:
        for path in sorted((root / "examples").glob("*/*")):
            if path.suffix.lower() not in TEXT_SUFFIXES:
                continue
            try:
                tables = recognize_forms(read_document(path), forms)
            except LintError:
                continue
            for form_id, table in tables.items():
                seen[form_id] = seen.get(form_id, 0) + len(table.rows)
                for row in table.rows:
                    for name in (*row.cells, *row.labels):
                        matched[(form_id, name)] = matched.get((form_id, name), 0) + 1
    out = []
    for spec in forms:
        if not seen.get(spec.id):
            out.append(pack.places.error(f"附件 {spec.id} 没有出现在任何示例中", ["attachments", spec.id]))
            continue
        out.extend(
            pack.places.error(
                f"字段 {f.name} 在 {seen[spec.id]} 张示例表中都没有读到：请核对 label/pattern，或补充示例",
                ["attachments", spec.id, "fields", f.name],
                code="P.FIELD-UNMATCHED",
            )
            for f in spec.fields
            if not matched.get((spec.id, f.name))
        )
    return out


def verify_pack(pack: Pack) -> Findings:
    unused = [
        PackError(f"定义“{d.name}”没有被任何规则使用", d.file, d.pos.line, d.pos.col, code="P.UNUSED")
        for d in pack.unused_definitions
        if Path(d.file).parent == pack.path
    ]
    return Findings(_example_errors(pack), [*_field_warnings(pack), *unused])
