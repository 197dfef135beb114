"""What the forked child may take and send: never below its floor, nothing it cannot send, and,
where asked, nothing lost if it dies."""

from __future__ import annotations

import os
import time

import pytest

from disclosure_lint.forked import Split

PARENT = os.getpid()


def _compute(n: int) -> tuple[int, bool]:
    return n, os.getpid() == PARENT


def _take_all(split: Split, count: int) -> list:
    try:
        return [split.get(n) for n in range(1, count + 1)]
    finally:
        split.close()


def test_the_child_stops_at_its_floor_and_what_it_cannot_send_is_computed_here():
    split = Split(20, _compute, floor=15, export=lambda v: None if v[0] == 18 else v)
    time.sleep(0.3)  # the child has taken all it may by now
    got = _take_all(split, 20)
    assert [n for n, _ in got] == list(range(1, 21))
    assert [n for n, here in got if here] == [*range(1, 15), 18]


def _dies() -> None:
    os._exit(0)


def _out_of_memory() -> None:
    raise MemoryError


@pytest.mark.parametrize("fails", [_dies, _out_of_memory], ids=["dies", "out-of-memory"])
def test_with_redo_lost_a_child_that_fails_costs_time_only(fails):
    def compute(n: int) -> tuple[int, bool]:
        if os.getpid() != PARENT:
            fails()
        time.sleep(0.01)
        return _compute(n)

    got = _take_all(Split(20, compute, redo_lost=True), 20)
    assert got == [(n, True) for n in range(1, 21)]


def test_without_redo_lost_a_child_out_of_memory_is_a_lack_of_memory_here():
    def compute(n: int) -> tuple[int, bool]:
        if os.getpid() != PARENT:
            raise MemoryError
        time.sleep(0.01)
        return _compute(n)

    with pytest.raises(MemoryError):
        _take_all(Split(20, compute), 20)
