"""Form-style attachments (绩效自评表): label/value grids printed once per project.

Each printed form, found by its title, becomes one row of a table named after the attachment, so
rules treat forms like any table. Forms are laid out for people, not machines: a label's value
may sit in the same cell (``总 分 91分``), in the next non-empty cell to the right, or inside a
sentence (``核定的人员编制数 41 人``); the score of each indicator is the last bare number of its row.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from .. import matching
from ..labels import squash
from ..model import Cell, Document, Heading, Location, RawTable, Row, Table, Value
from ..numbers import parse_amount
from ..packs.schema import FieldSpec, TableSpec
from .titles import match_title

_SCORE = re.compile(r"^(\d{1,6}(?:\.\d{1,6})?)分?$")
_NUMBER_IN = re.compile(r"(\d+(?:\.\d+)?)\s*分?")
_STRIP_LEAD = re.compile(r"^其中[:：]")
_YEAR = re.compile(r"^((?:19|20)\d{2})年?度?$")


def find_forms(doc: Document, specs: list[TableSpec]) -> list[tuple[TableSpec, Location, list[list[Cell]]]]:
    """(spec, title location, rows) for every printed form, rows gathered up to the next title."""
    forms: list[tuple[TableSpec, Location, list[list[Cell]]]] = []
    current: tuple[TableSpec, Location, list[list[Cell]]] | None = None
    for block in doc.blocks:
        if isinstance(block, RawTable):
            if current is not None:
                current[2].extend(block.rows)
            continue
        spec = match_title(block.text, specs)
        if spec is not None:
            current = (spec, block.loc, [])
            forms.append(current)
        elif isinstance(block, Heading) and current is not None:
            current = None
    return [f for f in forms if f[2]]


def _number(text: str, kind: str) -> tuple[Decimal, int] | None:
    t = squash(text)
    if kind == "year":
        y = _YEAR.match(t)
        return (Decimal(y.group(1)), 0) if y else None
    if kind == "score":
        m = _SCORE.match(t)
        return (Decimal(m.group(1)), 0) if m else None
    if kind == "percent":
        return parse_amount(t.removesuffix("%").removesuffix("％"))
    parsed = parse_amount(t.removesuffix("人").removesuffix("个"))
    return parsed


def _plain(text: str, kind: str, label: str) -> bool:
    """A cell holding just a value of the field's type: ``9``, ``9分``, ``63.76%`` (a percentage needs its
    sign, or a label that says the unit is %), ``38人``, ``1,000.00``."""
    if kind == "percent":
        t = squash(text)
        if t.endswith(("%", "％")):
            return parse_amount(t[:-1]) is not None
        return ("%" in label or "％" in label) and parse_amount(t) is not None
    return kind == "text" or _number(text, kind) is not None


def _label_value(rows: list[list[Cell]], field: FieldSpec) -> tuple[Cell | None, Cell | None, str, list[Cell]]:
    """(label cell, value cell, value text, the label's cell and those right of it) for a labelled field;
    the value may share the label's cell."""
    label = squash(field.label or "")
    seen = 0
    for row in rows:
        for j, cell in enumerate(row):
            text = _STRIP_LEAD.sub("", squash(cell.text))
            if not text.startswith(label):
                continue
            seen += 1
            if seen < field.nth:
                continue
            rest = re.sub(r"^[（(][^）)]*[）)]", "", text[len(label) :]).lstrip("：:")
            if rest and field.type != "text":
                m = _NUMBER_IN.search(rest)
                if m:
                    return cell, cell, m.group(1), row[j:]
            for other in row[j + 1 :]:
                if field.nth > 1 and squash(other.text).startswith(label):
                    break  # the next column's label: this one's value is blank
                if other.text.strip():
                    return cell, other, other.text, row[j:]
            return cell, None, "", row[j:]
    return None, None, "", []


@cache
def _field_regex(source: str) -> matching.Pattern:
    from ..dsl.patterns import compile_pattern

    return matching.compile(compile_pattern(source, "pack.yaml", 1, 1).regex)


def _pattern_value(cells: list[Cell], field: FieldSpec) -> tuple[Cell | None, str]:
    regex = _field_regex(field.pattern or "")
    for cell in cells:
        try:
            m = matching.search(regex, cell.text)
        except matching.OutOfTime:
            return None, ""  # the field is then not read, and rules on it are not assessable
        if m and m.group("c0") is not None:
            return cell, m.group("c0")
    return None, ""


def _indicator_scores(rows: list[list[Cell]], field: FieldSpec) -> tuple[Decimal, Cell | None] | None:
    """Σ of the last bare number of each row between the indicator header and the total row."""
    start = end = None
    for i, row in enumerate(rows):
        texts = [squash(c.text) for c in row]
        if start is None and field.rows_from and any(t == squash(field.rows_from) for t in texts):
            start = i
        elif start is not None and field.rows_to and any(t.startswith(squash(field.rows_to)) for t in texts):
            end = i
            break
    if start is None:
        return None
    total = Decimal(0)
    first: Cell | None = None
    for row in rows[start + 1 : end]:
        filled = [c for c in row if c.text.strip()]
        if not filled:
            continue
        m = _SCORE.match(squash(filled[-1].text))
        if m:
            total += Decimal(m.group(1))
            first = first or filled[-1]
    return total, first


def read_form(spec: TableSpec, title_loc: Location, rows: list[list[Cell]]) -> Row:
    """One printed form as a row. A field whose label (or pattern) is found nowhere on the form is left
    out, so the rules that need it are not assessable; a label found with nothing after it is blank."""
    cells: dict[str, Value] = {}
    labels: dict[str, str] = {}
    for field in spec.fields:
        if field.rows_from:
            got = _indicator_scores(rows, field)
            if got is not None:
                total, cell = got
                cells[field.name] = Value(total, 0, f"{total:f}", cell.loc if cell else title_loc)
            continue
        if field.label:
            label_cell, value_cell, text, labelled = _label_value(rows, field)
            if label_cell is None:
                continue
            loc = (value_cell or label_cell).loc
            found = None
            if field.pattern:
                # With a label, the pattern reads the labelled cells only, never any cell of the form.
                found, found_text = _pattern_value(labelled, field)
                if found is not None:
                    value_cell, text, loc = found, found_text, found.loc
            strict = field.pattern is not None or field.type == "percent"
            if found is None and strict and text and not _plain(text, field.type, label_cell.text):
                # Neither the pattern nor a bare value of the field's type: the form does not state it.
                continue
        else:
            value_cell, text = _pattern_value([c for row in rows for c in row], field)
            if value_cell is None:
                continue
            loc = value_cell.loc
        if field.type == "text":
            if text.strip():
                labels[field.name] = " ".join(text.split())
            continue
        parsed = _number(text, field.type) if text else None
        if parsed is None and field.type == "year" and text.strip():
            # Text that is no year: the field is not read, rather than blank.
            cells[field.name] = Value(Decimal(0), 0, text.strip(), loc, unreadable=True)
        elif parsed is None:
            cells[field.name] = Value(Decimal(0), 0, text, loc, blank=True)
        else:
            cells[field.name] = Value(parsed[0], parsed[1], text.strip(), loc)
    key_field = spec.blocks[0].key
    key = labels.get(key_field, spec.title) if key_field != "无" else spec.title
    return Row(key=key, labels=labels, cells=cells, loc=title_loc)


def recognize_forms(doc: Document, specs: list[TableSpec]) -> dict[str, Table]:
    forms = [s for s in specs if s.layout == "form"]
    if not forms:
        return {}
    tables: dict[str, Table] = {}
    for spec, loc, rows in find_forms(doc, forms):
        table = tables.get(spec.id)
        if table is None:
            table = Table(spec.id, spec.title, [], loc, columns=[c.name for c in spec.blocks[0].columns])
            tables[spec.id] = table
        table.rows.append(read_form(spec, loc, rows))
    return tables
