"""Conversions behind the language server: Locations (1-based code points, end exclusive) to ranges
in the negotiated code units, and findings to LSP diagnostics."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from disclosure_lint.dsl.parser import token_end
from disclosure_lint.errors import PackError
from disclosure_lint.lsp.ranges import location_range, token_range, top_range
from disclosure_lint.lsp.reports import input_problem, to_lsp
from disclosure_lint.model import SEVERITIES, Diagnostic, Location, Related

LINES = ["标题\n", "201\t𠀀𠀁事务\t249.28\n"]
CELL = LINES[1].index("249.28")


@pytest.mark.parametrize(
    ("encoding", "width"),
    [
        (types.PositionEncodingKind.Utf16, lambda s: len(s.encode("utf-16-le")) // 2),
        (types.PositionEncodingKind.Utf8, lambda s: len(s.encode("utf-8"))),
        (types.PositionEncodingKind.Utf32, len),
    ],
)
def test_cell_after_astral_characters(encoding, width):
    loc = Location("r.txt", 2, CELL + 1, 2, CELL + 1 + len("249.28"))
    rng = location_range(loc, LINES, PositionCodec(encoding))
    prefix = LINES[1][:CELL]
    assert rng.start == types.Position(line=1, character=width(prefix))
    assert rng.end == types.Position(line=1, character=width(prefix + "249.28"))


def test_utf16_counts_two_units_per_astral_character():
    loc = Location("r.txt", 2, CELL + 1, 2, CELL + 7)
    rng = location_range(loc, LINES, PositionCodec(types.PositionEncodingKind.Utf16))
    assert rng.start.character == CELL + 2  # 𠀀 and 𠀁 are one code point each, two UTF-16 units each


def test_location_without_line_or_column():
    codec = PositionCodec()
    assert location_range(Location("r.txt"), LINES, codec) == top_range(LINES, codec)
    assert top_range(LINES, codec).end == types.Position(line=0, character=len("标题"))
    whole = location_range(Location("r.txt", 2), LINES, codec)
    assert (whole.start.character, whole.end.line) == (0, 1)
    assert whole.end.character == len(LINES[1].rstrip("\n").encode("utf-16-le")) // 2


def test_token_range_covers_the_whole_token():
    line = '  assert r.𠀀列名 == "文本" ~ x'
    codec = PositionCodec()
    name = line.index("𠀀列名")
    rng = token_range(1, name + 1, [line], codec)
    assert (rng.start.character, rng.end.character) == (name, name + len("𠀀列名") + 1)
    string = line.index('"文本"')
    assert token_end(line, string + 1) == string + 1 + len('"文本"')
    assert token_end(line, line.index("==") + 1) == line.index("==") + 3
    assert token_end(line, 1) == 2  # a blank is no token: one character


@pytest.mark.parametrize("severity", SEVERITIES)
def test_finding_to_lsp_diagnostic(severity):
    loc = Location("r.txt", 2, CELL + 1, 2, CELL + 7)
    other = Location("r.txt", 2, 1, 2, 4)
    diag = Diagnostic(
        "T03.ROW-SUM",
        severity,
        "不平",
        loc,
        related=[Related("科目代码 201", other)],
        help_uri="https://example.org/T03.ROW-SUM.md",
    )
    out = to_lsp(diag, "file:///r.txt", LINES, PositionCodec())
    assert out.severity.name.lower().startswith(severity[:4])
    assert (out.code, out.source, out.code_description.href) == ("T03.ROW-SUM", "disclosure-lint", diag.help_uri)
    assert out.related_information[0].location.range == location_range(other, LINES, PositionCodec())
    assert out.related_information[0].message == "科目代码 201"


def test_input_problem_keeps_a_pack_file_place_out_of_the_report():
    own = input_problem("r.txt", PackError("没有适用的规则包", "r.txt", 3, 2))
    assert (own.loc.line, own.loc.col, own.message) == (3, 2, "没有适用的规则包")
    foreign = PackError("语法错误", "/packs/x/tables.rules", 7, 5)
    moved = input_problem("r.txt", foreign)
    assert moved.loc == Location("r.txt") and moved.message == foreign.one_line()
