"""Every clip of a timeline as flat per-track lanes, for drawing a timeline strip.

A lane holds parallel lists (start frame, end frame, name, enabled) sorted by start, so a
view can find what is on screen with a binary search and draw without one object per
clip. The ranges are the same as ``aiclear.timeline.walk.places`` (the visible part of each clip,
nested compositions flattened into their top-level track) but computed in plain frame
numbers, which is several times cheaper than building a ``ClipPlace`` per clip: the panel
lays out 50k-clip timelines on open.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import opentimelineio as otio

from aiclear.model import Segment, track_label
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
    counts = {"Video": 0, "Audio": 0}
    base = walk.record_base(timeline)  # EDL record offsets, as the walk reads them
    out: list[Lane] = []
    for track in timeline.tracks:
        if not isinstance(track, otio.schema.Track):
            continue
        kind = "Audio" if track.kind == otio.schema.TrackKind.Audio else "Video"
        counts[kind] += 1
        label = track_label(kind, counts[kind])
        lane = Lane(label, track.name or label, kind, bool(track.enabled))
        out.append(lane)
        if len(track):
            shift, lo, hi = _track_window(track, base, rate)
            _fill(lane, track, shift, lo, hi, lane.enabled, rate)
        lane.segments = [-1] * len(lane.starts)
    return out


def _track_window(track: otio.schema.Track, base: otio.opentime.RationalTime | None,
                  rate: float) -> tuple[float, float, float]:
    trim = track.trimmed_range()
    length = trim.duration.value_rescaled_to(rate)
    record_in = walk.track_record_in(track)
    if record_in is not None and base is not None:  # EDL: children start at record_in
        shift = (record_in - base).value_rescaled_to(rate)
        return shift, shift, shift + length
    return -trim.start_time.value_rescaled_to(rate), 0.0, length


def _fill(lane: Lane, comp: otio.core.Composition, shift: float, lo: float, hi: float,
          enabled: bool, rate: float) -> None:
    # The hot loop of opening a big timeline. Each child's start is accumulated from the
    # durations before it, as ``Track.range_of_all_children`` does (transitions overlap
    # their neighbours and take no time; in a Stack every child starts at zero), but
    # without building a dict of TimeRange objects: that call alone is ~4x slower.
    clip_type, comp_type, gap_type = otio.schema.Clip, otio.core.Composition, otio.schema.Gap
    stacked = isinstance(comp, otio.schema.Stack)
    at = 0.0
    for child in comp:
        if isinstance(child, otio.schema.Transition):
            continue
        length = child.duration().value_rescaled_to(rate)
        start = shift + (0.0 if stacked else at)
        at += length
        if isinstance(child, gap_type):
            continue
        vis_start, vis_end = max(start, lo), min(start + length, hi)
        if vis_end <= vis_start:
            continue
        if isinstance(child, clip_type):
            lane.starts.append(round(vis_start))
            lane.ends.append(round(vis_end))
            lane.names.append(child.name)
            lane.clip_enabled.append(enabled and child.enabled)
        elif isinstance(child, comp_type):
            inner = start - child.trimmed_range().start_time.value_rescaled_to(rate)
            _fill(lane, child, inner, vis_start, vis_end, enabled and child.enabled, rate)


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
