"""Opening an XLSX file safely: every way it can be unreadable ends in a one-line ``InputError``.

The checks run on the zip directory and the raw sheet XML before openpyxl builds any object, so a
zip bomb, a huge merged range or a million cells is refused cheaply. Encrypted workbooks are OLE
containers, not zips, and are told apart from old ``.xls`` files by their ``EncryptedPackage``
stream.
"""

from __future__ import annotations

import re
import warnings
import zipfile
import zlib
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from openpyxl.workbook import Workbook

from ..errors import InputError
from . import OLE_MAGIC
from .files import read_bounded

MAX_XLSX_BYTES = 20 * 1024 * 1024
"""Size of the file itself; a disclosure workbook is well under 1 MB."""
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
"""Sum of the uncompressed parts (zip-bomb guard)."""
MAX_CELLS = 200_000
"""Cells in all worksheets, merged areas counted in full; a disclosure has a few thousand."""

_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')


def _mb(n: int) -> int:
    return n // 1024 // 1024


def _scan(data: bytes, path: str) -> bool:
    """Refuse what cannot be a readable workbook; return whether any sheet holds a formula."""
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise InputError("工作簿已加密（设有打开密码），请在 Excel 中取消密码并另存后再检查", path)
        raise InputError("是旧版 Office 二进制文件（如 Excel 97-2003 的 .xls），请另存为 .xlsx 后再检查", path)
    try:
        zf = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError("不是有效的 XLSX 文件：不是 ZIP 压缩包，文件可能已损坏或被截断", path) from None
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if "word/document.xml" in names:
            raise InputError("是 Word 文档而不是 Excel 工作簿", path)
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise InputError("不是 Excel 工作簿：压缩包中没有工作簿内容", path)
        if any(i.flag_bits & 0x1 for i in infos):
            raise InputError("压缩包内容已加密，无法读取", path)
        if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            raise InputError(f"解压后内容过大（超过 {_mb(MAX_UNPACKED_BYTES)} MB）", path)
        cells = 0
        formulas = False
        for info in infos:
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            try:
                part = zf.read(info)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
                raise InputError(f"文件已损坏：{info.filename} 无法解压", path) from None
            cells += len(_CELL_TAG.findall(part))
            for c1, r1, c2, r2 in _MERGE.findall(part):
                width = column_index_from_string(c2.decode()) - column_index_from_string(c1.decode()) + 1
                cells += max(width, 1) * max(int(r2) - int(r1) + 1, 1)
            formulas = formulas or bool(_FORMULA_TAG.search(part))
            if cells > MAX_CELLS:
                raise InputError(f"单元格过多（超过 {MAX_CELLS} 个，含合并区域）", path)
    return formulas


def _reason(exc: Exception) -> str:
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError)):
        return "压缩数据损坏"
    if isinstance(exc, KeyError):
        return "缺少必需的组成部分"
    if "XML" in str(exc) or type(exc).__name__ == "ParseError":
        return "XML 内容无效"
    return "结构不符合 XLSX 格式"


def _load(data: bytes, path: str, data_only: bool) -> Workbook:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(BytesIO(data), data_only=data_only, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds of errors on malformed parts
        raise InputError(f"工作簿已损坏，无法读取（{_reason(exc)}）", path) from None


def open_workbooks(file: Path, data: bytes | None = None) -> tuple[Workbook, Workbook | None]:
    """The workbook with cached formula results and, only if it has formulas, the one with formulas."""
    path = str(file)
    if data is None:
        data = read_bounded(file, MAX_XLSX_BYTES)
    if len(data) > MAX_XLSX_BYTES:
        raise InputError(f"文件过大（超过 {_mb(MAX_XLSX_BYTES)} MB）", path)
    has_formulas = _scan(data, path)
    values = _load(data, path, data_only=True)
    return values, (_load(data, path, data_only=False) if has_formulas else None)
