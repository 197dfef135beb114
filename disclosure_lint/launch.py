"""The installed command. A check that reads PDFs starts its first worker here, before the command
line and the rest of the package are imported, so that the worker's own imports overlap them (``batch.warm``)."""

from __future__ import annotations

import sys


def console() -> None:
    from .batch import warm

    warm.start(sys.argv[1:])
    from .cli import console as run

    run()
