"""Hostile and unlucky inputs, made on the spot: damaged and locked PDFs, pipes, devices, loops."""

from __future__ import annotations

import os
import re
import socket
from pathlib import Path

import pikepdf
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

# 公开03表 合计 row of the example: a 27-digit amount in place of 本年支出合计 4384.83.
HUGE = "123456789012345678901234567.89"
HUGE_AT = ("合计\t\t4384.83\t524.12", f"合计\t\t{HUGE}\t524.12")

# Encryption of a PDF that opens without a password: RC4-40 (R2), RC4-128 (R3), AES-128 (R4), AES-256 (R6).
OWNER_ONLY = {
    "RC4-40": pikepdf.Encryption(owner="o", user="", R=2, aes=False, metadata=False),
    "RC4-128": pikepdf.Encryption(owner="o", user="", R=3, aes=False, metadata=False),
    "AES-128": pikepdf.Encryption(owner="o", user="", R=4, aes=True),
    "AES-256": pikepdf.Encryption(owner="o", user="", R=6),
}


def plain_pdf(path: Path, pages: list[list[str]], encrypt=None, image_page: int | None = None) -> Path:
    """A plain PDF: each page holds its lines of text; ``image_page`` holds only a full-page picture."""
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    for number, lines in enumerate(pages, start=1):
        if number == image_page:
            picture = Image.new("RGB", (60, 80), "white")
            c.drawImage(ImageReader(picture), 0, 0, width=A4[0], height=A4[1])
        c.setFont(FONT, 12)
        for i, text in enumerate(lines):
            c.drawString(72, A4[1] - 100 - 20 * i, text)
        c.showPage()
    c.save()
    return path


def damaged_pdf(path: Path) -> Path:
    """A non-number in the page's /MediaBox: pdfminer fails while reading the page tree."""
    plain_pdf(path, [["2024年度部门决算", "一、收入支出决算总体情况说明"]])
    raw = path.read_bytes()
    damaged, n = re.subn(rb"/MediaBox \[ 0 0 [\d.]+", b"/MediaBox [ 0 0 abc", raw)
    assert n == 1
    path.write_bytes(damaged)
    return path


def not_report_pdf(path: Path) -> Path:
    return plain_pdf(path, [["会议纪要", "会议讨论了下一年度的工作安排。"]])


def owner_locked(source: Path, path: Path, method: str = "RC4-128") -> Path:
    """``source`` with copying and printing restricted by an owner password, openable without one."""
    with pikepdf.open(source) as pdf:
        pdf.save(path, encryption=OWNER_ONLY[method])
    return path


def user_locked(source: Path, path: Path) -> Path:
    with pikepdf.open(source) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="o", user="secret", R=4))
    return path


def huge_amount(text: str) -> str:
    """The report text with one table amount of 27 digits."""
    assert HUGE_AT[0] in text
    return text.replace(*HUGE_AT, 1)


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def unix_socket(path: Path) -> socket.socket:
    """A listening socket at ``path``; the caller closes it."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    return sock


def symlink_loop(path: Path) -> Path:
    path.symlink_to(path.name)
    return path


def endless(path: Path) -> Path:
    """A report name that leads to /dev/zero, which claims to hold nothing and never ends."""
    path.symlink_to("/dev/zero")
    return path
