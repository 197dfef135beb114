"""PDF reader: published disclosures as Headings, Paragraphs and RawTables with page and bbox.

pdfplumber reads each page's characters and, on pages that draw lines at all, finds the tables
from their ruling lines (``pdftables``); characters outside tables are rebuilt into lines by
vertical overlap (``pdflines``) and joined into paragraphs across line and page breaks
(``pdfprose``). Pages whose fonts pdfium reads exactly as pdfminer does are read by pdfium, much
faster (``pdfium``). Locations are 1-based pages and ``(x0, top, x1, bottom)`` boxes in points from
the top-left of the page as displayed. Files that cannot be read end in one ``InputError`` line,
never a traceback.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import InputError
from ..forked import Local, Split
from ..model import Document, Location, PageFact, Problem
from .files import read_bounded
from .pdfchars import Char, dedupe, page_chars
from .pdfium import PdfDocument, PdfiumPage, open_document
from .pdflines import group_lines
from .pdfprose import PageText, build_blocks, settle
from .pdfsplit import open_pages
from .pdftables import TableSource, fill, inside, ruled_grids
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
_PASSWORD = "PDF 已加密，需要密码才能打开；请提供未加密的文件"


def _read_bytes(path: Path, data: bytes | None) -> bytes:
    if data is None:
        data = read_bounded(path, MAX_PDF_BYTES)
    if len(data) > MAX_PDF_BYTES:
        raise InputError(f"PDF 文件过大（超过 {MAX_PDF_BYTES // 1024 // 1024} MB 的上限）", str(path))
    return data


def _check_envelope(raw: bytes, path: str) -> None:
    """The file must start like a PDF and end like one; a cut-off download loses its tail."""
    if b"%PDF-" not in raw[:_HEADER_WINDOW]:
        raise InputError("不是有效的 PDF 文件（缺少 %PDF 文件头）", path)
    if b"%%EOF" not in raw[-_EOF_WINDOW:]:
        raise InputError("PDF 文件不完整（缺少文件结尾标记，可能下载中断或被截断）", path)


def _decrypted(raw: bytes, path: str) -> bytes:
    """An encrypted PDF that opens without a password (only copying or printing is restricted),
    decrypted once in memory by qpdf; pdfminer would decrypt every stream in pure Python, for minutes."""
    if b"/Encrypt" not in raw:
        return raw
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(raw)) as pdf:
            if not pdf.is_encrypted:
                return raw
            out = io.BytesIO()
            pdf.save(out)
            return out.getvalue()
    except pikepdf.PasswordError:
        raise InputError(_PASSWORD, path) from None
    except Exception:  # qpdf's errors on a damaged encrypted file come in several types
        raise InputError("PDF 已加密且文件已损坏，无法解密读取", path) from None


class _Complaints(logging.Handler):
    """Collects what pdfminer logs about a damaged file, instead of letting it reach stderr."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def _quiet_pdfminer() -> Iterator[_Complaints]:
    logger = logging.getLogger("pdfminer")
    handler = _Complaints()
    saved = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = saved


def _open(raw: bytes, path: str) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(io.BytesIO(raw))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, PDFPasswordIncorrect):
            raise InputError(_PASSWORD, path) from None
        if isinstance(cause, PDFEncryptionError):
            raise InputError("PDF 使用了不支持的加密方式，无法读取", path) from None
        raise InputError("PDF 文件已损坏，无法解析", path) from None


# Set to ``pdfplumber`` to read every page with pdfplumber, the reference the pdfium pages are tested against.
READER_ENV = "DISCLOSURE_LINT_PDF_READER"


