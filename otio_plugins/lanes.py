"""Every clip of a timeline as flat per-track lanes, for drawing a timeline strip.

A lane holds parallel lists (start frame, end frame, name, enabled) sorted by start, so a
view can find what is on screen with a binary search and draw without one object per
clip. The ranges are the same as ``aiclear.walk.places`` (the visible part of each clip,
nested compositions flattened into their top-level track), as plain frame numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import opentimelineio as otio

from aiclear import walk
from aiclear.model import Segment


@dataclass(slots=True)
class Lane:
    """One top-level track: its clips in time order, in frames from the timeline start."""

    label: str  # V1, V2, A1 ...
    name: str
    kind: str  # "Video" | "Audio"
    enabled: bool
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)  # exclusive
    names: list[str] = field(default_factory=list)
    clip_enabled: list[bool] = field(default_factory=list)
    #: index into ``TimelineResult.segments`` for AI clips, -1 for the others
    segments: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def end(self) -> int:
        return max(self.ends, default=0)


def lanes(timeline: otio.schema.Timeline, rate: float) -> list[Lane]:
    """One lane per top-level track (empty tracks included), in ``timeline.tracks`` order,
    filled from ``aiclear.walk.places``: the same ranges, the same checks of bad times."""
    counts = {"Video": 0, "Audio": 0}
    by_label: dict[str, Lane] = {}
    for track in timeline.tracks:
        if isinstance(track, otio.schema.Track):
            kind = "Audio" if track.kind == otio.schema.TrackKind.Audio else "Video"
            counts[kind] += 1
            label = f"{kind[:1]}{counts[kind]}"
            by_label[label] = Lane(label, track.name or label, kind, bool(track.enabled))
    for place in walk.places(timeline):
        lane = by_label[place.track_label]
        start, end = _frames(place.span, rate)
        lane.starts.append(start)
        lane.ends.append(end)
        lane.names.append(place.clip.name)
        lane.clip_enabled.append(place.enabled)
    out = list(by_label.values())
    for lane in out:
        lane.segments = [-1] * len(lane.starts)
    return out


def _frames(span: walk.Span, rate: float) -> tuple[int, int]:
    """Start and exclusive end of a span in frames at ``rate``, without building a TimeRange
    for the walk's float spans (the open of a 50k-clip timeline lays out every clip)."""
    if isinstance(span, tuple):
        start, duration, span_rate = span
        return round(start * rate / span_rate), round((start + duration) * rate / span_rate)
    return (round(span.start_time.value_rescaled_to(rate)),
            round(span.end_time_exclusive().value_rescaled_to(rate)))


def link_segments(lanes_: list[Lane], segments: list[Segment]) -> None:
    """Point each lane entry at its AI segment (by track label and start frame)."""
    where = {(s.track_kind[:1] + str(s.track_index), s.start_frame): i
             for i, s in enumerate(segments)}
    for lane in lanes_:
        lane.segments = [where.get((lane.label, start), -1) for start in lane.starts]
