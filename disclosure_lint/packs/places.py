"""A pack.yaml as data with the line and column of every key and value, and finding where a key was written.

Parsing is ``yamlfile``'s; what it produces is kept here, apart from the YAML library, so that a
pack whose pack.yaml files were parsed before is loaded without importing it (``packs.locate``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import PackError

Path_ = tuple[str, ...]


@dataclass(frozen=True)
class Spot:
    line: int
    col: int


@dataclass
class YamlFile:
    """One pack.yaml: its data and where each key (and each value) was written, by key path."""

    path: str
    data: dict[str, Any]
    keys: dict[Path_, Spot] = field(default_factory=dict)
    values: dict[Path_, Spot] = field(default_factory=dict)


class Places:
    """The pack.yaml files of an ``extends`` chain, nearest first: where a merged key was written.

    A key that several files set is reported in the nearest one that sets it, since that is the value
    in effect.
    """

    def __init__(self, files: Iterable[YamlFile]) -> None:
        self.files = list(files)

    def find(self, path: Iterable[Any], value: bool = False) -> tuple[str, Spot | None]:
        keys = tuple(str(p) for p in path)
        for n in range(len(keys), 0, -1):
            for f in self.files:
                spot = (f.values if value and n == len(keys) else f.keys).get(keys[:n])
                if spot is not None:
                    return f.path, spot
        return (self.files[0].path if self.files else "pack.yaml"), None

    def error(
        self,
        message: str,
        path: Iterable[Any],
        value: bool = False,
        code: str = "P.VALUE",
        suggestion: str | None = None,
    ) -> PackError:
        keys = [str(p) for p in path]
        file, spot = self.find(keys, value)
        return PackError(
            message,
            file,
            spot.line if spot else None,
            spot.col if spot else None,
            where=".".join(keys) or None,
            code=code,
            suggestion=suggestion,
        )
