"""Damaged and locked PDFs: one clear line each, nothing on stderr, the rest of the batch checked."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pdfplumber
import pytest
from hostile import OWNER_ONLY, damaged_pdf, not_report_pdf, owner_locked, plain_pdf, user_locked
from mutate import seed_text
from pdfminer.pdfdocument import PDFStandardSecurityHandler, PDFStandardSecurityHandlerV4
from pdfplumber.utils.exceptions import PdfminerException

from disclosure_lint.errors import InputError
from disclosure_lint.readers import read_document


def _refusal(path) -> str:
    with pytest.raises(InputError) as info:
        read_document(path)
    return info.value.message


def _content(doc) -> list:
    """Text of every block and of every table cell, without locations (the paths differ)."""
    return [b.text if hasattr(b, "text") else [[c.text for c in row] for row in b.rows] for b in doc.blocks]


def _check(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "check", "--format", "json", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_damaged_page_tree_is_refused_cleanly(tmp_path):
    assert _refusal(damaged_pdf(tmp_path / "bad.pdf")).startswith("PDF 文件已损坏，无法解析（页面目录无法读取）")


def test_damaged_pdf_does_not_end_the_batch_nor_write_to_stderr(tmp_path, fixed_example):
    bad = damaged_pdf(tmp_path / "bad.pdf")
    run = _check(bad, fixed_example, tmp_path / "missing.txt")
    assert run.stderr == ""
    assert run.returncode == 1
    found = json.loads(run.stdout)
    missing = str(tmp_path / "missing.txt")
    assert [(f["path"], f["rule"]) for f in found] == [(str(bad), "E.INPUT"), (missing, "E.INPUT")]


def test_damage_pdfminer_complains_about_is_not_called_a_scan(tmp_path):
    path = plain_pdf(tmp_path / "broken.pdf", [["2024年度部门决算"]])
    # The content stream's keyword damaged: pdfminer logs a complaint and reads no text at all.
    path.write_bytes(path.read_bytes().replace(b"stream\n", b"strem\n"))
    assert _refusal(path) == "PDF 文件已损坏，页面内容无法读取（解析时发现 1 处结构错误）"


def test_damage_that_still_reads_is_reported_as_a_warning(tmp_path):
    path = plain_pdf(tmp_path / "dented.pdf", [["2024年度部门决算", "一、收入支出决算总体情况说明"]])
    raw = path.read_bytes()
    # The cross-reference entry of the document information (not needed to read the text) unreadable.
    info = int(re.search(rb"/Info (\d+) 0 R", raw).group(1))
    start = raw.rindex(b"\nxref\n")
    lines = raw[start:].split(b"\n")
    entry = 3 + info  # "", "xref", "0 N", then one line per object from 0
    lines[entry] = b"zzzzzzzzzz" + lines[entry][10:]
    path.write_bytes(raw[:start] + b"\n".join(lines))
    doc = read_document(path)
    assert [b.text for b in doc.blocks] == ["2024年度部门决算", "一、收入支出决算总体情况说明"]
    [problem] = doc.problems
    assert problem.code == "E.PDF-DAMAGED" and problem.message.startswith("PDF 文件有 1 处结构错误")


def test_user_password_is_still_refused(tmp_path):
    plain = plain_pdf(tmp_path / "plain.pdf", [["2024年度部门决算"]])
    assert "需要密码才能打开" in _refusal(user_locked(plain, tmp_path / "locked.pdf"))


@pytest.mark.parametrize("method", sorted(OWNER_ONLY))
def test_owner_password_only_is_read_like_the_plain_file(tmp_path, monkeypatch, make_pdf, method):
    plain = make_pdf(seed_text())
    locked = owner_locked(plain, tmp_path / f"{method}.pdf", method)
    assert b"/Encrypt" in locked.read_bytes()

    def pure_python_decryption(*args, **kwargs):
        raise AssertionError("pdfminer decrypts in pure Python, for minutes on a real report")

    for handler in (PDFStandardSecurityHandler, PDFStandardSecurityHandlerV4):
        monkeypatch.setattr(handler, "decrypt", pure_python_decryption)
    with pytest.raises(PdfminerException, match="pure Python"), pdfplumber.open(locked) as pdf:
        assert pdf.pages[0].chars  # the old way: pdfminer on the locked file
    content = _content(read_document(locked))
    assert content == _content(read_document(plain))
    assert len(content) > 20


def test_non_report_pdf_is_not_told_to_use_a_pack(tmp_path):
    path = not_report_pdf(tmp_path / "minutes.pdf")
    run = _check(path)
    assert run.returncode == 1
    [finding] = json.loads(run.stdout)
    assert finding["rule"] == "E.INPUT"
    assert finding["message"].startswith("看起来不是部门预决算公开报告")
    assert "--pack" not in finding["message"]
