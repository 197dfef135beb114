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
        code: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        self.where = where
        self.code = code
        self.suggestion = suggestion

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
    """A rule pack is broken: bad YAML, unknown names, rule syntax or type errors.

    ``code`` names the kind of problem for editors (``P.SYNTAX``, ``P.UNKNOWN-COLUMN`` ...);
    ``suggestion`` is the nearest valid name, which an editor offers as a quick fix.
    """


class PackErrors(PackError):
    """Every error found while loading a pack, in file order; it reads as its first error."""

    def __init__(self, errors: list[PackError], unlisted: int = 0) -> None:
        first = errors[0]
        super().__init__(first.message, first.path, first.line, first.col, first.where, first.code, first.suggestion)
        self.errors = errors
        self.unlisted = unlisted

    def one_line(self) -> str:
        more = len(self.errors) - 1 + self.unlisted
        return self.errors[0].one_line() + (f"（另有 {more} 处错误）" if more else "")

    def lines(self) -> list[str]:
        tail = [f"另有 {self.unlisted} 处错误未列出（一次最多列出 {len(self.errors)} 处），请先改正以上各处"]
        return [e.one_line() for e in self.errors] + (tail if self.unlisted else [])


class ConfigError(LintError):
    """A configuration file has a bad key or value."""
