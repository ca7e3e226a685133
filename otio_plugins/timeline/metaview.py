"""Fast reads of OTIO metadata dictionaries and vectors.

In OTIO 0.18.1 every lookup that misses - ``md.get(k)`` or ``k in md`` for an absent
key, and the end of any iteration - raises a C++ exception through pybind11, which costs
about 30 µs; a scan asks several such questions per clip (about 3 s per 10k clips).
These helpers ask only questions that do not throw: ``len`` and iteration bounded by it.

OTIO registers its metadata dictionary as a ``collections.abc.MutableMapping`` and its
vectors (metadata lists, markers, effects, tracks) as ``Sequence``s, so one ``isinstance``
against the ABC both narrows the type and tells a mapping from a list. Values are
``object``: a file puts what it likes there, and callers narrow what they read
(``aiclear.safety.shape``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")


def keys(mapping: Mapping[str, object]) -> list[str]:
    """The keys of an OTIO metadata dictionary (or a dict), without the throwing end of
    iteration."""
    if isinstance(mapping, dict):
        return list(mapping)
    it = iter(mapping)
    return [next(it) for _ in range(len(mapping))]


def get(mapping: object, key: str, default: object = None) -> object:
    """``mapping.get(key, default)`` without an exception when the key is missing;
    ``default`` for None and for anything that is not a mapping."""
    if isinstance(mapping, dict):
        return mapping.get(key, default)
    if not isinstance(mapping, Mapping) or not len(mapping) or key not in keys(mapping):
        return default
    return mapping[key]


def plain(value: object) -> object:
    """OTIO metadata dictionaries / vectors -> dict / list (recursively), cheaply."""
    if isinstance(value, (str, bytes, int, float, bool)) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(value[k]) for k in keys(value)}
    if isinstance(value, Sequence):
        return [plain(value[i]) for i in range(len(value))]
    return value


def entries(mapping: object) -> dict[str, object]:
    """The top-level entries of a metadata mapping as a plain dict, values as they are.

    Cheaper than ``plain`` when only a few keys are read and their values may be large;
    an empty dict for None or for anything that is not a mapping.
    """
    if isinstance(mapping, dict):
        return dict(mapping)
    if not isinstance(mapping, Mapping) or not len(mapping):
        return {}
    return {name: mapping[name] for name in keys(mapping)}


def elements(sequence: Iterable[T]) -> list[T]:
    """The items of an OTIO vector or marker list (index access, bounded by ``len``)."""
    if isinstance(sequence, Sequence):
        return [sequence[i] for i in range(len(sequence))]
    return list(sequence)
