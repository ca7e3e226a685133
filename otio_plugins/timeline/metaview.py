"""Fast reads of OTIO metadata (``AnyDictionary`` / ``AnyVector``).

In OTIO 0.18.1 every lookup that misses - ``md.get(k)`` or ``k in md`` for an absent
key, and the end of any iteration - raises a C++ exception through pybind11, which costs
about 30 µs; a scan asks several such questions per clip (about 3 s per 10k clips).
These helpers ask only questions that do not throw: ``len`` and iteration bounded by it.
"""

from __future__ import annotations

from typing import Any


def keys(mapping: Any) -> list[str]:
    """The keys of an AnyDictionary (or a dict), without the throwing end of iteration."""
    if isinstance(mapping, dict):
        return list(mapping)
    it = iter(mapping)
    return [next(it) for _ in range(len(mapping))]


def get(mapping: Any, key: str, default: Any = None) -> Any:
    """``mapping.get(key, default)`` without an exception when the key is missing."""
    if mapping is None or not hasattr(mapping, "keys"):
        return default
    if isinstance(mapping, dict):
        return mapping.get(key, default)
    if not len(mapping) or key not in keys(mapping):
        return default
    return mapping[key]


def plain(value: Any) -> Any:
    """AnyDictionary / AnyVector -> dict / list (recursively), cheaply."""
    if isinstance(value, (str, bytes, int, float, bool)) or value is None:
        return value
    if hasattr(value, "keys"):
        return {str(k): plain(value[k]) for k in keys(value)}
    if hasattr(value, "__len__") and hasattr(value, "__getitem__"):
        return [plain(value[i]) for i in range(len(value))]
    return value


def entries(mapping: Any) -> dict[str, Any]:
    """The top-level entries of a metadata mapping as a plain dict, values as they are.

    Cheaper than ``plain`` when only a few keys are read and their values may be large;
    an empty dict for None or for anything that is not a mapping.
    """
    if isinstance(mapping, dict):
        return dict(mapping)
    if mapping is None or not hasattr(mapping, "keys") or not hasattr(mapping, "__len__"):
        return {}
    if not len(mapping):
        return {}
    return {name: mapping[name] for name in keys(mapping)}


def elements(sequence: Any) -> list[Any]:
    """The items of an AnyVector or marker list (index access, bounded by ``len``)."""
    if hasattr(sequence, "__getitem__") and hasattr(sequence, "__len__"):
        return [sequence[i] for i in range(len(sequence))]
    return list(sequence)
