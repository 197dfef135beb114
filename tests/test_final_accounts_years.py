"""The 2023 and 2025 决算 packs: what each changes from the 2024 one, and their examples."""

from __future__ import annotations

import pytest

from disclosure_lint.packs.load import load_pack
from disclosure_lint.packs.test import run_pack_tests

NARRATIVE_ONLY = ("N.OPERATING-COST", "N.PROCUREMENT-TOTAL", "N.PROCUREMENT-SME", "N.VEHICLES")


@pytest.mark.parametrize("pack_id", ["cn-final-accounts-2023", "cn-final-accounts-2025"])
def test_every_example_of_the_pack_behaves_as_named(pack_id):
    results = run_pack_tests(load_pack(pack_id))
    failed = [f"{r.rule}: {r.detail}" for r in results if not r.ok]
    assert results and failed == []


def test_the_2023_set_has_nine_required_tables_and_reads_the_rest_from_the_narrative():
    pack = load_pack("cn-final-accounts-2023")
    required = sorted(s.id for s in pack.specs.values() if s.required)
    assert required == [f"公开0{n}表" for n in range(1, 10)]
    assert pack.rule("N.PROCUREMENT-ITEM") is None
    for rule_id in NARRATIVE_ONLY:
        # Restated without 公开10表, and tested on the 2023 pack's own examples only.
        assert "公开10表" not in pack.checked[rule_id].tables
        assert pack.example_dirs(rule_id) == [pack.path / "examples" / rule_id]


def test_the_2025_pack_is_the_2024_template_with_the_2025_catalogue():
    base, pack = load_pack("cn-final-accounts-2024"), load_pack("cn-final-accounts-2025")
    assert pack.years == [2025]
    assert [r.id for r in pack.rules] == [r.id for r in base.rules]
    assert pack.specs == base.specs
    assert "《2025年政府收支分类科目》（财预〔2025〕41号修订）" in pack.regulations
