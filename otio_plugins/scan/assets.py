"""Turn what a user typed (a full asset id, a prefix of one, or a segment id) into one
full ``asset_id``.

A full id (``blake3:<64 hex>``, ``sha256:<64 hex>`` or ``ref:...``) is taken as is: the first approval of an
asset names an id the ledger has never seen. Anything shorter is matched against the
asset ids the sources know: the ledger's, and a timeline's when ``--timeline`` is given
(``timeline_assets``). A segment id ``<12 hex>-V1-120`` starts with the asset's prefix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from aiclear.errors import UsageError

AssetSource = Callable[[], Iterable[str]]

_FULL = re.compile(r"^(?:(?:blake3|sha256):[0-9a-f]{64}|ref:[0-9a-f]{32,64})$")  # see aiclear.timeline.ids
_SEGMENT = re.compile(r"^([0-9a-f]{6,64})-[VA]\d+-\d+$")
_PREFIX = re.compile(r"^(?:(blake3|sha256|ref):)?([0-9A-Za-z_.-]{6,})$")
MIN_PREFIX = 6


def is_full_id(text: str) -> bool:
    return bool(_FULL.match(text))


def resolve_asset_id(text: str, sources: Iterable[AssetSource] = ()) -> str:
    """One full asset id for ``text``; UsageError when it matches none or several."""
    text = text.strip()
    if is_full_id(text):
        return text
    prefix = _prefix(text)
    matches: set[str] = set()
    for source in sources:
        matches.update(a for a in source() if _matches(a, prefix))
    if len(matches) == 1:
        return matches.pop()
    if not matches:
        raise UsageError(
            f"no asset matches {text!r} (give the full asset_id from the report, or "
            "--timeline PATH to look it up in a timeline)"
        )
    listed = ", ".join(sorted(matches)[:5])
    raise UsageError(f"{text!r} matches {len(matches)} assets ({listed}); give more of the id")


def timeline_assets(path: str | Path, settings: Callable[[], Any] | None = None
                    ) -> AssetSource:
    """A source listing the asset ids of a timeline's AI segments, scanned the way
    ``aiclear check`` scans it (``settings`` builds its ScanSettings: profile, registers)."""

    def source() -> list[str]:
        from aiclear.scan.core import scan_file  # the core scan, only when asked
        from aiclear.scan.settings import ScanSettings

        made = settings() if settings is not None else ScanSettings()
        return [s.asset_id for t in scan_file(Path(path), made) for s in t.segments]

    return source


def _prefix(text: str) -> str:
    segment = _SEGMENT.match(text)
    if segment:
        return segment.group(1)
    match = _PREFIX.match(text)
    if not match:
        raise UsageError(
            f"bad ID {text!r} (expected an asset_id 'blake3:…', a prefix of at least "
            f"{MIN_PREFIX} characters, or a segment_id like '0123456789ab-V1-120')"
        )
    return text


def _matches(asset_id: str, prefix: str) -> bool:
    if asset_id.startswith(prefix):
        return True
    _, _, digest = asset_id.partition(":")
    return digest.startswith(prefix)
