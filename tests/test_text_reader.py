"""The text/Markdown reader: positions, tags, tab and pipe tables, encodings."""

from __future__ import annotations

import pytest
from conftest import EXAMPLE

from disclosure_lint.errors import InputError
from disclosure_lint.model import Heading, Paragraph, RawTable
from disclosure_lint.readers import read_document
from disclosure_lint.readers.text import parse_text, read_text, strip_tags


def _source_at(text: str, line: int, col: int, end_col: int) -> str:
    return text.splitlines()[line - 1][col - 1 : end_col - 1]


def test_every_cell_location_points_at_its_text(example_text):
    doc = read_text(EXAMPLE)
    tables = [b for b in doc.blocks if isinstance(b, RawTable)]
    assert len(tables) >= 10
    checked = 0
    for t in tables:
        for row in t.rows:
            for cell in row:
                if cell.text:
                    loc = cell.loc
                    source = strip_tags(_source_at(example_text, loc.line, loc.col, loc.end_col))[0]
                    assert " ".join(source.split()) == cell.text, loc
                    checked += 1
    assert checked > 500


def test_bold_tags_are_stripped_but_columns_stay_exact(example_text):
    doc = read_text(EXAMPLE)
    cells = [c for b in doc.blocks if isinstance(b, RawTable) for r in b.rows for c in r if c.text == "本年收入合计"]
    assert cells, "the bold 本年收入合计 cell of 公开01表 must be read without its tags"
    loc = cells[0].loc
    line = example_text.splitlines()[loc.line - 1]
    assert line.startswith("<b>本年收入合计</b>")
    assert loc.col == 4 and loc.end_col == 10


def test_paragraph_segments_map_offsets_back_to_lines(example_text):
    doc = read_text(EXAMPLE)
    para = next(b for b in doc.blocks if isinstance(b, Paragraph) and b.text.startswith("2024年度支出合计"))
    # The paragraph spans three source lines (Markdown hard breaks); a number on the third line keeps its place.
    start = para.text.index("3,860.71")
    loc = para.locate(start, start + len("3,860.71"))
    assert _source_at(example_text, loc.line, loc.col, loc.end_col) == "3,860.71"
    assert loc.line > para.loc.line


def test_split_number_and_unit_are_rejoined():
    doc = parse_text("单位编制30\n\n人，在编26人。\n", "x.md")
    paras = [b for b in doc.blocks if isinstance(b, Paragraph)]
    assert [p.text for p in paras] == ["单位编制30人，在编26人。"]
    assert paras[0].locate(6, 7).line == 3


def test_headings_any_level_and_pipe_tables():
    text = "# 标题\n\n###### 小节\n\n| 项目 | 金额 |\n|---|---:|\n| 合计 | 1,234.50 |\n"
    doc = parse_text(text, "p.md")
    assert [type(b).__name__ for b in doc.blocks] == ["Heading", "Heading", "RawTable"]
    assert [b.level for b in doc.blocks if isinstance(b, Heading)] == [1, 6]
    table = doc.blocks[2]
    assert [[c.text for c in r] for r in table.rows] == [["项目", "金额"], ["合计", "1,234.50"]]
    amount = table.rows[1][1]
    assert (amount.loc.line, amount.loc.col, amount.loc.end_col) == (7, 8, 16)


def test_blank_line_inside_a_table_does_not_split_it():
    doc = parse_text("a\tb\n1\t2\n\n3\t4\n\n正文。\n", "t.txt")
    tables = [b for b in doc.blocks if isinstance(b, RawTable)]
    assert len(tables) == 1 and len(tables[0].rows) == 3


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16"])
def test_common_encodings_are_decoded(tmp_path, encoding):
    f = tmp_path / "r.txt"
    f.write_bytes("公开03表\n合计\t4,384.83\n".encode(encoding))
    doc = read_document(f)
    assert doc.blocks[-1].rows[0][1].text == "4,384.83"


def test_undecodable_file_is_a_one_line_input_error(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_bytes(b"ok\n" + bytes([0xC3, 0x28, 0xA0, 0xA1, 0xFF]) * 2)
    with pytest.raises(InputError) as exc:
        read_document(f)
    assert "bad.txt" in exc.value.one_line() and "\n" not in exc.value.one_line()


def test_missing_and_binary_files_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="不存在"):
        read_document(tmp_path / "nope.txt")
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02abc")
    with pytest.raises(InputError, match="二进制"):
        read_document(binary)


def test_empty_file_is_an_input_error(tmp_path):
    f = tmp_path / "empty.md"
    f.write_text(" \n\n", encoding="utf-8")
    with pytest.raises(InputError, match="文件为空"):
        read_document(f)
