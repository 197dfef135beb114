"""The pages of one file read in two processes meet wherever the work puts them, and come back in order."""

from __future__ import annotations

import os
import time

import pytest

from disclosure_lint.errors import InputError
from disclosure_lint.forked import SPARE_ENV, Split
from disclosure_lint.readers.pdfsplit import open_pages

PARENT = os.getpid()


@pytest.fixture(autouse=True)
def _two_processes(monkeypatch):
    monkeypatch.setenv(SPARE_ENV, "2")


def read_pages(count: int, read_one, prepare=None) -> list:
    """As the PDF reader asks for them: the split starts, this process prepares, then takes the
    pages in order."""
    pages = open_pages(count, read_one)
    assert isinstance(pages, Split)
    try:
        if prepare is not None:
            prepare()
        return [pages.get(n) for n in range(1, count + 1)]
    finally:
        pages.close()


def _reader(slow_here: float = 0.0, slow_there: float = 0.0, broken: tuple[int, ...] = ()):
    def read_one(n: int) -> tuple[int, bool]:
        here = os.getpid() == PARENT
        time.sleep(slow_here if here else slow_there)
        if n in broken:
            raise InputError(f"PDF 第 {n} 页内容已损坏，无法解析", "x.pdf")
        return n, here

    return read_one


def test_a_long_preparation_leaves_the_pages_to_the_other_process():
    pages = read_pages(20, _reader(), lambda: time.sleep(0.5))
    assert [n for n, _ in pages] == list(range(1, 21))
    assert not any(here for _, here in pages)


def test_a_slow_other_process_leaves_most_pages_here():
    pages = read_pages(20, _reader(slow_here=0.005, slow_there=0.2))
    assert [n for n, _ in pages] == list(range(1, 21))
    here = [n for n, h in pages if h]
    assert len(here) >= 10 and here == list(range(1, len(here) + 1))  # a prefix here, the rest there


@pytest.mark.parametrize("preparation", [None, 0.5])
def test_the_first_damaged_page_is_reported_wherever_it_was_read(preparation):
    wait = (lambda: time.sleep(preparation)) if preparation else None
    with pytest.raises(InputError) as exc:
        read_pages(20, _reader(broken=(3, 18)), wait)
    assert "第 3 页" in exc.value.message


def test_a_child_that_dies_is_a_memory_failure_not_a_wrong_reading():
    def read_one(n: int) -> int:
        if os.getpid() != PARENT:
            os._exit(0)  # as the kernel would end a child over its memory bound
        time.sleep(0.01)
        return n

    with pytest.raises(MemoryError):
        read_pages(20, read_one)


def test_a_short_file_or_one_process_reads_every_page_here(monkeypatch):
    assert [n for n, here in read_all(open_pages(5, _reader()), 5) if here] == [1, 2, 3, 4, 5]
    monkeypatch.setenv(SPARE_ENV, "1")
    assert [n for n, here in read_all(open_pages(20, _reader()), 20) if here] == list(range(1, 21))


def read_all(pages, count: int) -> list:
    try:
        return [pages.get(n) for n in range(1, count + 1)]
    finally:
        pages.close()


def test_closing_early_ends_the_other_process():
    pages = open_pages(20, _reader(slow_there=0.2))
    assert isinstance(pages, Split)
    pid = pages.pid
    assert pages.get(1) == (1, True)
    pages.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: nothing is left running
