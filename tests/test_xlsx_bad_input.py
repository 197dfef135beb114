"""A workbook that cannot be read ends in one Chinese line naming the file and the reason."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from xlsx_factory import Layout

from disclosure_lint.api import read_report
from disclosure_lint.errors import InputError
from disclosure_lint.readers import xlsx, xlsx_file
from disclosure_lint.readers.xlsx import read_xlsx

CJK = re.compile(r"[\u4e00-\u9fff]")


def refused(path, reason: str, read=read_xlsx) -> None:
    """Reading fails with one line that starts with the path and gives the reason in Chinese."""
    with pytest.raises(InputError) as info:
        read(path)
    line = info.value.one_line()
    assert "\n" not in line and CJK.search(info.value.message)
    assert line.startswith(f"{path}")
    assert reason in info.value.message, info.value.message


def rezip(source, target, change) -> None:
    with zipfile.ZipFile(source) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    change(parts)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


@pytest.fixture(scope="module")
def good(make_xlsx):
    return make_xlsx(Layout()).path


def test_truncated_file(good, tmp_path):
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    refused(path, "不是 ZIP")


def test_text_file_named_xlsx(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("部门名称：某某局\n", encoding="utf-8")
    refused(path, "不是有效的 XLSX")


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    refused(path, "没有工作簿内容")


def test_word_document(good, tmp_path):
    path = tmp_path / "report.xlsx"
    rezip(good, path, lambda parts: parts.update({"word/document.xml": b"<w:document/>"}))
    refused(path, "Word")


def test_encrypted_workbook(good, tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with good.open("rb") as fh:
        OOXMLFile(fh).encrypt("secret", out)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(out.getvalue())
    refused(path, "已加密", read_report)


def test_corrupt_sheet_xml(good, tmp_path):
    path = tmp_path / "broken.xlsx"
    rezip(good, path, lambda parts: parts.update({"xl/worksheets/sheet2.xml": b"<worksheet><sheetData><row>"}))
    refused(path, "已损坏")


def test_damaged_compressed_data(good, tmp_path):
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("xl/worksheets/sheet4.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 20, start + 60):
        data[i] ^= 0xFF
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    refused(path, "损坏")


def test_merged_range_over_the_whole_sheet_is_refused_before_loading(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "收入支出决算总表"
    path = tmp_path / "huge-merge.xlsx"
    wb.save(path)
    rezip(
        path,
        path,
        lambda parts: parts.update(
            {
                "xl/worksheets/sheet1.xml": parts["xl/worksheets/sheet1.xml"].replace(
                    b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
                )
            }
        ),
    )
    refused(path, f"超过 {xlsx_file.MAX_CELLS}")


@pytest.mark.parametrize(
    ("module", "limit", "reason"),
    [
        (xlsx_file, "MAX_XLSX_BYTES", "文件过大"),
        (xlsx_file, "MAX_UNPACKED_BYTES", "解压后内容过大"),
        (xlsx_file, "MAX_CELLS", "单元格过多"),
        (xlsx, "MAX_GRID_CELLS", "表格范围过大"),
    ],
)
def test_limits(good, monkeypatch, module, limit, reason):
    monkeypatch.setattr(module, limit, 1000)
    refused(good, reason)


def test_limits_apply_to_content_passed_in_memory(good, monkeypatch):
    monkeypatch.setattr(xlsx_file, "MAX_XLSX_BYTES", 1000)
    refused(good, "文件过大", lambda p: read_xlsx(p, good.read_bytes()))


def test_empty_workbook(tmp_path):
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    refused(path, "没有任何内容")


def test_workbook_without_disclosure_tables(tmp_path, pack):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["品名", "数量", "单价"])
    ws.append(["打印纸", 20, 25.5])
    path = tmp_path / "purchases.xlsx"
    wb.save(path)
    refused(path, "看起来不是部门预决算公开报告", lambda p: read_report(p, pack))