class PlumberPage:
    """A page read by pdfplumber (pdfminer): the reference reading, and the one for pages pdfium may misread."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.width, self.height = page.width, page.height  # as displayed: pdfplumber applies /Rotate

    def chars(self) -> list[Char]:
        return page_chars(self.page.chars)

    def draws_paths(self) -> bool:
        return bool(self.page.lines or self.page.rects or self.page.curves)

    def drawing_count(self) -> int:
        p = self.page
        return len(p.lines) + len(p.rects) + len(p.curves) + len(p.images)

    def scanned(self) -> bool:
        covered = sum(abs(im["x1"] - im["x0"]) * abs(im["bottom"] - im["top"]) for im in self.page.images)
        return covered >= _SCAN_COVER * self.width * self.height

    def find_tables(self, settings: dict) -> list:
        return self.page.find_tables(settings)


def _read_page(page: TableSource, number: int, path: str, problems: list[Problem]) -> PageText:
    width, height = page.width, page.height
    out = PageText(number, width, height)
    chars = dedupe(page.chars())
    out.chars, out.drawings = len(chars), page.drawing_count()
    if not chars:
        if page.scanned():
            message = f"第 {number} 页只有图像、没有文本层（可能是扫描页），该页内容未能检查"
            problems.append(Problem("E.PDF-SCAN", message, Location(path, page=number)))
        return out
    ruled = ruled_grids(page) if page.draws_paths() else []
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
    out.lines = [settle(ln) for i, ln in enumerate(lines) if i not in used]
    return out


def _out_of_memory(exc: BaseException) -> bool:
    """pdfplumber wraps what pdfminer raises, a MemoryError included."""
    return isinstance(exc, MemoryError) or any(isinstance(a, MemoryError) for a in exc.args)


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


# A page read: its text, the problems found on it, and how many structure errors pdfminer met there.
_Read = tuple[PageText, list[Problem], int]


def _fast_page(doc: PdfDocument | None, number: int) -> PdfiumPage | None:
    """The page through pdfium when it passes pdfium's safety checks; pdfium trouble means pdfplumber reads it."""
    if doc is None:
        return None
    try:
        return PdfiumPage.safe(doc[number - 1])
    except Exception:
        return None


