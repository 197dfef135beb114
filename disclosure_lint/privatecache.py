"""A cache folder that only this user can write (``$XDG_CACHE_HOME/disclosure-lint``, else ``~/.cache``).

What is kept here may be loaded as code-like data (Lark's parser tables are a pickle), so the folder
is used only if it belongs to this user and no one else may write to it; otherwise nothing is cached.
"""

from __future__ import annotations

import os
import stat
from functools import cache
from pathlib import Path


@cache
def private_cache_dir() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "disclosure-lint"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        return None
    return folder
