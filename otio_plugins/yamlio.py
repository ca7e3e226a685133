"""Hostile-safe YAML: the safe loader only, bounded size and aliases, errors with lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from aiclear.errors import InputError

MAX_BYTES = 8 * 1024 * 1024
MAX_ALIASES = 200  # an alias bomb expands exponentially once walked; real files use few


def read_text(path: Path, error: type[InputError], what: str) -> str:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise error(path, f"file larger than {MAX_BYTES // 1024 // 1024} MiB",
                        expected=f"a {what}")
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as err:
        raise error(path, f"cannot read: {err.strerror or err}", expected=f"a {what}") from err
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise error(path, f"byte {err.start} is not UTF-8", expected=f"a UTF-8 {what}") from err


def load(path: Path, error: type[InputError], what: str) -> tuple[Any, yaml.Node | None]:
    """Parse ``path`` and return (data, node tree); the tree gives lines for later errors."""
    text = read_text(path, error, what)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        _check_aliases(node, path, error, what)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        line = mark.line + 1 if mark else None
        raise error(path, f"not valid YAML: {err.problem}", place=line,
                    expected=f"a {what}") from err
    except yaml.YAMLError as err:
        raise error(path, f"not valid YAML: {err}", expected=f"a {what}") from err
    return data, node


def _check_aliases(node: yaml.Node | None, path: Path, error: type[InputError], what: str) -> None:
    seen: set[int] = set()
    aliases = 0
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if id(current) in seen:
            aliases += 1
            if aliases > MAX_ALIASES:
                line = current.start_mark.line + 1
                raise error(path, f"more than {MAX_ALIASES} YAML aliases", place=line,
                            expected=f"a {what} without alias expansion tricks")
            continue
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def line_of(node: yaml.Node | None, path: tuple[Any, ...]) -> int | None:
    """The 1-based line of the value at ``path`` (keys and indexes) in a composed tree."""
    current = node
    for part in path:
        if isinstance(current, yaml.MappingNode):
            match = [v for k, v in current.value if getattr(k, "value", None) == str(part)]
            if not match:
                break
            current = match[0]
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(current.value):
                break
            current = current.value[part]
        else:
            break
    return current.start_mark.line + 1 if current is not None else None
