"""OTIO ``post_adapter_write`` hook ``aiclear_verify_write``: the logic is
``aiclear.gate.decision.hook_verify``.

OTIO runs this file as ``opentimelineio.adapters.aiclear_verify_write``: absolute imports only.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only
    import opentimelineio as otio

if "aiclear" not in sys.modules and importlib.util.find_spec("aiclear") is None:
    # Run from a checkout through OTIO_PLUGIN_MANIFEST_PATH, aiclear not installed: map the
    # package the way setup.py does (otio_plugins/ is aiclear; resources/ ... beside it).
    _core = Path(__file__).resolve().parent.parent
    _spec = importlib.util.spec_from_file_location(
        "aiclear", _core / "__init__.py", submodule_search_locations=[str(_core), str(_core.parent)])
    if _spec is None or _spec.loader is None:
        raise ImportError(f"aiclear: cannot load the package from {_core}")
    sys.modules["aiclear"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["aiclear"])

from aiclear.gate.decision import hook_verify  # noqa: E402 - after the checkout fallback above


def hook_function(in_timeline: otio.core.SerializableObject,
                  argument_map: Mapping[str, object] | None = None) -> otio.core.SerializableObject:
    # OTIO passes the caller's hook_function_argument_map (plus _filepath and
    # adapter_arguments) untyped: the logic narrows what it reads
    return hook_verify(in_timeline, argument_map)
