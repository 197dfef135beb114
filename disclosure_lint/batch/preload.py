"""Imported by the fork server that Dask tasks and threaded processes fork their file checks from:
loading the bundled packs here once means each forked check finds them compiled."""

from __future__ import annotations

import contextlib

from ..errors import PackError
from ..packs.load import load_pack
from ..packs.locate import available_pack_dirs
from . import jobs  # noqa: F401  (the code each check runs)

for _folder in available_pack_dirs():
    with contextlib.suppress(PackError):
        load_pack(str(_folder))
