"""PDF reader: published disclosures as Headings, Paragraphs and RawTables with page and bbox.

pdfplumber reads each page's characters and, on pages that draw lines at all, finds the tables
from their ruling lines (``pdftables``); characters outside tables are rebuilt into lines by
vertical overlap (``pdflines``) and joined into paragraphs across line and page breaks
(``pdfprose``). Locations are 1-based pages and ``(x0, top, x1, bottom)`` boxes in points from
the top-left of the page as displayed. Files that cannot be read end in one ``InputError`` line,
never a traceback.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import InputError
from ..model import Document, Location, Problem
from .pdfchars import Char, dedupe, page_chars
from .pdflines import group_lines
from .pdfprose import PageText, build_blocks
from .pdftables import fill, inside, ruled_grids
from .pdfunruled import regions, text_grid

MAX_PDF_BYTES = 100 * 1024 * 1024
MAX_PDF_PAGES = 1000
# A page whose images cover this share of it and that has no text is a scanned page.
_SCAN_COVER = 0.5
# Where a PDF may put its header, and how far from the end its last %%EOF marker may sit.
_HEADER_WINDOW = 1024
_EOF_WINDOW = 2048
# Pages with text read for the cover before a pack is chosen: covers take one, rarely two.
COVER_PAGES = 3


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


def _open(raw: bytes, path: str) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(io.BytesIO(raw))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, PDFPasswordIncorrect):
            raise InputError("PDF 已加密，需要密码才能打开；请提供未加密的文件", path) from None
        if isinstance(cause, PDFEncryptionError):
            raise InputError("PDF 使用了不支持的加密方式，无法读取", path) from None
        raise InputError("PDF 文件已损坏，无法解析", path) from None


def _scanned(page: Page, width: float, height: float) -> bool:
    covered = sum(abs(im["x1"] - im["x0"]) * abs(im["bottom"] - im["top"]) for im in page.images)
    return covered >= _SCAN_COVER * width * height


def _read_page(page: Page, number: int, path: str, problems: list[Problem]) -> PageText:
    width, height = page.width, page.height  # as displayed: pdfplumber applies /Rotate
    out = PageText(number, width, height)
    chars = dedupe(page_chars(page.chars))
    if not chars:
        if page.images and _scanned(page, width, height):
            message = f"第 {number} 页只有图像、没有文本层（可能是扫描页），该页内容未能检查"
            problems.append(Problem("E.PDF-SCAN", message, Location(path, page=number)))
        return out
    ruled = ruled_grids(page) if page.lines or page.rects or page.curves else []
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
    used: set[int] = set()
    for header, body in regions(lines):
        grid = text_grid(page, [lines[i] for i in header], [lines[i] for i in body])
        if grid is not None:
            out.tables.append(fill(grid, [ch for i in header + body for ch in lines[i].chars], path, number))
            used.update(header + body)
    out.lines = [ln for i, ln in enumerate(lines) if i not in used]
    return out


def _pages(pdf: pdfplumber.PDF, path: str) -> list[Page]:
    try:
        pages = pdf.pages
    # A damaged page tree surfaces as whatever pdfminer trips over first.
    except Exception:
        raise InputError("PDF 文件已损坏，无法解析（页面目录无法读取）", path) from None
    if not pages:
        raise InputError("PDF 中没有任何页面", path)
    if len(pages) > MAX_PDF_PAGES:
        raise InputError(f"PDF 页数过多（{len(pages)} 页，上限 {MAX_PDF_PAGES} 页）", path)
    return pages


class PdfSource:
    """An open PDF read page by page: the cover first, enough to tell which pack applies (or that
    none does), then the rest only if the report is checked. Each page is parsed once."""

    def __init__(self, path: Path, data: bytes | None = None) -> None:
        self.path = str(path)
        raw = _read_bytes(path, data)
        _check_envelope(raw, self.path)
        self._pdf = _open(raw, self.path)
        try:
            self._pages = _pages(self._pdf, self.path)
        except InputError:
            self._pdf.close()
            raise
        self._read: list[PageText] = []
        self._problems: list[Problem] = []

    def _read_next(self) -> PageText:
        number = len(self._read) + 1
        page = self._pages[number - 1]
        try:
            text = _read_page(page, number, self.path, self._problems)
        # pdfminer raises many unrelated exception types on damaged content streams; any of
        # them means this page cannot be read, which the user must hear about as a bad file.
        except Exception as exc:
            self.close()
            raise InputError(f"PDF 第 {number} 页内容已损坏，无法解析（{type(exc).__name__}）", self.path) from None
        finally:
            page.close()
        self._read.append(text)
        return text

    def cover(self, enough: Callable[[Document], bool], pages: int = COVER_PAGES) -> Document:
        """The first pages, read until ``enough`` says the cover has been seen or ``pages`` pages with
        text have been read (pages without text, such as a scanned cover, do not count)."""
        with_text = sum(1 for p in self._read if p.lines or p.tables)
        doc = self._blocks(len(self._read))
        while len(self._read) < len(self._pages) and with_text < pages and not (with_text and enough(doc)):
            with_text += bool((page := self._read_next()).lines or page.tables)
            doc = self._blocks(len(self._read))
        if not with_text and len(self._read) == len(self._pages):
            self._no_text()
        return doc

    @property
    def pages_read(self) -> int:
        return len(self._read)

    def document(self) -> Document:
        """The whole report: the pages not yet read are read now."""
        try:
            while len(self._read) < len(self._pages):
                self._read_next()
        finally:
            self.close()
        if not any(p.lines or p.tables for p in self._read):
            self._no_text()
        return Document(self.path, "pdf", build_blocks(self._read, self.path), list(self._problems))

    def _blocks(self, n: int) -> Document:
        # build_blocks drops running headers from the pages it is given: give it copies.
        pages = [replace(p, lines=list(p.lines)) for p in self._read[:n]]
        return Document(self.path, "pdf", build_blocks(pages, self.path), list(self._problems))

    def _no_text(self) -> None:
        self.close()
        raise InputError("PDF 没有文本层（可能是扫描件），需要先进行 OCR 识别", self.path)

    def close(self) -> None:
        self._pdf.close()

    def __enter__(self) -> PdfSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
