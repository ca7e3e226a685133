"""Scan whatever object an OTIO hook receives: a Timeline, a SerializableCollection (ALE,
FCPX events, AAF with several mobs) or a single Clip (otioview's inspector).

Each result's ``Segment.item`` is the clip *inside the object given*, so the caller can
write records or carriers onto exactly that object. Loose clips are scanned on a
throw-away timeline of clones and their segments pointed back at the originals.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import opentimelineio as otio

from aiclear.model import TimelineResult
from aiclear.scan.core import scan_timeline
from aiclear.scan.settings import ScanSettings


def scan_object(obj: object, settings: ScanSettings,
                path: str | Path | None = None) -> list[TimelineResult]:
    """One result per timeline in ``obj`` (plus one for its loose clips, if any)."""
    return [_scan(timeline, loose, settings, path) for timeline, loose in units(obj)]


def clips_in(obj: object) -> list[otio.schema.Clip]:
    """Every clip in ``obj`` (cheap: one ``find_clips`` per container)."""
    if isinstance(obj, otio.schema.Clip):
        return [obj]
    finder = getattr(obj, "find_clips", None)
    return list(finder()) if finder is not None else []


def units(obj: object) -> Iterator[tuple[otio.schema.Timeline, list[otio.schema.Clip] | None]]:
    """(timeline, None) for real timelines; (wrapper, originals) for loose clips."""
    if isinstance(obj, otio.schema.Timeline):
        yield obj, None
    elif isinstance(obj, otio.schema.SerializableCollection):
        loose = []
        for child in obj:
            if isinstance(child, otio.schema.Clip):
                loose.append(child)
            else:
                yield from units(child)
        if loose:
            yield _wrap(loose, obj.name), loose
    elif isinstance(obj, otio.schema.Clip):
        yield _wrap([obj], obj.name), [obj]
    elif clips := clips_in(obj):  # a Track, a Stack ...: its clips end to end (times approximate)
        yield _wrap(clips, getattr(obj, "name", "")), clips


def _wrap(clips: list[otio.schema.Clip], name: str) -> otio.schema.Timeline:
    timeline = otio.schema.Timeline(name or "clips")
    track = otio.schema.Track("V1")
    for clip in clips:
        if _has_range(clip):
            track.append(clip.clone())
    timeline.tracks.append(track)
    return timeline


def _has_range(clip: otio.schema.Clip) -> bool:
    if clip.source_range is not None:
        return True
    ref = clip.media_reference
    return ref is not None and ref.available_range is not None


def _scan(timeline: otio.schema.Timeline, originals: list[otio.schema.Clip] | None,
          settings: ScanSettings, path: str | Path | None) -> TimelineResult:
    result = scan_timeline(timeline, settings, path)
    if originals is None:
        return result
    # the wrapper holds clones in order; point each segment back at its original clip
    ranged = [c for c in originals if _has_range(c)]
    clones = list(timeline.find_clips())  # held alive while ids are compared
    by_clone = {id(clone): orig for clone, orig in zip(clones, ranged, strict=True)}
    for segment in result.segments:
        segment.item = by_clone.get(id(segment.item))
    result.timeline = None  # the wrapper is not the caller's object
    return result
