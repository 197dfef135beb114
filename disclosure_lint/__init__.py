"""disclosure-lint: rule-based checks for Chinese department final-accounts and budget disclosures."""

from __future__ import annotations

__version__ = "0.1.0"

from .api import Result, lint, lint_many

__all__ = ["Result", "__version__", "lint", "lint_many"]
