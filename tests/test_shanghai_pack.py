"""The Shanghai 2024 pack: renumbered tables, inherited rules adapted, its own narrative rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosure_lint.model import Meta
from disclosure_lint.packs.load import load_pack, select_pack
from disclosure_lint.packs.test import run_pack_tests

PACK = "cn-final-accounts-2024-shanghai"


@pytest.fixture(scope="module")
def shanghai():
    return load_pack(PACK)


def test_tables_keep_their_ids_and_print_shanghai_codes(shanghai):
    specs = shanghai.specs
    assert {tid: specs[tid].code for tid in ("公开07表", "公开08表", "公开09表")} == {
        "公开07表": "公开08表",
        "公开08表": "公开09表",
        "公开09表": "公开07表",
    }
    assert specs["公开08表"].title == "国有资本经营预算财政拨款收入支出决算表"
    assert set(specs["公开08表"].column_names()) == set(specs["公开07表"].column_names())
    assert not specs["公开10表"].required
    assert sum(s.required for s in specs.values()) == 9


def test_rules_that_do_not_apply_are_disabled(shanghai):
    ids = {r.id for r in shanghai.rules}
    assert not ids & {"T10.PROCUREMENT", "T10.VEHICLES", "X.T10-T06", "N.OPERATING-COST", "N.VEHICLES"}
    assert {"T01.BALANCE", "X.T05-T06", "N.FISCAL-TOTAL", "N.SH-OPERATING-COST"} <= ids


def test_selected_for_shanghai_reports_only(shanghai):
    assert select_pack(Meta(department="上海市普陀区财政局", year=2024, kind="决算"), "x").id == PACK
    assert select_pack(Meta(department="阳泉市数据局", year=2024, kind="决算"), "x").id == "cn-final-accounts-2024"


def test_own_and_adapted_rules_pass_and_fail_their_examples(shanghai):
    own = [r.id for r in shanghai.rules if Path(r.rule.file).parent == shanghai.path]
    assert sorted(own) == ["N.BUDGET-COMPLETION", "N.SH-OPERATING-COST", "N.SH-PROCUREMENT", "N.SH-VEHICLES"]
    results = [res for rule in own for res in run_pack_tests(shanghai, rule)]
    assert len(results) >= 2 * len(own)
    assert [r.detail for r in results if not r.ok] == []
