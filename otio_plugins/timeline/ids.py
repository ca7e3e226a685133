"""Stable identities: ``asset_id`` keys approvals, ``segment_id`` names one use on a timeline.

asset_id: ``sha256:<hex>`` of the media file bytes when they were readable (aiclear.media),
else ``ref:<hex>``, a hash of the media reference target and source range, so the same
reference cut the same way on another version of the timeline keeps its identity.

segment_id: ``<first 12 hex of the asset>-<track label>-<start frame>``: readable in a
report and a CLI, stable while the clip stays put, and it begins with the asset prefix so
``aiclear approve`` can resolve it.
"""

from __future__ import annotations

import hashlib
from typing import Any

import opentimelineio as otio


def reference_asset_id(clip: otio.schema.Clip) -> str:
    """``ref:<hex>`` from what the clip points at and which part of it is used."""
    ref = clip.media_reference
    target = getattr(ref, "target_url", None) or getattr(ref, "target_url_base", None)
    if not target:
        target = f"name:{clip.name}"
    rng = clip.source_range
    if rng is None:
        try:
            rng = clip.available_range()
        except Exception:  # noqa: BLE001 - OTIO raises plain exceptions when there is none
            rng = None
    span = "" if rng is None else f"{rng.start_time.to_frames()}+{rng.duration.to_frames()}"
    return "ref:" + _digest(f"{target}|{span}")[:32]


def file_asset_id(hex_digest: str) -> str:
    return f"sha256:{hex_digest}"


def short(asset_id: str) -> str:
    return asset_id.split(":", 1)[-1][:12]


def segment_id(asset_id: str, track_label: str, start_frame: int) -> str:
    return f"{short(asset_id)}-{track_label}-{start_frame}"


def _digest(text: Any) -> str:
    return hashlib.sha256(str(text).encode("utf-8", "surrogatepass")).hexdigest()
