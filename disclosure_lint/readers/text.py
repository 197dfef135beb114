"""Text/Markdown reader: ``#`` headings, tab-separated or ``|`` pipe table rows, prose paragraphs.

This is the form produced by PDF-to-text conversion of published reports. The reader keeps the
1-based line and column of every cell and text run, strips inline HTML tags such as ``<b>`` while
keeping columns exact, and never relies on a particular heading depth or spacing. HTML comments are
kept out of prose and tables (a line holding only comments is skipped as if absent) and are returned
on ``Document.comments``, where suppression directives are read from.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path

from ..errors import InputError
from ..model import Block, Cell, Comment, Document, Heading, Location, Paragraph, Problem, RawTable, Segment
from .files import read_bounded

MAX_TEXT_BYTES = 20 * 1024 * 1024
# Every character of a comment is replaced by this placeholder (line breaks kept), and placeholders are
# stripped like tags, so the text around a comment keeps its exact line and column.
_HIDDEN = "\x00"
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_TAG = re.compile(r"</?(?:b|p|strong|em|i|u|br|span|div|font)\b[^>]*>|\x00+", re.IGNORECASE)
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_PIPE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LIST = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")
# A paragraph split between a number and its unit or punctuation is rejoined (conversion artefact).
_CONTINUES = re.compile(r"^[，。、；：）)%％人万元个辆台套次批项]")


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``-be`` when nearly all zero bytes of a head sit at one parity, where the ASCII
    digits, spaces and line breaks of any report put them (a few CJK characters, such as 一 U+4E00,
    put one at the other); None for anything else, such as a binary file."""
    head = head[: len(head) // 2 * 2]
    odd = sum(1 for b in head[1::2] if b == 0)
    even = sum(1 for b in head[0::2] if b == 0)
    if odd >= 9 * even:
        codec = "utf-16-le"
    elif even >= 9 * odd:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = head.decode(codec)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\v")
    return codec if controls == 0 else None


def _legacy_codec(data: bytes) -> str:
    """GB18030 or Big5 for a file that is not UTF-8. Big5 bytes also decode as GB18030, into nonsense,
    so charset-normalizer judges which of the two reads as language."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
    return "big5" if best is not None and best.encoding == "big5" else "gb18030"


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 (with or without BOM), GB18030 or Big5."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"文件编码无法识别（UTF-16 解码失败，字节 {exc.start}）", path) from None
    if b"\x00" in data[:4096]:
        codec = _utf16_without_bom(data[:4096])
        if codec is None:
            raise InputError("不是文本文件（含有二进制内容）", path)
        try:
            return data.decode(codec)
        except UnicodeDecodeError as exc:
            raise InputError(f"文件编码无法识别（UTF-16 解码失败，字节 {exc.start}）", path) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first = _legacy_codec(data)
        for codec in (first, "gb18030" if first == "big5" else "big5"):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"文件编码无法识别：第 {line} 行不是有效的 UTF-8、GB18030 或 Big5 文本", path, line=line
        ) from None


def strip_tags(text: str) -> tuple[str, list[int]]:
    """Remove inline tags; return the text and, per kept character, its offset in the original."""
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _TAG.finditer(text):
        for i in range(pos, m.start()):
            out.append(text[i])
            offsets.append(i)
        pos = m.end()
    for i in range(pos, len(text)):
        out.append(text[i])
        offsets.append(i)
    return "".join(out), offsets


def _line_starts(text: str) -> list[int]:
    """Offsets where each line starts, split exactly as ``str.splitlines`` splits."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def mask_comments(text: str, path: str) -> tuple[str, list[Comment], list[Problem]]:
    """Hide HTML comments behind placeholders and return them with their locations.

    An unclosed ``<!--`` hides the rest of its line and is reported, so a broken directive is never
    silently read as prose.
    """
    starts: list[int] | None = None
    comments: list[Comment] = []
    problems: list[Problem] = []
    out: list[str] = []
    pos = 0

    def where(offset: int) -> tuple[int, int]:
        i = bisect_right(starts, offset) - 1
        return i + 1, offset - starts[i] + 1

    while (i := text.find("<!--", pos)) != -1:
        if starts is None:
            starts = _line_starts(text)
        j = text.find("-->", i + 2)
        line, col = where(i)
        if j == -1:
            end = i
            while end < len(text) and text[end] not in _LINE_BREAKS:
                end += 1
            problems.append(
                Problem("E.COMMENT", "HTML 注释没有结束（缺少“-->”）", Location(path, line, col, line, col + end - i))
            )
        else:
            end = j + 3
            end_line, end_col = where(end - 1)
            comments.append(Comment(text[i + 4 : j].strip(), Location(path, line, col, end_line, end_col + 1)))
        out.append(text[pos:i])
        out.append("".join(ch if ch in _LINE_BREAKS else _HIDDEN for ch in text[i:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out), comments, problems


def _only_comment(line: str) -> bool:
    return _HIDDEN in line and not line.replace(_HIDDEN, "").strip()


def _cell(raw: str, path: str, line: int, start_col: int) -> Cell:
    """A cell from one tab/pipe field; its location is the first non-space character after tags."""
    if "<" not in raw and _HIDDEN not in raw:
        stripped = raw.strip()
        if not stripped:
            return Cell("", Location(path, line, start_col, line, start_col + max(len(raw), 1)))
        first = start_col + len(raw) - len(raw.lstrip())
        return Cell(" ".join(stripped.split()), Location(path, line, first, line, first + len(stripped)))
    text, offsets = strip_tags(raw)
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    if stripped:
        first = offsets[lead]
        last = offsets[lead + len(stripped) - 1]
        loc = Location(path, line, start_col + first, line, start_col + last + 1)
    else:
        loc = Location(path, line, start_col, line, start_col + max(len(raw), 1))
    return Cell(" ".join(stripped.split()), loc)


def _split_fields(line: str, sep: str) -> list[tuple[str, int]]:
    """Fields of a row with their 0-based start offsets."""
    fields: list[tuple[str, int]] = []
    start = 0
    for part in line.split(sep):
        fields.append((part, start))
        start += len(part) + 1
    return fields


def _pipe_fields(line: str) -> list[tuple[str, int]]:
    fields = _split_fields(line, "|")
    if fields and not fields[0][0].strip():
        fields = fields[1:]
    if fields and not fields[-1][0].strip():
        fields = fields[:-1]
    return fields


def _is_table_line(line: str) -> bool:
    stripped = line.strip()
    return ("\t" in line.rstrip("\n") and bool(stripped)) or (stripped.startswith("|") and stripped.count("|") >= 2)


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.blocks: list[Block] = []
        self.para: Paragraph | None = None
        self.rows: list[list[Cell]] = []

    def flush_para(self) -> None:
        if self.para is not None and self.para.text.strip():
            self.blocks.append(self.para)
        self.para = None

    def flush_table(self) -> None:
        if self.rows:
            first = self.rows[0][0].loc
            last = self.rows[-1][-1].loc
            loc = Location(self.path, first.line, 1, last.line, last.end_col)
            self.blocks.append(RawTable(self.rows, loc))
        self.rows = []

    def add_text(self, text: str, line: int) -> None:
        """Append a prose line to the current paragraph (or start one)."""
        clean, offsets = strip_tags(text)
        lead = len(clean) - len(clean.lstrip())
        body = clean.strip()
        if not body:
            return
        col = offsets[lead] + 1
        seg_loc = Location(self.path, line, col, line, col + len(body))
        if self.para is None:
            self.para = Paragraph("", Location(self.path, line, col, line, col + len(body)))
        para = self.para
        start = len(para.text)
        para.text += body
        para.segments.append(Segment(start, start + len(body), seg_loc))
        para.loc = Location(self.path, para.loc.line, para.loc.col, line, col + len(body))
        # Tags inside a line shift columns; keep one segment per tag-free run so columns stay exact.
        if offsets and offsets[-1] - offsets[0] + 1 != len(offsets):
            para.segments.pop()
            run_start = lead
            for i in range(lead + 1, lead + len(body) + 1):
                if i == lead + len(body) or offsets[i] != offsets[i - 1] + 1:
                    c = offsets[run_start] + 1
                    para.segments.append(
                        Segment(
                            start + run_start - lead,
                            start + i - lead,
                            Location(self.path, line, c, line, c + i - run_start),
                        )
                    )
                    run_start = i


def read_text(path: str | Path, data: bytes | None = None) -> Document:
    """Read a text/Markdown report into a Document."""
    spath = str(path)
    if data is None:
        data = read_bounded(path, MAX_TEXT_BYTES)
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(f"文件过大（超过 {MAX_TEXT_BYTES // 1024 // 1024} MB）", spath)
    text = decode(data, spath)
    if not text.strip():
        raise InputError("文件为空", spath)
    return parse_text(text, spath)


def parse_text(text: str, path: str) -> Document:
    masked, comments, problems = mask_comments(text, path)
    b = _Builder(path)
    numbered = [(no, line) for no, line in enumerate(masked.splitlines(), 1) if not _only_comment(line)]
    lines = [line for _, line in numbered]
    n = len(lines)
    i = 0
    while i < n:
        raw = lines[i]
        lineno = numbered[i][0]
        if _is_table_line(raw):
            b.flush_para()
            if _PIPE_SEP.match(raw):
                i += 1
                continue
            pipe = raw.strip().startswith("|") and "\t" not in raw
            fields = _pipe_fields(raw) if pipe else _split_fields(raw, "\t")
            b.rows.append([_cell(f, path, lineno, off + 1) for f, off in fields])
            i += 1
            continue
        if not raw.strip():
            if b.rows:
                # A blank line inside a table does not end it when the next text line is a row too.
                j = i + 1
                while j < n and not lines[j].strip():
                    j += 1
                if j < n and _is_table_line(lines[j]):
                    i = j
                    continue
                b.flush_table()
            elif b.para is not None:
                j = i + 1
                while j < n and not lines[j].strip():
                    j += 1
                nxt = strip_tags(lines[j])[0].strip() if j < n else ""
                if (
                    nxt
                    and _CONTINUES.match(nxt)
                    and not _HEADING.match(lines[j])
                    and not _is_table_line(lines[j])
                    and b.para.text[-1:].isdigit()
                ):
                    i = j
                    continue
                b.flush_para()
            i += 1
            continue
        b.flush_table()
        m = _HEADING.match(raw)
        if m:
            b.flush_para()
            body, offsets = strip_tags(m.group(2))
            stripped = body.strip()
            if stripped:
                col = m.start(2) + offsets[len(body) - len(body.lstrip())] + 1
                loc = Location(path, lineno, col, lineno, col + len(stripped))
                b.blocks.append(Heading(" ".join(stripped.split()), len(m.group(1)), loc))
            i += 1
            continue
        lm = _LIST.match(raw)
        if lm:
            b.flush_para()
            b.add_text(" " * lm.end() + raw[lm.end() :], lineno)
            b.flush_para()
            i += 1
            continue
        b.add_text(raw, lineno)
        i += 1
    b.flush_para()
    b.flush_table()
    return Document(path, "text", b.blocks, problems, comments)
