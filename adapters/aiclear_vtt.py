"""Write-only OTIO adapter: the WebVTT captions of a timeline's AI segments.

``otio.adapters.write_to_file(timeline, "x.vtt", profile="documentary", lang="fr")``
scans the timeline with aiclear and writes its on-screen disclosures; the logic lives in
``aiclear.disclose`` (this module runs as ``opentimelineio.adapters.aiclear_vtt``).
"""

from __future__ import annotations

from typing import Any


def write_to_string(input_otio: Any, profile: Any = None, lang: str | None = None,
                    registers: Any = ()) -> str:
    from aiclear.disclose.formats import adapter_text

    return adapter_text("vtt", input_otio, profile, lang, registers)
