"""Draw a text-form report as a PDF, the way published disclosures are typeset.

The text reader gives the report's headings, paragraphs and tables; the recognizer's own table
matching says which table is which, so a variant can treat one table specially: continue it on
the next page (with or without its header repeated), put it on a landscape page, print it without
rules, draw the 合计 rows twice (fake bold), merge spanning header cells as Excel exports do.
Text is set in the built-in CID font STSong-Light with CJK line breaking (numbers never split).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from disclosure_lint.labels import code_of, squash
from disclosure_lint.model import Document, Heading, RawTable, Report
from disclosure_lint.numbers import parse_amount
from disclosure_lint.packs.schema import TableSpec
from disclosure_lint.recognize import recognize
from disclosure_lint.recognize.grid import header_end
from disclosure_lint.recognize.titles import match_code, match_title

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

BODY = ParagraphStyle(
    "body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK", firstLineIndent=21, spaceAfter=2
)
HEADING_SIZES = {1: 20, 2: 17, 3: 15, 4: 14, 5: 13, 6: 12.5}
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9.5, wordWrap="CJK")
CELL_NUMBER = ParagraphStyle("cell-number", parent=CELL, alignment=TA_RIGHT)
PORTRAIT_MARGIN = 50
LANDSCAPE_MARGIN = 36


@dataclass(frozen=True)
class Variant:
    """How to typeset the report. Table ids name the tables treated specially."""

    split: tuple[str, ...] = ("公开03表",)
    repeat_header: bool = True
    landscape: tuple[str, ...] = ("公开04表", "公开06表", "公开09表")
    unruled: tuple[str, ...] = ()
    merged_headers: bool = True
    bold_twice: bool = False
    page_numbers: bool = True
    # Tables whose last row (the 合计) stands alone on the next page, without a repeated header.
    split_last: tuple[str, ...] = ()
    # Tables whose caption lines (title, 部门名称, 单位：…) are printed inside the ruled frame.
    caption_inside: tuple[str, ...] = ()
    # 合计/总计 labels merged over the empty key cells to their right, as templates print them.
    merged_totals: bool = False


def table_ids(doc: Document, specs: list[TableSpec]) -> list[str | None]:
    """The schema id of each RawTable in order, by the caption before it (as the recognizer does)."""
    out: list[str | None] = []
    context: list[str] = []
    for block in doc.blocks:
        if isinstance(block, RawTable):
            spec = match_code("".join(squash(t) for t in context[-8:]), specs)
            if spec is None:
                spec = next((s for t in reversed(context[-8:]) if (s := match_title(t, specs))), None)
            out.append(spec.id if spec else None)
            context = []
        else:
            context.append(block.text)
    return out


def _inlined_captions(doc: Document, ids: list[str | None], variant: Variant) -> dict[int, list[int]]:
    """For tables printed with their captions inside the frame: table block index -> the indices of
    the short caption blocks right before it (title, code, 部门名称, year, 单位)."""
    out: dict[int, list[int]] = {}
    n = -1
    for i, block in enumerate(doc.blocks):
        if not isinstance(block, RawTable):
            continue
        n += 1
        if ids[n] not in variant.caption_inside:
            continue
        taken: list[int] = []
        j = i - 1
        while j >= 0 and _caption_block(doc.blocks[j]) and len(taken) < 6:
            taken.insert(0, j)
            j -= 1
        out[i] = taken
    return out


def _caption_block(block) -> bool:
    if isinstance(block, RawTable) or len(block.text) > 30:
        return False
    return not (isinstance(block, Heading) and block.level <= 2) and not squash(block.text).startswith(("注", "说明"))


class _Twice(Flowable):
    """A paragraph drawn twice, 0.3 pt apart: how producers fake bold type."""

    def __init__(self, para: Paragraph) -> None:
        super().__init__()
        self.para = para

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self.para.wrap(avail_width, avail_height)
        return self.width, self.height

    def draw(self) -> None:
        self.para.drawOn(self.canv, 0, 0)
        self.para.drawOn(self.canv, 0.3, 0)


def _display_width(text: str) -> float:
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)


def _widths(rows: list[list[str]], avail: float) -> list[float]:
    n = max(len(r) for r in rows)
    want = []
    for j in range(n):
        longest = max((_display_width(r[j]) for r in rows if j < len(r)), default=2)
        want.append(min(max(longest, 3.0), 60.0) * CELL.fontSize + 14)
    scale = min(1.0, avail / sum(want))
    return [w * scale for w in want]


def _spans(rows: list[list[str]], n_header: int) -> list[tuple]:
    """SPAN commands for header cells followed by blanks: across, else down (Excel-style merged headers)."""
    spans = []
    taken: set[tuple[int, int]] = set()
    width = len(rows[0])
    for i in range(n_header):
        j = 0
        while j < width:
            if not rows[i][j] or (i, j) in taken:
                j += 1
                continue
            k = j + 1
            while (
                k < width
                and not rows[i][k]
                and any(rows[x][k] for x in range(i + 1, n_header))
                and not any(rows[x][k] for x in range(i))
            ):
                k += 1
            if k - 1 > j:
                spans.append(("SPAN", (j, i), (k - 1, i)))
                taken.update((i, c) for c in range(j, k))
                j = k
                continue
            d = i + 1
            while d < n_header and not rows[d][j] and (d, j) not in taken:
                d += 1
            if d - 1 > i:
                spans.append(("SPAN", (j, i), (j, d - 1)))
                taken.update((r, j) for r in range(i, d))
            j += 1
    return spans


def _total_spans(rows: list[list[str]]) -> list[tuple]:
    """SPAN commands merging a leading 合计/总计 label over the blank cells after it."""
    spans = []
    for i, r in enumerate(rows):
        if not r or not squash(r[0]).endswith(("合计", "总计")):
            continue
        k = 1
        while k < len(r) and not r[k]:
            k += 1
        if k > 1 and k < len(r):
            spans.append(("SPAN", (0, i), (k - 1, i)))
    return spans


class _Builder:
    def __init__(self, variant: Variant) -> None:
        self.variant = variant
        self.story: list = []
        self.orientation = "portrait"

    def avail(self) -> float:
        if self.orientation == "landscape":
            return landscape(A4)[0] - 2 * LANDSCAPE_MARGIN
        return A4[0] - 2 * PORTRAIT_MARGIN

    def turn(self, orientation: str) -> None:
        if orientation != self.orientation:
            self.story += [NextPageTemplate(orientation), PageBreak()]
            self.orientation = orientation

    def paragraph(self, text: str, style: ParagraphStyle, bold: bool = False) -> Flowable:
        para = Paragraph(escape(text), style)
        return _Twice(para) if bold else para

    def heading(self, block: Heading) -> None:
        size = HEADING_SIZES.get(block.level, 12.5)
        style = ParagraphStyle(
            f"h{block.level}",
            fontName=FONT,
            fontSize=size,
            leading=size * 1.35,
            wordWrap="CJK",
            spaceBefore=8,
            spaceAfter=6,
        )
        self.story.append(self.paragraph(block.text, style, self.variant.bold_twice))

    def table(self, raw: RawTable, table_id: str | None, captions: list[str] = ()) -> None:
        v = self.variant
        rows = [[c.text for c in r] for r in raw.rows]
        width = max(len(r) for r in rows)
        rows = [[t, *[""] * (width - 1)] for t in captions] + [r + [""] * (width - len(r)) for r in rows]
        n_header, _ = header_end([[squash(t) for t in r] for r in rows])
        n_header = min(n_header, len(rows))
        if table_id in v.landscape:
            self.turn("landscape")
        widths = _widths(rows, self.avail())
        parts = [rows]
        if table_id in v.split_last:
            parts = [rows[:-1], rows[-1:]]
        elif table_id in v.split and len(rows) - n_header > 4:
            cut = n_header + (len(rows) - n_header) // 2
            parts = [rows[:cut], (rows[:n_header] if v.repeat_header else []) + rows[cut:]]
        repeated = v.repeat_header and table_id not in v.split_last
        for k, part in enumerate(parts):
            if k:
                self.story.append(PageBreak())
            merged = n_header if table_id and (k == 0 or repeated) else 0
            self.story.append(self._grid(part, widths, merged, table_id in v.unruled, len(captions) if k == 0 else 0))
        if table_id in v.landscape:
            self.turn("portrait")

    def _grid(
        self, rows: list[list[str]], widths: list[float], n_header: int, unruled: bool, captions: int = 0
    ) -> Table:
        v = self.variant
        data = []
        for r in rows:
            total = any(squash(t).endswith(("合计", "总计")) for t in r if t)
            data.append(
                [
                    self.paragraph(
                        t, CELL_NUMBER if parse_amount(t) and not code_of(t) else CELL, v.bold_twice and total
                    )
                    for t in r
                ]
            )
        # Without rules, columns are kept apart by wider padding, as typesetters do.
        pad = 6 if unruled else 2
        style = [
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ]
        if not unruled:
            style.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
        if v.merged_headers and n_header:
            style += _spans(rows, n_header)
        if v.merged_totals:
            style += _total_spans(rows)
        style += [("SPAN", (0, i), (-1, i)) for i in range(captions)]
        return Table(data, colWidths=widths, style=TableStyle(style), splitByRow=1)


def build_pdf(doc: Document, specs: list[TableSpec], out: Path, variant: Variant = Variant()) -> Path:
    """Typeset ``doc`` into ``out`` and return it."""
    builder = _Builder(variant)
    ids = table_ids(doc, [s for s in specs if not s.attachment])
    inside = _inlined_captions(doc, ids, variant)
    ids_iter = iter(ids)
    for i, block in enumerate(doc.blocks):
        if any(i in taken for taken in inside.values()):
            continue
        if isinstance(block, Heading):
            builder.heading(block)
        elif isinstance(block, RawTable):
            builder.table(block, next(ids_iter), [doc.blocks[j].text for j in inside.get(i, [])])
            builder.story.append(Spacer(1, 6))
        else:
            builder.story.append(builder.paragraph(block.text, BODY))

    def footer(canvas, doc_template) -> None:
        if variant.page_numbers:
            canvas.setFont(FONT, 9)
            canvas.drawCentredString(doc_template.pagesize[0] / 2, 24, f"- {doc_template.page} -")

    portrait = PageTemplate(
        "portrait",
        [Frame(PORTRAIT_MARGIN, PORTRAIT_MARGIN, A4[0] - 2 * PORTRAIT_MARGIN, A4[1] - 2 * PORTRAIT_MARGIN)],
        onPage=footer,
        pagesize=A4,
    )
    wide = landscape(A4)
    land = PageTemplate(
        "landscape",
        [Frame(LANDSCAPE_MARGIN, LANDSCAPE_MARGIN, wide[0] - 2 * LANDSCAPE_MARGIN, wide[1] - 2 * LANDSCAPE_MARGIN)],
        onPage=footer,
        pagesize=wide,
    )
    template = BaseDocTemplate(
        str(out), pagesize=A4, pageTemplates=[portrait, land], title="disclosure", author="disclosure-lint tests"
    )
    template.build(builder.story)
    return out


class PdfCache:
    """Generated PDFs, built (and read) once per test session for each (source text, variant)."""

    def __init__(self, folder: Path, specs: list[TableSpec]) -> None:
        self.folder = folder
        self.specs = specs
        self.built: dict[tuple[str, Variant], Path] = {}
        self.read: dict[Path, Document] = {}

    def document(self, text: str, variant: Variant = Variant()) -> Document:
        from disclosure_lint.readers import read_document

        path = self(text, variant)
        if path not in self.read:
            self.read[path] = read_document(path)
        return self.read[path]

    def report(self, text: str, variant: Variant = Variant()) -> Report:
        return recognize(self.document(text, variant), self.specs)

    def __call__(self, text: str, variant: Variant = Variant()) -> Path:
        key = (text, variant)
        if key not in self.built:
            from disclosure_lint.readers.text import parse_text

            out = self.folder / f"report-{len(self.built)}.pdf"
            self.built[key] = build_pdf(parse_text(text, str(out)), self.specs, out, variant)
        return self.built[key]
