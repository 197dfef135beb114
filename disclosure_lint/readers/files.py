"""Reading a report from disk: regular files only, and never more bytes than a format allows.

A FIFO named ``.txt`` blocks whoever opens it for reading, ``/dev/zero`` says it holds nothing and
never ends, and a file may be swapped for either between a check and the read. So the path is
opened without blocking, the opened descriptor must be a regular file, and reading stops one byte
past the limit whatever ``st_size`` says. Every failure is an ``InputError`` in words a user knows.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..errors import InputError

# The largest limit of any format (PDF); each reader applies its own limit to what it is given.
MAX_FILE_BYTES = 100 * 1024 * 1024
_CHUNK = 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC

_REASONS = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ELOOP: "符号链接形成循环（或层数过多），无法打开",
    errno.ENOTDIR: "路径中有一部分不是目录",
    errno.ENAMETOOLONG: "路径过长",
    errno.ENXIO: "不是普通文件（可能是套接字或设备），无法作为报告读取",
}


def os_reason(exc: OSError) -> str:
    """What an operating-system error means for the user, without error numbers."""
    known = _REASONS.get(exc.errno or 0)
    return known or f"无法读取：{exc.strerror or exc}"


def kind_of(mode: int) -> str | None:
    """Why a file of this mode is not a report file, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "是目录而不是文件"
    kinds = {stat.S_ISFIFO: "命名管道", stat.S_ISSOCK: "套接字", stat.S_ISCHR: "字符设备", stat.S_ISBLK: "块设备"}
    name = next((n for test, n in kinds.items() if test(mode)), "特殊文件")
    return f"不是普通文件（{name}），无法作为报告读取"


def read_bounded(path: str | Path, limit: int) -> bytes:
    """The file's bytes, at most ``limit + 1`` of them, so the caller can tell that it is too large."""
    spath = str(path)
    try:
        refused = kind_of(os.stat(path).st_mode)
        if refused:
            raise InputError(refused, spath)
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        dangling = exc.errno == errno.ENOENT and os.path.islink(path)
        raise InputError("符号链接指向的文件不存在" if dangling else os_reason(exc), spath) from None
    try:
        refused = kind_of(os.fstat(fd).st_mode)
        if refused:
            raise InputError(refused, spath)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(os_reason(exc), spath) from None
    finally:
        os.close(fd)
