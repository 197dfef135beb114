"""Files that are not what their name says: pipes, devices, sockets, loops, unreadable paths,
encodings other than UTF-8. Each ends in one clear reason, and nothing blocks or reads without end."""

from __future__ import annotations

import os
import stat

import pytest
from conftest import EXAMPLE
from hostile import endless, fifo, symlink_loop, unix_socket
from privileges import cli, require_permissions

from disclosure_lint.errors import InputError
from disclosure_lint.readers import read_document
from disclosure_lint.readers import text as text_reader
from disclosure_lint.readers.files import read_bounded


def _refusal(path) -> str:
    with pytest.raises(InputError) as info:
        read_document(path)
    assert info.value.path == str(path)
    return info.value.message


def test_fifo_named_txt_is_refused_without_blocking(tmp_path):
    assert _refusal(fifo(tmp_path / "report.txt")) == "不是普通文件（命名管道），无法作为报告读取"


def test_device_behind_a_report_name_is_refused_without_reading(tmp_path):
    assert _refusal(endless(tmp_path / "report.txt")) == "不是普通文件（字符设备），无法作为报告读取"


def test_socket_is_refused(tmp_path):
    sock = unix_socket(tmp_path / "report.md")
    try:
        assert _refusal(tmp_path / "report.md") == "不是普通文件（套接字），无法作为报告读取"
    finally:
        sock.close()


def test_symlink_loop_and_dangling_link_say_what_they_are(tmp_path):
    assert _refusal(symlink_loop(tmp_path / "loop.txt")) == "符号链接形成循环（或层数过多），无法打开"
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    assert _refusal(tmp_path / "gone.txt") == "符号链接指向的文件不存在"
    assert _refusal(tmp_path / "missing.txt") == "文件不存在"
    assert _refusal(tmp_path) == "是目录而不是文件"


def test_reading_stops_past_the_limit_whatever_the_size_says(tmp_path):
    # /proc files are regular files whose st_size is 0 although they hold text.
    status = "/proc/self/status"
    assert stat.S_ISREG(os.stat(status).st_mode) and os.stat(status).st_size == 0
    assert len(read_bounded(status, 10)) == 11
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    assert len(read_bounded(big, 100)) == 101


def test_text_larger_than_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(text_reader, "MAX_TEXT_BYTES", 1024 * 1024)
    path = tmp_path / "long.txt"
    path.write_bytes(EXAMPLE.read_bytes() * 20)
    assert path.stat().st_size > 1024 * 1024
    assert _refusal(path) == "文件过大（超过 1 MB）"


def _texts(doc) -> list[str]:
    return [getattr(b, "text", None) or str(len(b.rows)) for b in doc.blocks]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_as_text(tmp_path, codec):
    path = tmp_path / "report.txt"
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode(codec))
    assert _texts(read_document(path)) == _texts(read_document(EXAMPLE))


def test_big5_is_decoded_as_big5_not_as_gb18030(tmp_path):
    words = "部門決算說明：本年收入合計 2946.25 萬元，支出合計 2900.10 萬元。"
    path = tmp_path / "note.txt"
    path.write_bytes(words.encode("big5"))
    assert words.encode("big5").decode("gb18030") != words  # the old reading: nonsense, silently
    assert read_document(path).blocks[0].text == words


def test_gb18030_is_still_read(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("gb18030"))
    assert _texts(read_document(path)) == _texts(read_document(EXAMPLE))


def test_binary_with_zero_bytes_is_still_binary(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 8)
    assert _refusal(path) == "不是文本文件（含有二进制内容）"


def test_unreadable_file_folder_and_subfolder_each_get_one_line(tmp_path):
    require_permissions(tmp_path)
    reports = tmp_path / "reports"
    (reports / "locked").mkdir(parents=True)
    (reports / "good.txt").write_bytes(EXAMPLE.read_bytes())
    (reports / "locked" / "inside.txt").write_bytes(EXAMPLE.read_bytes())
    (reports / "unreadable.txt").write_bytes(EXAMPLE.read_bytes())
    closed = tmp_path / "closed"
    closed.mkdir()
    (closed / "r.txt").write_bytes(EXAMPLE.read_bytes())
    for p in (reports / "locked", reports / "unreadable.txt", closed):
        p.chmod(0)
    try:
        run = cli("check", "reports", "closed", "closed/r.txt", cwd=tmp_path)
    finally:
        for p in (reports / "locked", reports / "unreadable.txt", closed):
            p.chmod(0o700)
    assert run.returncode == 1, run.stderr
    inputs = sorted(line for line in run.stdout.splitlines() if " E.INPUT " in line)
    assert inputs == [
        "closed/r.txt: error E.INPUT 没有读取权限",
        "closed: error E.INPUT 无法读取目录：没有读取权限",
        "reports/locked: error E.INPUT 无法读取目录：没有读取权限",
        "reports/unreadable.txt: error E.INPUT 没有读取权限",
    ]
    assert "reports/good.txt:475:39: error N.ITEM-AMOUNT" in run.stdout
    assert run.stderr == ""
    # An excluded folder that cannot be listed is excluded, not reported.
    (tmp_path / "disclosure-lint.toml").write_text('exclude = ["locked"]\n', encoding="utf-8")
    (reports / "locked").chmod(0)
    try:
        run = cli("check", "reports", cwd=tmp_path)
    finally:
        (reports / "locked").chmod(0o700)
    assert "reports/locked" not in run.stdout and " E.INPUT " not in run.stdout
