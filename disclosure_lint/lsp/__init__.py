"""Language server (``disclosure-lint server``): findings inline while a report or a rule file is edited."""

from .server import serve

__all__ = ["serve"]
