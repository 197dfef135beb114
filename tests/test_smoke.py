"""The bundled example is checked without any table-identity error."""

from __future__ import annotations

from conftest import EXAMPLE

from disclosure_lint import lint


def test_example_has_no_table_identity_errors(pack):
    result = lint(EXAMPLE, pack)
    table_rules = [d for d in result.diagnostics if d.rule.startswith(("T", "X", "S"))]
    assert table_rules == []
    assert result.outcomes["T03.ROW-SUM"].passed == 25
