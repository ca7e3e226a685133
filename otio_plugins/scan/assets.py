"""Turn what a user typed (a full asset id, a prefix of one, or a segment id) into one
full ``asset_id``.

A full id (``blake3:<64 hex>``, ``sha256:<64 hex>`` or ``ref:...``) is taken as is: the first approval of an
asset names an id the ledger has never seen. A shorter text is matched against the
asset ids the sources know: the ledger's, and a timeline's when ``--timeline`` is given
(``timeline_assets``). A segment id ``<12 hex>-V1-120`` is matched exactly against the
segments of the timeline it was checked on (``timeline_segments``): a track or frame that
does not exist is refused, never widened to the asset's prefix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from aiclear.errors import UsageError
from aiclear.model import JsonObject

if TYPE_CHECKING:  # annotations only: the scan loads when a source is first asked
    from aiclear.scan.settings import ScanSettings

AssetSource = Callable[[], Iterable[str]]
#: (segment_id, asset_id) of every AI segment of a timeline
SegmentSource = Callable[[], Iterable[tuple[str, str]]]

_FULL = re.compile(r"^(?:(?:blake3|sha256):[0-9a-f]{64}|ref:[0-9a-f]{32,64})$")  # see aiclear.timeline.ids
_SEGMENT = re.compile(r"^([0-9a-f]{6,64})-[VA]\d+-\d+$")
_PREFIX = re.compile(r"^(?:(blake3|sha256|ref):)?([0-9A-Za-z_.-]{6,})$")
MIN_PREFIX = 6


def is_full_id(text: str) -> bool:
    return bool(_FULL.match(text))


def resolve_asset_id(text: str, sources: Iterable[AssetSource] = (),
                     segments: SegmentSource | None = None, where: str = "") -> str:
    """One full asset id for ``text``; UsageError when it matches none or several.

    A segment id needs ``segments`` (the timeline's, named ``where``) and must be one."""
    text = text.strip()
    if is_full_id(text):
        return text
    if _SEGMENT.match(text):
        return _segment_asset(text, segments, where)
    prefix = _prefix(text)
    matches: set[str] = set()
    for source in sources:
        matches.update(a for a in source() if _matches(a, prefix))
    if len(matches) == 1:
        return matches.pop()
    if not matches:
        hint = ("" if segments is not None else
                " or --timeline PATH to look it up in a timeline")
        raise UsageError(f"no asset matches {text!r} in the ledger{' or ' + where if where else ''}"
                         f" (give the full asset_id from the report{hint})")
    listed = ", ".join(sorted(matches)[:5])
    raise UsageError(f"{text!r} matches {len(matches)} assets ({listed}); give more of the id")


def _segment_asset(text: str, segments: SegmentSource | None, where: str) -> str:
    if segments is None:
        raise UsageError(f"{text!r} is a segment id: add --timeline PATH (the timeline it was "
                         "checked on) so it is matched exactly, or give the asset_id")
    known = dict(segments())
    if text in known:
        return known[text]
    prefix = text.split("-", 1)[0]
    same = sorted(s for s in known if s.startswith(prefix + "-"))
    place = f" in {where}" if where else ""
    if same:
        raise UsageError(f"no segment {text}{place}; that asset's segment(s): {', '.join(same[:6])}")
    tracks = sorted({s.split("-")[1] for s in known})
    raise UsageError(f"no segment {text}{place} ({len(known)} AI segment(s) on "
                     f"{', '.join(tracks) or 'no track'}; run 'aiclear check' for their ids, "
                     "with the same --register and --profile)")


class TimelineSegments:
    """(segment_id, asset_id) of a timeline's AI segments when called (a ``SegmentSource``),
    scanned as ``aiclear check`` scans it (``settings`` builds its ScanSettings: profile,
    registers); read once. ``binding`` gives the record an approval of one is bound to."""

    def __init__(self, path: str | Path, settings: Callable[[], ScanSettings] | None = None
                 ) -> None:
        self.path = Path(path)
        self._settings = settings
        self._found: list[tuple[str, str, JsonObject]] | None = None

    def __call__(self) -> list[tuple[str, str]]:
        return [(segment_id, asset_id) for segment_id, asset_id, _ in self._segments()]

    def binding(self, text: str, asset_id: str) -> JsonObject | None:
        """``{sha256, fields}`` of the segment ``text`` names, else of the asset's segments
        when they all make the same claims; None when the asset is not on the timeline.
        UsageError when its segments claim different things (name one by segment id)."""
        from aiclear.policy.claims import binding_of, digest

        mine = [(s, c) for s, a, c in self._segments()
                if (s == text.strip() if _SEGMENT.match(text.strip()) else a == asset_id)]
        if not mine:
            return None
        hashes = {digest(c) for _, c in mine}
        if len(hashes) > 1:
            listed = ", ".join(s for s, _ in mine[:6])
            raise UsageError(f"{asset_id} is used by {len(mine)} segments of {self.path} whose "
                             f"records differ ({listed}): approve one segment id at a time")
        return binding_of(mine[0][1])

    def _segments(self) -> list[tuple[str, str, JsonObject]]:
        if self._found is None:
            from aiclear.scan.bound import segment_claims
            from aiclear.scan.core import scan_file  # the core scan, only when asked
            from aiclear.scan.settings import ScanSettings

            made = self._settings() if self._settings is not None else ScanSettings()
            self._found = [(s.segment_id, s.asset_id, segment_claims(s))
                           for t in scan_file(self.path, made) for s in t.segments]
        return self._found


def timeline_segments(path: str | Path, settings: Callable[[], ScanSettings] | None = None
                      ) -> TimelineSegments:
    """The AI segments of a timeline (``TimelineSegments``)."""
    return TimelineSegments(path, settings)


def timeline_assets(path: str | Path, settings: Callable[[], ScanSettings] | None = None
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
