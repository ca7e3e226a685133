"""Every clip of a timeline as flat per-track lanes, for drawing a timeline strip.

A lane holds parallel lists (start frame, end frame, name, enabled) sorted by start, so a
view can find what is on screen with a binary search and draw without one object per
clip. The lanes are read off the walk's own columns (``aiclear.timeline.walk.columns``):
the same visible ranges the scan gets, rounded to frames as the scan rounds them, and the
panel, which needs both, walks a timeline once. No ``ClipPlace`` is built for a lane: the
panel lays out 50k-clip timelines on open.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import opentimelineio as otio

from aiclear.model import Segment
from aiclear.timeline import walk


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
    """One lane per top-level track (empty tracks included), in ``timeline.tracks`` order."""
    return from_walk(walk.columns(timeline), rate)


def from_walk(tracks: Iterable[walk.TrackClips], rate: float) -> list[Lane]:
    """The lanes of a walk already made (the panel hands the same walk to the scan)."""
    out: list[Lane] = []
    for track in tracks:
        label = track.label
        starts, ends = track.frames(rate)
        out.append(Lane(label, track.track.name or label, track.kind, bool(track.track.enabled),
                        starts, ends, [clip.name for clip in track.clips], list(track.enabled),
                        [-1] * len(starts)))
    return out


def link_segments(lanes_: list[Lane], segments: list[Segment]) -> None:
    """Point each lane entry at its AI segment (by track label and start frame)."""
    where = {(s.track_label, s.start_frame): i
             for i, s in enumerate(segments)}
    for lane in lanes_:
        lane.segments = [where.get((lane.label, start), -1) for start in lane.starts]


def ruler_timecode(frame: int, rate: float) -> str:
    """Timecode for the ruler and the playhead: like ``walk.timecode`` but the hours keep
    counting past 24 (SMPTE wraps to 00:00:00:00, which would repeat labels on a long
    timeline). Drop-frame rates show the walk's own (drop-frame) form below 24 h."""
    fps = max(1, round(rate))
    day = 24 * 3600 * fps
    if 0 <= frame < day:
        return walk.timecode(frame, rate)
    sign, frame = ("-", -frame) if frame < 0 else ("", frame)
    seconds, ff = divmod(frame, fps)
    minutes, ss = divmod(seconds, 60)
    hh, mm = divmod(minutes, 60)
    return f"{sign}{hh:02d}:{mm:02d}:{ss:02d}:{ff:02d}"


def parse_timecode(text: str, rate: float) -> int | None:
    """Frames of ``HH:MM:SS:FF`` (``;`` accepted; hours may pass 24), or None."""
    parts = text.strip().replace(";", ":").split(":")
    if len(parts) != 4 or not all(p.isdigit() for p in parts):
        return None
    hh, mm, ss, ff = (int(p) for p in parts)
    fps = max(1, round(rate))
    if mm >= 60 or ss >= 60 or ff >= fps:
        return None
    return ((hh * 60 + mm) * 60 + ss) * fps + ff
