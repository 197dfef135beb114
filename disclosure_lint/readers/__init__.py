"""File -> Document. One module per format; the format is chosen by content first, then by suffix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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


def read_document(
    path: str | Path, data: bytes | None = None, early: Callable[[Document], None] | None = None
) -> Document:
    """Read any supported file. ``data`` lets editors and stdin pass content for a named path.

    ``early`` may be shown the first part of a long PDF while the rest is still being read.
    """
    p = Path(path)
    if data is None:
        data = read_bounded(p, MAX_FILE_BYTES)
    kind = sniff(p, data[:8])
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(p, data, early)
    if kind == "xlsx":
        from .xlsx import read_xlsx

        return read_xlsx(p, data)
    return read_text(p, data)
