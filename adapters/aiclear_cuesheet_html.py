"""Write-only OTIO adapter: the GenAI cue sheet (HTML) of a timeline's AI segments.

``otio.adapters.write_to_file(timeline, "x.html", profile="documentary", lang="fr")``
scans the timeline with aiclear and writes its on-screen disclosures; the logic lives in
``aiclear.disclose`` (this module runs as ``opentimelineio.adapters.aiclear_cuesheet_html``).
"""

from __future__ import annotations

from typing import Any


def write_to_string(input_otio: Any, profile: Any = None, lang: str | None = None,
                    registers: Any = ()) -> str:
    from aiclear.disclose.formats import adapter_text

    return adapter_text("cuesheet-html", input_otio, profile, lang, registers)
