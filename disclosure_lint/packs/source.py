"""Reading the text files of a pack (pack.yaml, ``*.rules``): UTF-8 only, with a located error otherwise."""

from __future__ import annotations

from pathlib import Path

from ..errors import PackError


def decode_source(data: bytes, path: str) -> str:
    """UTF-8 text (a BOM is dropped). Other encodings, e.g. a file saved as GBK, are an error at the first
    byte that is not UTF-8, so the author sees where the file went wrong."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        raise PackError(
            "文件不是 UTF-8 编码（可能保存为 GBK），请用 UTF-8 编码另存", path, line, col, code="P.ENCODING"
        ) from None


def read_source(path: Path, what: str = "规则包文件") -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PackError(f"无法读取{what}：{exc.strerror or exc}", str(path), code="P.READ") from None
    return decode_source(data, str(path))
