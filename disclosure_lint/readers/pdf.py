"""PDF reader: published disclosures as Headings, Paragraphs and RawTables with page and bbox.

Glyphs come from pdfium (``pdfchars``), tables from pdfplumber's ruling-line detection on the
pages that draw lines at all (``pdftables``), prose from lines rebuilt by vertical overlap
(``pdflines``) and joined into paragraphs across line and page breaks (``pdfprose``). Locations
are 1-based pages and ``(x0, top, x1, bottom)`` boxes in points from the top-left of the page as
displayed. Files that cannot be read end in one ``InputError`` line, never a traceback.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.page import Page

from ..errors import InputError
from ..model import Document, Location, Problem
from .pdfchars import Box, Char, dedupe, page_chars, page_has_paths
from .pdflines import group_lines
from .pdfprose import PageText, build_blocks
from .pdftables import Grid, fill, inside, ruled_grids, text_grid, unruled_regions

MAX_PDF_BYTES = 100 * 1024 * 1024
MAX_PDF_PAGES = 1000
# A page whose images cover this share of it and that has no text is a scanned page.
_SCAN_COVER = 0.5
# Where a PDF may put its header, and how far from the end its last %%EOF marker may sit.
_HEADER_WINDOW = 1024
_EOF_WINDOW = 2048


def _read_bytes(path: Path, data: bytes | None) -> bytes:
    spath = str(path)
    limit = f"PDF 文件过大（超过 {MAX_PDF_BYTES // 1024 // 1024} MB 的上限）"
    if data is not None:
        if len(data) > MAX_PDF_BYTES:
            raise InputError(limit, spath)
        return data
    try:
        if path.stat().st_size > MAX_PDF_BYTES:
            raise InputError(limit, spath)
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}", spath) from None


def _check_envelope(raw: bytes, path: str) -> None:
    """The file must start like a PDF and end like one; a cut-off download loses its tail."""
    if b"%PDF-" not in raw[:_HEADER_WINDOW]:
        raise InputError("不是有效的 PDF 文件（缺少 %PDF 文件头）", path)
    if b"%%EOF" not in raw[-_EOF_WINDOW:]:
        raise InputError("PDF 文件不完整（缺少文件结尾标记，可能下载中断或被截断）", path)


def _open_pdfium(raw: bytes, path: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise InputError("PDF 已加密，需要密码才能打开；请提供未加密的文件", path) from None
        if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise InputError("PDF 使用了不支持的加密方式，无法读取", path) from None
        raise InputError("PDF 文件已损坏，无法解析", path) from None


def _scanned(page: pdfium.PdfPage, width: float, height: float) -> bool:
    covered = 0.0
    for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        left, bottom, right, top = image.get_pos()
        covered += abs(right - left) * abs(top - bottom)
    return covered >= _SCAN_COVER * width * height


class _Tables:
    """pdfplumber, opened only if some page draws lines, and asked only about those pages."""

    def __init__(self, raw: bytes, path: str) -> None:
        self.raw = raw
        self.path = path
        self.pdf: pdfplumber.PDF | None = None

    @contextmanager
    def page(self, index: int) -> Iterator[Page]:
        try:
            if self.pdf is None:
                self.pdf = pdfplumber.open(io.BytesIO(self.raw))
            yield self.pdf.pages[index]
        # pdfminer raises many unrelated exception types on damaged content streams; any of them
        # means this page cannot be read, which the user must hear about as a bad file.
        except Exception as exc:
            raise InputError(f"PDF 第 {index + 1} 页内容已损坏，无法解析（{type(exc).__name__}）", self.path,
                             where=f"page {index + 1}") from None

    def ruled(self, index: int) -> list[Grid]:
        with self.page(index) as page:
            return ruled_grids(page)

    def unruled(self, index: int, boxes: list[Box]) -> list[Grid | None]:
        with self.page(index) as page:
            return [text_grid(page, box) for box in boxes]

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _page_text(number: int, width: float, height: float, chars: list[Char], ruled: list[Grid],
               tables: _Tables, path: str) -> PageText:
    out = PageText(number, width, height)
    in_table: list[list[Char]] = [[] for _ in ruled]
    prose: list[Char] = []
    for ch in chars:
        for t, grid in enumerate(ruled):
            if inside(ch, grid.bbox):
                in_table[t].append(ch)
                break
        else:
            prose.append(ch)
    out.tables = [fill(grid, cs, path, number) for grid, cs in zip(ruled, in_table, strict=True)]
    lines = group_lines(prose)
    regions = unruled_regions(lines)
    if regions:
        grids = tables.unruled(number - 1, [box for box, _ in regions])
        used: set[int] = set()
        for (_, indices), grid in zip(regions, grids, strict=True):
            if grid is None:
                continue
            cs = [ch for i in indices for ch in lines[i].chars]
            out.tables.append(fill(grid, cs, path, number))
            used.update(indices)
        lines = [ln for i, ln in enumerate(lines) if i not in used]
    out.lines = lines
    return out


def read_pdf(path: Path, data: bytes | None = None) -> Document:
    """Read a PDF disclosure. Tables keep pdfplumber's grid; prose is rebuilt into paragraphs."""
    spath = str(path)
    raw = _read_bytes(path, data)
    _check_envelope(raw, spath)
    pdf = _open_pdfium(raw, spath)
    tables = _Tables(raw, spath)
    pages: list[PageText] = []
    problems: list[Problem] = []
    try:
        count = len(pdf)
        if count == 0:
            raise InputError("PDF 中没有任何页面", spath)
        if count > MAX_PDF_PAGES:
            raise InputError(f"PDF 页数过多（{count} 页，上限 {MAX_PDF_PAGES} 页）", spath)
        for index in range(count):
            page = pdf[index]
            try:
                width, height = page.get_size()
                chars = dedupe(page_chars(page))
                ruled_page = page_has_paths(page)
                if not chars and _scanned(page, width, height):
                    problems.append(Problem("E.PDF-SCAN", f"第 {index + 1} 页只有图像、没有文本层（可能是扫描页），"
                                                          "该页内容未能检查", Location(spath, page=index + 1)))
            finally:
                page.close()
            ruled = tables.ruled(index) if ruled_page and chars else []
            pages.append(_page_text(index + 1, width, height, chars, ruled, tables, spath))
    finally:
        tables.close()
        pdf.close()
    if not any(p.lines or p.tables for p in pages):
        raise InputError("PDF 没有文本层（可能是扫描件），需要先进行 OCR 识别", spath)
    return Document(spath, "pdf", build_blocks(pages, spath), problems)
