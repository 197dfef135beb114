"""disclosure-lint: rule-based checks for Chinese department final-accounts and budget disclosures."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["Result", "__version__", "lint", "lint_many"]


def __getattr__(name: str) -> Any:
    """``lint`` and friends are imported on first use: a check process starts reading a PDF's pages
    before it imports the rule engine, and importing the package must not import the engine first."""
    if name in ("Result", "lint", "lint_many"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
