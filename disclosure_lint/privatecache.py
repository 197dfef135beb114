"""A cache folder that only this user can write (``$XDG_CACHE_HOME/disclosure-lint``, else ``~/.cache``).

What is kept here may be loaded as code-like data (Lark's parser tables are a pickle), so the folder
is used only if it belongs to this user and no one else may write to it; otherwise nothing is cached.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
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


def entry_path(kind: str, *key: str) -> Path | None:
    """Where the entry of ``kind`` for ``key`` is kept (its parts hashed), or None without a private folder."""
    folder = private_cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256("\x1f".join(key).encode()).hexdigest()
    return folder / kind / f"{digest}.json"


def source_digest(*files: Path) -> str:
    """A hash of the code that writes and reads a kind of entry: entries of other code are not found."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.read_bytes())
    return h.hexdigest()


def write_entry(entry: Path, text: str) -> None:
    """Write a cache entry whole or not at all, so that a reader never sees half of one; raises OSError."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, entry)
