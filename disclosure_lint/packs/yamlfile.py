"""pack.yaml as data, with the line and column of every key and value.

The data is what ``yaml.safe_load`` gives (the document is composed and constructed by PyYAML's
safe loader, libyaml's when installed), while the composed nodes keep their marks, so every
pack.yaml error can name its ``pack.yaml:LINE:COL``. Aliases (``*name``) are refused: a pack never
needs them, and a few nested aliases expand to gigabytes (the "billion laughs"). Nesting is bounded
for the same reason. Both are refused before anything is composed.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from ..errors import PackError
from .places import Path_, Spot, YamlFile

MAX_DEPTH = 50


class _Refused(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and deep nesting while composing."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused("pack.yaml 中不能使用别名（*名称）：请直接写出内容", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"嵌套超过 {MAX_DEPTH} 层", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _spot(mark: Any) -> Spot:
    return Spot(mark.line + 1, mark.column + 1)


def _index(node: yaml.Node, out: YamlFile) -> None:
    """Record the marks of every mapping key and value, and of every list item, by path."""
    stack: list[tuple[yaml.Node, Path_]] = [(node, ())]
    while stack:
        current, path = stack.pop()
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                sub = (*path, str(key.value) if isinstance(key, yaml.ScalarNode) else "?")
                if sub in out.keys:
                    first = out.keys[sub]
                    spot = _spot(key.start_mark)
                    raise PackError(
                        f"键“{sub[-1]}”重复（第 {first.line} 行已写过），后写的会覆盖先写的",
                        out.path,
                        spot.line,
                        spot.col,
                        code="P.YAML",
                    )
                out.keys[sub] = _spot(key.start_mark)
                out.values.setdefault(sub, _spot(value.start_mark))
                stack.append((value, sub))
        elif isinstance(current, yaml.SequenceNode):
            for i, item in enumerate(current.value):
                sub = (*path, str(i))
                out.keys.setdefault(sub, _spot(item.start_mark))
                out.values.setdefault(sub, _spot(item.start_mark))
                stack.append((item, sub))


# libyaml's safe loader (the same safe subset, in C) when it is there: several times faster at start-up.
_FAST = getattr(yaml, "CSafeLoader", None)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _guard(text: str) -> None:
    """Refuse aliases and deep nesting from the event stream, before anything is composed (libyaml's
    composer, unlike ours, cannot be stopped half-way)."""
    depth = 0
    for event in yaml.parse(text, Loader=_FAST):
        if isinstance(event, yaml.AliasEvent):
            raise _Refused("pack.yaml 中不能使用别名（*名称）：请直接写出内容", event.start_mark)
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(f"嵌套超过 {MAX_DEPTH} 层", event.start_mark)
        elif isinstance(event, _CLOSE):
            depth -= 1


def _compose(text: str, path: str, line_offset: int = 0) -> tuple[yaml.Node | None, Any]:
    """The composed node tree and the data ``safe_load`` would give; errors located in the file."""
    if _FAST is not None:
        loader = _FAST(text)
        check = _guard
    else:
        loader = _Loader(text)
        check = None
    try:
        if check is not None:
            check(text)
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    except _Refused as exc:
        spot = _spot(exc.mark)
        raise PackError(exc.message, path, spot.line + line_offset, spot.col, code="P.YAML") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        if "nesting depth" in problem:  # libyaml's own bound, met while it scans ahead of our count
            raise PackError(f"嵌套超过 {MAX_DEPTH} 层", path, line, col, code="P.YAML") from None
        raise PackError(f"YAML 格式错误：{problem}", path, line, col, code="P.YAML") from None
    finally:
        loader.dispose()


def load_data(text: str, path: str, line_offset: int = 0) -> Any:
    """A YAML fragment embedded in another file (``line_offset`` lines down), read like pack.yaml."""
    return _compose(text, path, line_offset)[1]


@cache
def parse_yaml(text: str, path: str) -> YamlFile:
    """Parse once per file version (pack selection and loading both read it); callers must not mutate."""
    node, data = _compose(text, path)
    if not isinstance(data, dict):
        raise PackError("pack.yaml 顶层应为映射（键: 值）", path, 1, 1, code="P.YAML")
    out = YamlFile(path, data)
    _index(node, out)
    return out
