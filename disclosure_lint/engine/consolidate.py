"""One cause, one finding.

A single wrong cell breaks every identity it takes part in: a wrong amount in a 项 row fails that
row's sum and its 款's roll-up, and perhaps a comparison with another table. Reporting each as an
error of its own blames the document several times for one mistake. So after all rules have run,
the failures are grouped by cause:

* failures that all hold once one cell is printed differently (by the amount one of them is off),
  and that share no other cell, are one finding at that cell; the others (a share computed from
  it included) are attached to it as related locations;
* unit mismatches between the same table and the same factor are one finding;
* a rule that ``covers`` another says that what both report about one sentence is one defect: the
  covered rule's finding about a sentence the covering rule reports is attached to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from ..model import SEVERITIES, Diagnostic, Related
from ..numbers import parse_amount
from . import units
from .interval import CellRef


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a failed comparison rests on: its table cells, its difference and tolerance in 元 (or in
    the printed unit when none is known), and a way to evaluate it again with some cells printed
    differently."""

    cells: dict[tuple[str, str, str], CellRef]
    difference: Decimal
    tolerance: Decimal
    recheck: Callable[[dict[tuple[str, str, str], Decimal]], bool]
    unit_table: str | None = None
    power: int | None = None


def in_yuan(value: Decimal, unit: str | None) -> Decimal:
    return value.scaleb(units.SCALE[unit]) if unit in units.SCALE else value


def consolidate(diagnostics: list[Diagnostic], covers: dict[str, tuple[str, ...]] | None = None) -> list[Diagnostic]:
    """Run on the findings the user's configuration and suppressions keep, so that a consequence a
    user switched off never takes the cause with it. ``covers``: for each rule, the rules it covers.
    The findings come back without their evidence: it holds closures over the report, and findings
    are pickled to other processes and stored as JSON."""
    if covers:
        diagnostics = _absorb_covered(diagnostics, covers)
    merged: dict[int, Diagnostic] = {}
    dropped: set[int] = set()
    for root, group in _root_groups(diagnostics):
        primary, others = group[0], group[1:]
        cell = primary.evidence.cells[root]
        table, row, column = root
        message = (
            f"{primary.message}；疑为{table} {row} 的“{column}” {cell.value} 有误，"
            f"另有 {len(others)} 处勾稽关系因此不平"
        )
        # The finding now points at the root cell: the other cells of its identity are its related places.
        terms = [
            Related(f"{c.label or c.column} {c.value}".strip(), c.loc)
            for c in primary.evidence.cells.values()
            if c.loc != cell.loc and c.value != "空"
        ]
        related = [Related(f"因此不平：{o.message}", o.loc) for o in others] + terms
        merged[id(primary)] = replace(
            primary,
            message=message,
            loc=cell.loc,
            table=table,
            row=row,
            column_name=column,
            related=related,
            absorbed=_absorbed(group),
        )
        dropped.update(id(o) for o in others)
    for group in _unit_groups(diagnostics):
        primary, others = group[0], group[1:]
        related = [Related(f"同一单位问题：{o.message}", o.loc) for o in others] + primary.related
        message = f"{primary.message}；另有 {len(others)} 处与该表的金额同样相差整数倍"
        merged[id(primary)] = replace(primary, message=message, related=related, absorbed=_absorbed(group))
        dropped.update(id(o) for o in others)
    return [without_evidence(merged.get(id(d), d)) for d in diagnostics if id(d) not in dropped]


def without_evidence(d: Diagnostic) -> Diagnostic:
    if d.evidence is None and d.sentence is None and all(a.evidence is None and a.sentence is None for a in d.absorbed):
        return d
    return replace(d, evidence=None, sentence=None, absorbed=tuple(without_evidence(a) for a in d.absorbed))


