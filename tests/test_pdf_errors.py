"""PDFs that cannot be checked end in one clear Chinese line (exit status 2), never a traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hostile import plain_pdf as _pdf
from reportlab.lib.pdfencrypt import StandardEncryption

from disclosure_lint.api import read_report
from disclosure_lint.cli import main
from disclosure_lint.errors import InputError
from disclosure_lint.readers import pdf as pdf_reader
from disclosure_lint.readers import read_document


def _message(path) -> str:
    with pytest.raises(InputError) as info:
        read_document(path)
    line = info.value.one_line()
    assert "\n" not in line and line.startswith(str(path))
    return info.value.message


def test_scanned_pdf_needs_ocr(tmp_path):
    path = _pdf(tmp_path / "scan.pdf", [[], []], image_page=1)
    assert _message(path) == "PDF 没有文本层（可能是扫描件），需要先进行 OCR 识别"


def test_scanned_page_inside_a_text_pdf_is_reported(tmp_path):
    path = _pdf(tmp_path / "mixed.pdf", [["2024年度部门决算"], [], ["一、收入支出决算总体情况说明"]], image_page=2)
    doc = read_document(path)
    assert [(p.code, p.loc.page) for p in doc.problems] == [("E.PDF-SCAN", 2)]


def test_encrypted_pdf(tmp_path):
    path = _pdf(tmp_path / "locked.pdf", [["2024年度部门决算"]], encrypt=StandardEncryption("secret", "owner"))
    assert "已加密" in _message(path)


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    assert _message(path) == "PDF 文件已损坏，无法解析"


def test_truncated_pdf(tmp_path):
    whole = _pdf(tmp_path / "whole.pdf", [["2024年度部门决算"] * 20] * 3).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    assert "不完整" in _message(path)


def test_not_a_pdf_named_pdf(tmp_path):
    path = tmp_path / "page.pdf"
    path.write_text("<html><body>部门决算</body></html>", encoding="utf-8")
    assert "不是有效的 PDF" in _message(path)


def test_size_and_page_limits(tmp_path, monkeypatch):
    path = _pdf(tmp_path / "two.pdf", [["甲"], ["乙"]])
    monkeypatch.setattr(pdf_reader, "MAX_PDF_PAGES", 1)
    assert _message(path) == "PDF 页数过多（2 页，上限 1 页）"
    monkeypatch.setattr(pdf_reader, "MAX_PDF_BYTES", 100)
    assert "PDF 文件过大" in _message(path)
    with pytest.raises(InputError, match="PDF 文件过大"):
        read_document(path, data=path.read_bytes())


def test_pdf_without_disclosure_tables(tmp_path, pack):
    path = _pdf(tmp_path / "minutes.pdf", [["会议纪要", "会议讨论了下一年度的工作安排。"]])
    with pytest.raises(InputError, match="看起来不是部门预决算公开报告"):
        read_report(path, pack)
    with pytest.raises(InputError, match="看起来不是部门预决算公开报告"):
        read_report(path)


def test_batch_reports_each_bad_pdf_and_goes_on(tmp_path, make_pdf, example_text):
    good = make_pdf(example_text)
    scan = _pdf(tmp_path / "scan.pdf", [[]], image_page=1)
    locked = _pdf(tmp_path / "locked.pdf", [["2024年度部门决算"]], encrypt=StandardEncryption("secret", "owner"))
    result = CliRunner().invoke(main, ["check", "--pack", "cn-final-accounts-2024", str(scan), str(good), str(locked)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    inputs = [ln for ln in lines if " E.INPUT " in ln]
    assert len(inputs) == 2
    assert inputs[0].startswith(f"{scan}: error E.INPUT PDF 没有文本层")
    assert inputs[1].startswith(f"{locked}: error E.INPUT PDF 已加密")
    assert lines[-1].startswith("检查了 3 个文件")


def test_pdf_bytes_are_read_like_the_file(tmp_path):
    path = _pdf(tmp_path / "short.pdf", [["2024年度部门决算", "一、收入支出决算总体情况说明"]])
    from_bytes = read_document(tmp_path / "named-only.pdf", data=path.read_bytes())
    assert [b.text for b in from_bytes.blocks] == [b.text for b in read_document(path).blocks]
    assert [b.text for b in from_bytes.blocks] == ["2024年度部门决算", "一、收入支出决算总体情况说明"]
