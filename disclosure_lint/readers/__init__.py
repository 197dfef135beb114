"""File -> Document. One module per format; the format is chosen by content first, then by suffix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from ..model import Document
from .files import MAX_FILE_BYTES, read_bounded
from .text import read_text

# Encrypted workbooks and old .xls files are OLE containers; the XLSX reader explains both.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
PDF_SUFFIXES = {".pdf"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | XLSX_SUFFIXES


def sniff(path: Path, head: bytes) -> str:
    """Decide the format from the first bytes, so a mis-named file still gets the right reader."""
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"PK\x03\x04", OLE_MAGIC)):
        return "xlsx"
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    return "text"


class DocumentSource(Protocol):
    """A file being read: its cover first (to choose a pack), then the whole document."""

    def cover(self, enough: Callable[[Document], bool]) -> Document: ...

    def document(self) -> Document: ...

    def close(self) -> None: ...

    def __enter__(self) -> DocumentSource: ...

    def __exit__(self, *exc: object) -> None: ...


class _Whole:
    """Text and XLSX files are read at once, so their cover is the whole document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def cover(self, enough: Callable[[Document], bool]) -> Document:
        return self.doc

    def document(self) -> Document:
        return self.doc

    def close(self) -> None:
        """Nothing stays open."""

    def __enter__(self) -> _Whole:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_document(path: str | Path, data: bytes | None = None) -> DocumentSource:
    """Open any supported file. ``data`` lets editors and stdin pass content for a named path.

    A PDF is read page by page: ``cover()`` parses only the first pages, ``document()`` the rest;
    where the worker allows it, another process starts reading them at once (``readers.pdfsplit``)."""
    p = Path(path)
    if data is None:
        data = read_bounded(p, MAX_FILE_BYTES)
    kind = sniff(p, data[:8])
    if kind == "pdf":
        from .pdf import PdfSource

        return PdfSource(p, data)
    if kind == "xlsx":
        from .xlsx import read_xlsx

        return _Whole(read_xlsx(p, data))
    return _Whole(read_text(p, data))


def read_document(path: str | Path, data: bytes | None = None) -> Document:
    """Read any supported file completely."""
    with open_document(path, data) as source:
        return source.document()
