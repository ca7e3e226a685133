"""Narrow parsed data to the shape code reads, without trusting it.

Parsed YAML, JSON, c2pa manifest stores and OTIO metadata arrive as ``object``: a file
says what it likes. Validation (JSON schema, ``safety.guard``) rejects what is malformed
with a one-line error; these helpers are what the code after it reads through, so a
value of the wrong type reads as absent instead of raising deep inside a rule. They are
the only place the tree looks inside an untyped value, which is why ``Any`` is not needed
elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping


def mapping(value: object) -> dict[str, object]:
    """A mapping with text keys as a plain dict; ``{}`` for anything else (None, a list)."""
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    return {}


def items(value: object) -> list[object]:
    """A list or tuple as a list; ``[]`` for anything else (text is not a list of letters)."""
    if isinstance(value, (list, tuple)):
        return list(value)
    return []


def text(value: object) -> str | None:
    """Stripped text, or None for None, empty text and containers."""
    if value is None or isinstance(value, (Mapping, list, tuple)):
        return None
    out = str(value).strip()
    return out or None


def strings(value: object) -> list[str]:
    """Text items of a list (one text counts as a list of one); others dropped."""
    if isinstance(value, str):
        return [value]
    return [str(v) for v in items(value) if isinstance(v, (str, int, float)) and not isinstance(v, bool)]


def number(value: object) -> float | None:
    """A number (not a bool), or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def flag(value: object) -> bool | None:
    """A YAML/JSON boolean, or None when absent or not a boolean."""
    return value if isinstance(value, bool) else None


def records(value: object) -> list[dict[str, object]]:
    """The mappings in a list (entries of a register, tools of a catalogue); others dropped."""
    return [mapping(v) for v in items(value) if isinstance(v, Mapping)]
