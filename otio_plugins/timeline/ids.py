"""Stable identities: ``asset_id`` keys approvals, ``segment_id`` names one use on a timeline.

asset_id: a content id, ``blake3:<hex>`` of the media bytes aiclear read itself
(aiclear.media.hashing; ``sha256:<hex>`` in ledgers from before BLAKE3), else ``ref:<hex>``,
a hash of the media reference target, the source range *and the clip's place on the
timeline* (track and start frame). Two offline clips cut from the same target with the same
range are two uses with two ids, so an approval of one never covers the other. A ``ref:``
id names a use, it does not identify media: by default no approval by reference clears
(see aiclear.scan and the profile's ``clearance.allow_reference_approvals``). Carriers and
records in the file never give an asset id.

segment_id: ``<first 12 hex of the asset>-<track label>-<start frame>``: readable in a
report and a CLI, stable while the clip stays put, and it begins with the asset prefix so
``aiclear approve`` can resolve it.
"""

from __future__ import annotations

import hashlib

import opentimelineio as otio


def reference_asset_id(clip: otio.schema.Clip, place: str = "") -> str:
    """``ref:<hex>`` from what the clip points at, which part of it is used and where
    (``place``: ``<track label>@<start frame>``, given by the scan)."""
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
    key = f"{target}|{span}" if not place else f"{target}|{span}|{place}"
    return "ref:" + _digest(key)[:32]


def is_reference(asset_id: str) -> bool:
    """True for a ``ref:`` id: a use on a timeline, not media bytes aiclear hashed."""
    return asset_id.startswith("ref:")


def short(asset_id: str) -> str:
    return asset_id.split(":", 1)[-1][:12]


def segment_id(asset_id: str, track_label: str, start_frame: int) -> str:
    return f"{short(asset_id)}-{track_label}-{start_frame}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
