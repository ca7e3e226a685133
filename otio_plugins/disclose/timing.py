"""Frame arithmetic shared by the writers: exact rates, the timeline's start and end."""

from __future__ import annotations

from fractions import Fraction

import opentimelineio as otio

from aiclear.model import TimelineResult
from aiclear.timeline.walk import start_frame, timecode


def exact_rate(rate: float) -> Fraction:
    """24 -> 24, 23.976 -> 24000/1001, 29.97 -> 30000/1001; anything else as close as 1/1001."""
    nearest = round(rate)
    if abs(rate - nearest) < 1e-6:
        return Fraction(nearest)
    ntsc = round(rate * 1.001)
    if abs(rate - ntsc * 1000 / 1001) < 1e-3:
        return Fraction(ntsc * 1000, 1001)
    return Fraction(rate).limit_denominator(1001)


def seconds(frame: int, rate: float) -> Fraction:
    return Fraction(frame) / exact_rate(rate)


def start_offset(result: TimelineResult) -> int:
    """Frames of the timeline's start timecode (0 when it has none)."""
    if result.timeline is not None:
        return start_frame(result.timeline, result.rate)
    for seg in result.segments:
        try:
            tc = otio.opentime.from_timecode(seg.start_tc, result.rate)
        except (ValueError, TypeError):
            continue
        return round(tc.value_rescaled_to(result.rate)) - seg.start_frame
    return 0


def end_frame(result: TimelineResult) -> int:
    """The timeline's last frame (exclusive), or the last segment's end without a timeline."""
    ends = [seg.end_frame for seg in result.segments]
    if result.timeline is not None:
        duration = result.timeline.tracks.duration()
        ends.append(round(duration.value_rescaled_to(result.rate)))
    return max(ends, default=0)


def record_tc(frame: int, result: TimelineResult, offset: int | None = None) -> str:
    """Record timecode of a timeline frame, the timeline's start timecode included."""
    base = start_offset(result) if offset is None else offset
    return timecode(frame + base, result.rate)
