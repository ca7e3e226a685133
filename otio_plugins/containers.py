"""Cheap reads of OTIO's C++ containers (metadata dictionaries, vectors, compositions).

pybind11 ends every iteration over an OTIO container, and every ``.get`` / ``in`` of a
missing metadata key, with a C++ exception turned into a Python one: about 9 µs each,
measured (bench/run.py, docs/benchmarks.md). That is more than the rest of the per-clip
scan, so the scan reads containers by length and index, which never raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import opentimelineio as otio

_ANY_DICT = otio._otio.AnyDictionary  # the binding type behind every metadata dict


def entries(mapping: Any) -> dict[str, Any]:
    """The top-level entries of a metadata mapping as a plain dict (values not copied).

    An empty dict for None or for anything that is not a mapping.
    """
    if isinstance(mapping, _ANY_DICT):
        count = len(mapping)
        if not count:
            return {}
        keys = iter(mapping)
        names = [next(keys) for _ in range(count)]  # never reaches StopIteration
        return {name: mapping[name] for name in names}
    if isinstance(mapping, Mapping) or hasattr(mapping, "items"):
        return dict(mapping.items())
    return {}


def elements(sequence: Any) -> list[Any]:
    """The items of an OTIO vector, marker list or composition as a plain list."""
    if hasattr(sequence, "__getitem__") and hasattr(sequence, "__len__"):
        return [sequence[i] for i in range(len(sequence))]
    return list(sequence)
