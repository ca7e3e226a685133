"""Hostile-safe YAML: the safe loader only, bounded size and aliases, errors with lines."""

from __future__ import annotations

from pathlib import Path

import yaml

from aiclear.errors import InputError
from aiclear.safety import guard, limits

MAX_ALIASES = 200  # an alias bomb expands exponentially once walked; real files use few


def read_text(path: Path, error: type[InputError], what: str) -> str:
    """The UTF-8 text of a regular file within ``limits.max_config_bytes()``."""
    data = guard.read_bounded(path, error, f"a {what}", limits.max_config_bytes())
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise error(path, f"byte {err.start} is not UTF-8", place=data.count(b"\n", 0, err.start) + 1,
                    expected=f"a UTF-8 {what}") from err


def load(path: Path, error: type[InputError], what: str) -> tuple[object, yaml.Node | None]:
    """Parse ``path`` and return (data, node tree); the tree gives lines for later errors.

    The data is whatever the file holds (``object``): callers validate it and narrow it."""
    text = read_text(path, error, what)
    _check_depth(text, path, error, what)
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
    except RecursionError:  # PyYAML's composer recurses once per nesting level
        raise error(path, "YAML nested too deeply", place=_deepest_line(text),
                    expected=f"a {what} nested at most a few levels") from None
    return data, node


def _check_depth(text: str, path: Path, error: type[InputError], what: str) -> None:
    """Refuse deep flow nesting before PyYAML sees it: its scanner is quadratic in the
    flow depth (50,000 brackets take minutes) and its composer recurses per level.
    Brackets inside quoted strings count too: a false refusal needs hundreds of them."""
    limit = limits.max_depth()
    if text.count("[") + text.count("{") <= limit:
        return
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for char in line:
            if char in "[{":
                depth += 1
                if depth > limit:
                    raise error(path, f"YAML nested deeper than {limit} levels", place=number,
                                expected=f"a {what} nested at most {limit} levels (AICLEAR_MAX_DEPTH)")
            elif char in "]}" and depth:
                depth -= 1


def _deepest_line(text: str) -> int:
    """The most indented line: where block nesting that broke the composer is deepest."""
    lines = text.splitlines() or [""]
    widths = [len(line) - len(line.lstrip(" ")) for line in lines]
    return widths.index(max(widths)) + 1


def _check_aliases(node: yaml.Node | None, path: Path, error: type[InputError], what: str) -> None:
    """Refuse alias bombs: too many aliases, recursive aliases, or too many nodes once
    aliases expand. Later code (schema validation, error messages, deep copies) walks the
    expanded tree, so its size, not the file's, is what costs time and memory."""
    if node is None:
        return
    limit = limits.max_yaml_nodes()
    size: dict[int, int] = {}  # expanded node count of every finished node
    visiting: set[int] = set()  # nodes whose subtree is being counted (a revisit is a cycle)
    aliases = 0
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, finished = stack.pop()
        key = id(current)
        line = current.start_mark.line + 1
        if finished:
            visiting.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in _children(current))
            if size[key] > limit:
                raise error(path, f"YAML aliases expand to more than {limit} nodes (alias bomb)",
                            place=line, expected=f"a {what} without alias expansion tricks")
            continue
        if key in visiting:
            raise error(path, "recursive YAML alias", place=line,
                        expected=f"a {what} without recursive aliases")
        if key in size:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise error(path, f"more than {MAX_ALIASES} YAML aliases", place=line,
                            expected=f"a {what} without alias expansion tricks")
            continue
        visiting.add(key)
        stack.append((current, True))
        stack.extend((c, False) for c in _children(current))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def line_of(node: yaml.Node | None, path: tuple[object, ...]) -> int | None:
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
