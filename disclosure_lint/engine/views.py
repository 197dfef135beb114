"""Indexed, read-only views of a Report's tables: row lookup by key, name or 行次, and the subject
hierarchy (类/款/项 for 3/5/7-digit functional codes, 类/款 for 301/30101 economic codes).

A parent is the nearest row of the same block whose code is the longest proper prefix of the
row's code, so a missing intermediate level never breaks the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from ..labels import label_key
from ..model import Paragraph, Report, Row, Section, Table
from ..packs.schema import TableSpec
from ..recognize import section_matches
from .interval import NotAssessable, TableMissing

LEVEL_BY_DIGITS = {3: 1, 5: 2, 7: 3}


@dataclass(frozen=True, slots=True)
class RowRef:
    view: TableView
    row: Row

    @property
    def name(self) -> str:
        labels = self.row.labels
        return labels.get("科目名称") or labels.get("项目") or self.row.key

    def describe(self) -> str:
        code = self.row.code
        return f"{code} {self.name}" if code else self.name


@dataclass(eq=False)
class TableView:
    spec: TableSpec
    table: Table
    block: str | None
    rows: list[Row] = field(default_factory=list)
    # Cell amounts put in place of the printed ones, keyed (table, row key, column): shared with the
    # index, so a check can be re-evaluated as if one cell had been printed differently.
    overrides: dict[tuple[str, str, str], Decimal] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return (self.spec.code or self.spec.id) + (f".{self.block}" if self.block else "")

    @cached_property
    def _by_key(self) -> dict[str, Row]:
        out: dict[str, Row] = {}
        for r in self.rows:
            out.setdefault(r.key, r)
        return out

    @cached_property
    def _by_label(self) -> dict[str, Row]:
        out: dict[str, Row] = {}
        for r in self.rows:
            for name in ("科目名称", "项目"):
                if name in r.labels:
                    out.setdefault(label_key(r.labels[name]), r)
        return out

    @cached_property
    def _by_line(self) -> dict[int, Row]:
        return {r.line_no: r for r in self.rows if r.line_no is not None}

    def lookup(self, key: str) -> Row:
        row = self._by_key.get(key) or self._by_label.get(label_key(key))
        if row is None:
            raise NotAssessable(f"{self.label} 中没有行“{key}”")
        return row

    def find(self, key: str) -> Row | None:
        return self._by_key.get(key) or self._by_label.get(label_key(key))

    def line(self, number: int) -> Row:
        row = self._by_line.get(number)
        if row is None:
            raise NotAssessable(f"{self.label} 中没有行次 {number}")
        return row

    def has_column(self, column: str) -> bool:
        return column in self.table.columns

    @cached_property
    def _parents(self) -> dict[int, Row | None]:
        by_code = {r.code: r for r in self.rows if r.code}
        out: dict[int, Row | None] = {}
        for r in self.rows:
            parent = None
            if r.code:
                for n in range(len(r.code) - 1, 2, -1):
                    cand = by_code.get(r.code[:n])
                    if cand is not None and cand.block == r.block:
                        parent = cand
                        break
            out[id(r)] = parent
        return out

    @cached_property
    def _children(self) -> dict[int, list[Row]]:
        out: dict[int, list[Row]] = {}
        for r in self.rows:
            p = self._parents[id(r)]
            if p is not None:
                out.setdefault(id(p), []).append(r)
        return out

    def parent(self, row: Row) -> Row | None:
        return self._parents.get(id(row))

    def children(self, row: Row) -> list[Row]:
        return self._children.get(id(row), [])

    def subject(self, path: list[str]) -> Row | None:
        """The row reached from a 类 through its 款 to its 项, each step named as printed or by the
        code digits of its own level (204, 06, 01)."""
        keys = [label_key(step) for step in path]
        if all(k.isdigit() for k in keys):
            return self._by_key.get(keys[0] + "".join(k.zfill(2) for k in keys[1:]))
        rows = [r for r in self.rows if r.code and self.level(r) == 1]
        found: Row | None = None
        for depth, step in enumerate(path):
            matching = [r for r in rows if _names(r, step, depth)]
            if not matching:
                return None
            found = matching[0]
            rows = [c for r in matching for c in self.children(r)]
        return found

    def level(self, row: Row) -> int:
        if not row.code:
            return 0
        return LEVEL_BY_DIGITS.get(len(row.code), len(row.code) // 2)

    def position(self, row: Row) -> int:
        for i, r in enumerate(self.rows):
            if r is row:
                return i
        raise NotAssessable(f"{self.label} 中没有该行")  # pragma: no cover - rows come from this view


def _names(row: Row, step: str, depth: int) -> bool:
    """Whether a 类/款/项 step of a subject path names this row: by its printed name, or by the digits
    its level adds to the code (the 类 code, then two digits each for 款 and 项)."""
    key = label_key(step)
    if key.isdigit() and row.code:
        own = row.code[:3] if depth == 0 else row.code[3 + 2 * (depth - 1) : 5 + 2 * (depth - 1)]
        return own == (key if depth == 0 else key.zfill(2))
    name = row.labels.get("科目名称") or row.labels.get("项目") or ""
    return label_key(name) == key


class ReportIndex:
    """Lazily built views, one per (table, block), and section scopes; shared by every rule of a run."""

    def __init__(self, report: Report, specs: dict[str, TableSpec]) -> None:
        self.report = report
        self.specs = specs
        self._views: dict[tuple[str, str | None], TableView] = {}
        self._scopes: dict[tuple[str, ...], list[Paragraph]] = {}
        self._prose: list[Paragraph] | None = None
        self.overrides: dict[tuple[str, str, str], Decimal] = {}

    def paragraphs(self, names: tuple[str, ...] = ()) -> list[Paragraph]:
        """The prose of the named sections (all of it when no name is given), computed once per run."""
        found = self._scopes.get(names)
        if found is None:
            found = scoped_paragraphs(self.report.sections, list(names)) if names else self.report.paragraphs
            self._scopes[names] = found
        return found

    def prose(self) -> list[Paragraph]:
        """The running prose: paragraphs under the report's headings, without table notes, text typed
        into table cells, captions, or paragraphs whose end the reader could not tell from a wrap."""
        if self._prose is None:
            seen: set[int] = set()
            self._prose = []
            for section in self.report.sections:
                for p in section.paragraphs:
                    if p.role == "prose" and not p.end_unsure and id(p) not in seen:
                        seen.add(id(p))
                        self._prose.append(p)
        return self._prose

    def present(self, spec: TableSpec) -> bool:
        return spec.id in self.report.tables or spec.id in self.report.facts

    def view(self, spec: TableSpec, block: str | None = None) -> TableView:
        key = (spec.id, block)
        cached = self._views.get(key)
        if cached is not None:
            return cached
        table = self.report.tables.get(spec.id) or self.report.facts.get(spec.id)
        if table is None:
            raise TableMissing(f"报告中未找到{spec.code or spec.id}（{spec.title}）")
        if table.reading is not None and not table.reading.ok:
            raise NotAssessable(f"{spec.code or spec.id}（{spec.title}）未能完整读取")
        rows = table.rows if block is None else [r for r in table.rows if r.block == block]
        view = TableView(spec, table, block, rows, self.overrides)
        self._views[key] = view
        return view


def scoped_paragraphs(sections: list[Section], names: list[str]) -> list[Paragraph]:
    """Paragraphs of the named sections and their sub-sections: sections titled exactly so, else
    those whose title ends with the name, else those whose title contains it."""
    chosen: list[int] = []
    for name in names:
        key = label_key(name)
        exact = [i for i, s in enumerate(sections) if section_matches(s, name)]
        if not exact:
            exact = [i for i, s in enumerate(sections) if label_key(s.title).endswith(key)]
        if not exact:
            exact = [i for i, s in enumerate(sections) if key in label_key(s.title)]
        chosen.extend(i for i in exact if i not in chosen)
    out: list[Paragraph] = []
    seen: set[int] = set()
    for i, s in enumerate(sections):
        j: int | None = i
        while j is not None and j not in chosen:
            j = sections[j].parent
        if j is None:
            continue
        for p in s.paragraphs:
            if id(p) not in seen:
                seen.add(id(p))
                out.append(p)
    return out
