"""Exceptions that end in a one-line message, never a traceback.

An ``InputError`` concerns one file and becomes its ``E.INPUT`` finding (exit status 1, the batch goes
on); the others stop the run itself (exit status 2).
"""

from __future__ import annotations


class LintError(Exception):
    """Base for every error the CLI turns into ``path[:line:col]: message``."""

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        col: int | None = None,
        where: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        self.where = where

    def one_line(self) -> str:
        place = ""
        if self.path:
            place = self.path
            if self.line is not None:
                place += f":{self.line}"
                if self.col is not None:
                    place += f":{self.col}"
            elif self.where:
                place += f" ({self.where})"
            place += ": "
        text = " ".join(self.message.split())
        return f"{place}{text}"


class InputError(LintError):
    """The report file cannot be read or holds no recognizable disclosure."""


class NotAReport(InputError):
    """The file is no 部门预决算公开 report of any kind: skipped in a folder walk, an error when named."""


class PackError(LintError):
    """A rule pack is broken: bad YAML, unknown names, rule syntax or type errors."""


class ConfigError(LintError):
    """A configuration file has a bad key or value."""
