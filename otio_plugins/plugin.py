"""OTIO's entry point for aiclear (``opentimelineio.plugins``): returns our manifest.

One manifest for everything aiclear adds to OTIO: the hooks (``plugin_manifest.json``
here) and the write-only disclosure adapters (``aiclear.adapters``: ``.srt``, ``.vtt``,
``.ttml``, cue sheets), so an installed aiclear writes them through plain
``otio.adapters.write_to_file`` calls. Kept tiny: OTIO imports it on the first adapter call
of every program.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: OTIO is imported when OTIO calls us
    import opentimelineio as otio


def plugin_manifest() -> otio.plugins.Manifest:
    import opentimelineio as otio

    read = otio.plugins.manifest.manifest_from_file
    manifest = read(str(resources.files("aiclear") / "plugin_manifest.json"))
    folder = resources.files("aiclear.adapters")
    adapters = read(str(folder / "plugin_manifest.json"))
    # OTIO resolves every filepath of an entry point's manifest against this module's folder
    # (it resets their source to plugin.py): the adapters, which live elsewhere, go absolute
    for adapter in adapters.adapters:
        adapter.filepath = str(folder / adapter.filepath)
    manifest.extend(adapters)
    return manifest
