"""Reading the pages of one PDF in two processes, for a single file on a machine with a core to spare.

Pages are read independently (paragraphs are joined across pages only afterwards), so a forked
child can read pages while this process does other work (``forked.Split``). The child starts as
soon as the file is open and reads from the last page down; this process reads the cover, imports
the rule engine and loads the pack meanwhile, then reads from the first page up until they meet.
The child inherits the open documents.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ..forked import Local, Split, spare_core

# Below this many pages the fork costs more than it saves.
MIN_PAGES = 6
T = TypeVar("T")


def open_pages(count: int, read_one: Callable[[int], T]) -> Local[T] | Split[T]:
    """Pages 1..count, to be asked for in order: read in two processes when the worker allows it
    and the file is long enough, the other process starting at once."""
    if not spare_core() or count < MIN_PAGES:
        return Local(read_one)
    return Split(count, read_one)
