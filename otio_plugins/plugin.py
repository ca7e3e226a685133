"""OTIO's entry point for aiclear (``opentimelineio.plugins``): returns our manifest.

Kept tiny: OTIO imports it on the first adapter call of every program.
"""

from __future__ import annotations

from importlib import resources
from typing import Any


def plugin_manifest() -> Any:
    import opentimelineio as otio

    path = resources.files("aiclear") / "plugin_manifest.json"
    return otio.plugins.manifest.manifest_from_file(str(path))