def _absorb_covered(diagnostics: list[Diagnostic], covers: dict[str, tuple[str, ...]]) -> list[Diagnostic]:
    """A finding of a covered rule about a sentence (an overlapping match in the same paragraph) that
    a covering rule reports at least as severely goes into that finding as a related place."""
    rank = {s: i for i, s in enumerate(reversed(SEVERITIES))}
    by_paragraph: dict[object, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.sentence is not None and d.origin is None:
            by_paragraph.setdefault(d.sentence[0], []).append(d)
    merged: dict[int, Diagnostic] = {}
    dropped: set[int] = set()
    for d in diagnostics:
        wanted = covers.get(d.rule)
        if not wanted or d.sentence is None or d.origin is not None or id(d) in dropped:
            continue
        _, start, end = d.sentence
        taken = [
            o
            for o in by_paragraph[d.sentence[0]]
            if o.rule in wanted
            and id(o) not in dropped
            and id(o) not in merged
            and o.sentence[1] < end
            and start < o.sentence[2]
            and rank[o.severity] <= rank[d.severity]
        ]
        if not taken:
            continue
        primary = merged.get(id(d), d)
        related = [*primary.related, *(Related(f"同一处问题：{o.message}", o.loc) for o in taken)]
        absorbed = (*primary.absorbed, *_absorbed([primary, *taken]))
        merged[id(d)] = replace(primary, related=related, absorbed=absorbed)
        dropped.update(id(o) for o in taken)
    return [merged.get(id(d), d) for d in diagnostics if id(d) not in dropped]


def _absorbed(group: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(x for d in group[1:] for x in (d, *d.absorbed))


def _root_groups(diagnostics: list[Diagnostic]) -> list[tuple[tuple[str, str, str], list[Diagnostic]]]:
    """(root cell, failures it explains), the failure about the root cell first.

    A cell explains a set of failures when printing it differently, by the amount one of them is
    off, makes every one of them hold; and it is named only when it is the one cell they all share.
    """
    failures = [d for d in diagnostics if d.origin is None and d.severity == "error" and d.evidence is not None]
    by_cell: dict[tuple[str, str, str], list[Diagnostic]] = {}
    for d in failures:
        for key in d.evidence.cells:
            by_cell.setdefault(key, []).append(d)
    taken: set[int] = set()
    out = []
    for key in sorted(by_cell, key=lambda k: -len(by_cell[k])):
        group = [d for d in by_cell[key] if id(d) not in taken]
        if len(group) < 2:
            continue
        explained = _explained(key, group)
        if len(explained) < 2 or set.intersection(*(set(d.evidence.cells) for d in explained)) != {key}:
            continue
        loc = explained[0].evidence.cells[key].loc
        explained.sort(key=lambda d: (d.loc != loc, d.row != key[1], d.sort_key()))
        taken.update(id(d) for d in explained)
        out.append((key, explained))
    return out


def _explained(key: tuple[str, str, str], group: list[Diagnostic]) -> list[Diagnostic]:
    """The largest part of ``group`` that holds once the cell is corrected by one of their differences."""
    cell = group[0].evidence.cells[key]
    parsed = parse_amount(cell.value) if cell.value != "空" else (Decimal(0), 0)
    if parsed is None:
        return []
    best: list[Diagnostic] = []
    for d in group:
        shift = abs(d.evidence.difference).scaleb(-units.SCALE.get(cell.unit or "", 0))
        for corrected in (parsed[0] - shift, parsed[0] + shift):
            fixed = [m for m in group if m.evidence.recheck({key: corrected})]
            if len(fixed) > len(best):
                best = fixed
    return best


def _unit_groups(diagnostics: list[Diagnostic]) -> list[list[Diagnostic]]:
    groups: dict[tuple[str, int], list[Diagnostic]] = {}
    for d in diagnostics:
        ev = d.evidence
        if d.rule == "E.UNIT-MISMATCH" and ev is not None and ev.unit_table is not None and ev.power is not None:
            groups.setdefault((ev.unit_table, abs(ev.power)), []).append(d)
    return [sorted(g, key=Diagnostic.sort_key) for g in groups.values() if len(g) > 1]
