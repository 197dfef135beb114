"""The reading check every recognized table gets before any rule may judge it.

A misread table must never come out as a defect of the document. So each table is checked for
the signs of a misreading that the grid itself shows: amounts printed in the body that were not
taken into any row or column (including amounts that landed in a label or code column), subject
codes that could not be read, a table with data but no 合计 row, and a money unit that cannot be
told. A table that fails
is ``partial`` or ``unread``: the rules that need it are not assessable, and the report gets one
E.TABLE-UNREAD warning saying what could not be read. A total row that is printed blank is not a
misreading: the rules say what is wrong with it.
"""

from __future__ import annotations

from ..labels import label_key
from ..model import Location, Problem, Reading, Table
from ..packs.schema import TableSpec
from .grid import GridResult

_TOTALS = ("合计", "总计")
_SHOWN_CODES = 3


def check_reading(spec: TableSpec, table: Table, result: GridResult) -> Reading:
    issues: list[str] = []
    status = "read"
    if result.printed and not table.rows:
        return Reading("unread", [f"表中印有 {result.printed} 个金额，但未能读出任何数据行"])
    missed = result.printed - result.taken
    if missed > 0:
        issues.append(f"有 {missed} 个金额未能对应到表头所列的栏目")
    if result.bad_codes:
        shown = "、".join(f"“{c}”" for c in result.bad_codes[:_SHOWN_CODES])
        more = "等" if len(result.bad_codes) > _SHOWN_CODES else ""
        issues.append(f"{shown}{more} {len(result.bad_codes)} 处科目代码无法识别")
    missing = [c for c in spec.column_names() if c not in table.columns]
    if result.unknown_headers and missing:
        shown = "、".join(f"“{c}”" for c in missing[:_SHOWN_CODES])
        issues.append(f"未能在表头中找到{shown}{'等' if len(missing) > _SHOWN_CODES else ''}栏目")
    issues.extend(_total_issues(spec, table))
    if issues:
        status = "partial"
    return Reading(status, issues)


def _has_data(rows: list) -> bool:
    return any(not v.blank for r in rows for v in r.cells.values())


def _total_issues(spec: TableSpec, table: Table) -> list[str]:
    """Tables with a subject hierarchy or side-by-side blocks have a 合计/总计 row; one that has data
    but no total was not read in full (the total stood on a page that was not joined to it)."""
    if not (spec.hierarchy or spec.has_blocks()) or spec.layout == "sectioned":
        return []
    groups = [[r for r in table.rows if r.block == b] for b in table.blocks] if table.blocks else [table.rows]
    issues: list[str] = []
    for rows in groups:
        if not _has_data(rows):
            continue
        if not any(label_key(r.key).endswith(_TOTALS) for r in rows):
            side = f"{rows[0].block}方" if table.blocks and rows[0].block else ""
            issues.append(f"{side}未找到合计行")
    return issues


def settle_units(tables: dict[str, Table]) -> None:
    """A table printed without a ``单位`` caption takes the unit every other table states; when the
    tables state different units, its unit cannot be told and it is not judged."""
    known = {t.unit for t in tables.values() if t.unit and t.reading is not None}
    for table in tables.values():
        if table.unit or table.reading is None or not table.rows:
            continue
        if len(known) == 1:
            table.unit = next(iter(known))
        elif len(known) > 1:
            table.reading.status = "partial" if table.reading.ok else table.reading.status
            table.reading.issues.append("表上未注明计量单位，而其他表的单位不一致，无法确定本表金额的单位")


def unread_problem(table: Table, spec: TableSpec) -> Problem:
    reading = table.reading
    assert reading is not None
    name = f"{spec.code}{spec.title}" if spec.code else spec.title
    what = "未能读取" if reading.status == "unread" else "未能完整读取"
    message = f"{name}{what}：{'；'.join(reading.issues)}。与该表有关的规则未予核对，请人工核对该表"
    return Problem("E.TABLE-UNREAD", message, table.loc if table.loc else Location(""))