class PdfSource:
    """An open PDF read page by page: the cover first, enough to tell which pack applies (or that
    none does), then the rest only if the report is checked. Each page is parsed once. Where the
    worker allows it, a second process starts reading from the last page as soon as the file is
    open (``pdfsplit``), while this one reads the cover and prepares the pack.

    What pdfminer complains about while the file is open is counted, not printed: a file with
    structure errors that still reads gets E.PDF-DAMAGED, one that does not says how damaged it is.
    """

    def __init__(self, path: Path, data: bytes | None = None) -> None:
        self.path = str(path)
        raw = _read_bytes(path, data)
        _check_envelope(raw, self.path)
        raw = _decrypted(raw, self.path)
        self._stack = ExitStack()
        self._complaints = self._stack.enter_context(_quiet_pdfminer())
        self._pdf: pdfplumber.PDF | None = None
        self._fast: PdfDocument | None = None
        self._split: Local[_Read] | Split[_Read] = Local(self._read_one)
        self._read: list[PageText] = []
        self._problems: list[Problem] = []
        self._size = len(raw)
        try:
            with self._explained():
                self._pdf = _open(raw, self.path)
                self._pages = _pages(self._pdf, self.path)
        except BaseException:
            self.close()
            raise
        self._damage = self._complaints.count
        fast = open_document(raw) if os.environ.get(READER_ENV) != "pdfplumber" else None
        if fast is not None and len(fast) != len(self._pages):
            fast.close()
            fast = None
        self._fast = fast
        self._split = open_pages(len(self._pages), self._read_one)

    @contextmanager
    def _explained(self) -> Iterator[None]:
        """A file that cannot be read says how many structure errors pdfminer met on the way."""
        try:
            yield
        except InputError as exc:
            if self._complaints.count:
                exc.message += f"（解析时发现 {self._complaints.count} 处结构错误）"
            self.close()
            raise

    def _read_one(self, number: int) -> _Read:
        """One page, the problems found on it and how many structure errors pdfminer met there
        (counted per page, so that pages read in another process count too)."""
        page = self._pages[number - 1]
        source = _fast_page(self._fast, number) or PlumberPage(page)
        found: list[Problem] = []
        start = self._complaints.count
        try:
            return _read_page(source, number, self.path, found), found, self._complaints.count - start
        # pdfminer raises many unrelated exception types on damaged content streams; any of
        # them means this page cannot be read, which the user must hear about as a bad file.
        except Exception as exc:
            if _out_of_memory(exc):
                raise MemoryError from None  # the file needs more than the worker may take
            raise InputError(f"PDF 第 {number} 页内容已损坏，无法解析", self.path) from None
        finally:
            if isinstance(source, PdfiumPage):
                source.close()
            page.close()

    def _keep(self, read: _Read) -> None:
        text, found, damage = read
        self._read.append(text)
        self._problems.extend(found)
        self._damage += damage

    def cover(self, enough: Callable[[Document], bool], pages: int = COVER_PAGES) -> Document:
        """The first pages, read until ``enough`` says the cover has been seen or ``pages`` pages with
        text have been read (pages without text, such as a scanned cover, do not count)."""
        with_text = sum(1 for p in self._read if p.lines or p.tables)
        doc = self._blocks()
        while len(self._read) < len(self._pages) and with_text < pages and not (with_text and enough(doc)):
            with self._explained():
                self._keep(self._split.get(len(self._read) + 1))
            with_text += bool(self._read[-1].lines or self._read[-1].tables)
            doc = self._blocks()
        if not with_text and len(self._read) == len(self._pages):
            self._no_text()
        return doc

    @property
    def pages_read(self) -> int:
        return len(self._read)

    def document(self) -> Document:
        """The whole report: the pages not yet read are read now (those the second process has read
        are taken from it)."""
        try:
            with self._explained():
                while len(self._read) < len(self._pages):
                    self._keep(self._split.get(len(self._read) + 1))
        finally:
            self.close()
        if not any(p.lines or p.tables for p in self._read):
            self._no_text()
        problems = list(self._problems)
        if self._damage:
            message = (
                f"PDF 文件有 {self._damage} 处结构错误（可能已损坏），已尽量读取；若有表格或文字未能读出，"
                "相关检查的结果并不完整，请核对原文件"
            )
            problems.append(Problem("E.PDF-DAMAGED", message, Location(self.path)))
        facts = [PageFact(p.number, p.chars, p.drawings) for p in self._read]
        blocks, running = build_blocks(self._read, self.path)
        return Document(self.path, "pdf", blocks, problems, running=running, pages=facts, size=self._size)

    def _blocks(self) -> Document:
        # build_blocks drops running headers from the pages it is given: give it copies.
        pages = [replace(p, lines=list(p.lines)) for p in self._read]
        blocks, running = build_blocks(pages, self.path)
        return Document(self.path, "pdf", blocks, list(self._problems), running=running)

    def _no_text(self) -> None:
        self.close()
        if self._damage:
            raise InputError(f"PDF 文件已损坏，页面内容无法读取（解析时发现 {self._damage} 处结构错误）", self.path)
        raise InputError("PDF 没有文本层（可能是扫描件），需要先进行 OCR 识别", self.path)

    def close(self) -> None:
        self._split.close()
        # pdfplumber's own close() walks the page tree again, and on a damaged one raises again.
        if self._pdf is not None:
            self._pdf.flush_cache()
            self._pdf = None
        if self._fast is not None:
            self._fast.close()
            self._fast = None
        self._stack.close()

    def __enter__(self) -> PdfSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_pdf(path: Path, data: bytes | None = None) -> Document:
    """Read a whole PDF disclosure. Tables keep pdfplumber's grid; prose is rebuilt into paragraphs."""
    with PdfSource(path, data) as source:
        return source.document()
