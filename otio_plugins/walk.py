"""One O(N) walk over a timeline: every clip with its range in the top-level timeline.

Per-clip ``transformed_time_range`` or ``range_in_parent`` is quadratic on a track
(see research/otio.md §4.2), so each composition is asked for
``range_of_all_children()`` once and nested compositions are shifted into the parent's
time as we descend. A nested composition's trimmed window clips what shows through it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import opentimelineio as otio

from aiclear import limits
from aiclear.errors import TimelineError

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange


@dataclass(slots=True)
class ClipPlace:
    """Where one clip sits: its top-level track and its range in ``timeline.tracks`` time."""

    clip: otio.schema.Clip
    track: otio.schema.Track
    track_kind: str  # "Video" | "Audio"
    track_index: int  # 1-based within its kind
    range: otio.opentime.TimeRange  # visible part, in timeline.tracks time (no start TC)
    enabled: bool
    path: tuple[int, ...]  # child indexes from the top-level stack down to the clip

    @property
    def track_label(self) -> str:
        return f"{self.track_kind[:1]}{self.track_index}"

    @property
    def track_name(self) -> str:
        return self.track.name or self.track_label


def timeline_rate(timeline: otio.schema.Timeline, default: float = 24.0) -> float:
    """The timeline's frame rate: its start time's rate, else its first clip's, else default."""
    start = timeline.global_start_time
    if start is not None and start.rate > 1:
        return float(start.rate)
    for clip in _clips_in_order(timeline.tracks):
        rng = clip.source_range or _available(clip)
        if rng is not None and rng.duration.rate > 1:
            return float(rng.duration.rate)
    return default


def _clips_in_order(comp: otio.core.Composition) -> Iterator[otio.schema.Clip]:
    """Clips depth first, in ``find_clips()`` order, lazily: the first one usually decides
    the rate, and ``find_clips()`` would list every clip of a big timeline first."""
    for child in comp:
        if isinstance(child, otio.schema.Clip):
            yield child
        elif isinstance(child, otio.core.Composition):
            yield from _clips_in_order(child)


def start_frame(timeline: otio.schema.Timeline, rate: float) -> int:
    """Record frame of the timeline's first frame (its start timecode as a frame count)."""
    start = timeline.global_start_time
    if start is not None:
        return round(start.value_rescaled_to(rate))
    base = _record_base(timeline)
    return 0 if base is None else round(base.value_rescaled_to(rate))


def _record_in(track: otio.core.Composition) -> otio.opentime.RationalTime | None:
    """The record start a reader encoded as a negative track start, if any.

    The CMX 3600 reader stores an EDL's first record timecode as
    ``track.source_range.start_time = -record_in``, which OTIO's own range maths
    reject; we read it as the track's record offset instead.
    """
    if not len(track):
        return None
    start = track.trimmed_range().start_time
    return -start if start.value < 0 else None


def _record_base(timeline: otio.schema.Timeline) -> otio.opentime.RationalTime | None:
    starts = [r for t in timeline.tracks if (r := _record_in(t)) is not None]
    return min(starts) if starts else None


def places(timeline: otio.schema.Timeline) -> Iterator[ClipPlace]:
    """Yield every clip on every track, nested compositions included, in track order."""
    counts = {"Video": 0, "Audio": 0}
    bounds = _Bounds()
    if timeline.global_start_time is not None:
        bounds.check(timeline.global_start_time, "global start time", "timeline")
    base = _record_base(timeline)
    for top_index, track in enumerate(timeline.tracks):
        if not isinstance(track, otio.schema.Track):
            continue
        kind = "Audio" if track.kind == otio.schema.TrackKind.Audio else "Video"
        counts[kind] += 1
        if not len(track):
            continue
        trim = track.trimmed_range()
        try:
            bounds.check_range(trim, f"{kind[:1]}{counts[kind]}", track.name)
        except TimelineError:  # name the clip that made the track's range bad, if one did
            empty = TR(RT(0, 24), RT(0, 24))
            for _ in _walk(track, track, kind, counts[kind], RT(0, 24), empty, True,
                           (top_index,), bounds):
                pass
            raise
        record_in = _record_in(track)
        if record_in is not None and base is not None:  # EDL: children start at record_in
            shift = record_in - base
            window = TR(shift, trim.duration)
        else:  # every top-level track starts at 0 in timeline.tracks time
            shift = RT(0, trim.duration.rate) - trim.start_time
            window = TR(RT(0, trim.duration.rate), trim.duration)
        yield from _walk(track, track, kind, counts[kind], shift, window,
                         bool(track.enabled), (top_index,), bounds)


def _walk(
    comp: otio.core.Composition,
    track: otio.schema.Track,
    kind: str,
    index: int,
    shift: otio.opentime.RationalTime,
    window: otio.opentime.TimeRange,
    enabled: bool,
    path: tuple[int, ...],
    bounds: _Bounds,
) -> Iterator[ClipPlace]:
    if len(path) > bounds.depth:
        raise TimelineError(None, f"compositions nested deeper than {bounds.depth} levels",
                            place=_where(kind, index, path, comp.name),
                            expected="a timeline nested less deeply (AICLEAR_MAX_DEPTH)")
    ranges = comp.range_of_all_children()
    for child_index, child in enumerate(comp):
        if isinstance(child, (otio.schema.Transition, otio.schema.Gap)):
            continue
        r = ranges[child]
        bounds.check_range(r, _where(kind, index, (*path, child_index)), child.name)
        placed = TR(r.start_time + shift, r.duration)
        visible = _intersect(placed, window)
        if visible is None:
            continue
        child_enabled = enabled and bool(getattr(child, "enabled", True))
        child_path = (*path, child_index)
        if isinstance(child, otio.core.Composition):
            inner_shift = placed.start_time - child.trimmed_range().start_time
            yield from _walk(child, track, kind, index, inner_shift, visible,
                             child_enabled, child_path, bounds)
        elif isinstance(child, otio.schema.Clip):
            yield ClipPlace(child, track, kind, index, visible, child_enabled, child_path)


class _Bounds:
    """Times a reader produced must be finite, at a positive rate, non-negative in
    duration and within ``limits.max_seconds()``: NaN, zero or negative rates and
    durations would otherwise make clips vanish from the walk (a silent pass)."""

    def __init__(self) -> None:
        self.seconds = limits.max_seconds()
        self.depth = limits.max_depth()

    def check(self, t: otio.opentime.RationalTime, what: str, place: str) -> None:
        rate, value = t.rate, t.value
        if not (math.isfinite(rate) and rate > 0):
            raise TimelineError(None, f"{what} has frame rate {rate!r}", place=place,
                                expected="a positive, finite frame rate")
        if not math.isfinite(value):
            raise TimelineError(None, f"{what} is {value!r} frames", place=place,
                                expected="a finite time")
        if abs(value / rate) > self.seconds:
            raise TimelineError(None, f"{what} {value!r} frames at {rate:g} fps is beyond "
                                f"{self.seconds:g} s", place=place,
                                expected=f"times within {self.seconds:g} s (AICLEAR_MAX_SECONDS)")

    def check_range(self, r: otio.opentime.TimeRange, place: str, name: str | None) -> None:
        what = f"{name!r:.80}" if name else "item"
        self.check(r.start_time, f"{what} start", place)
        self.check(r.duration, f"{what} duration", place)
        if r.duration.value < 0:
            raise TimelineError(None, f"{what} has negative duration {r.duration.value!r}",
                                place=place, expected="a duration of zero or more")


def _where(kind: str, index: int, path: tuple[int, ...], name: str | None = None) -> str:
    """Human place of an item: its track label and 1-based item indexes below it."""
    items = ".".join(str(i + 1) for i in path[1:])
    text = f"{kind[:1]}{index}" + (f" item {items}" if items else "")
    return text + (f" {name!r:.60}" if name else "")


def _intersect(a: otio.opentime.TimeRange, b: otio.opentime.TimeRange
               ) -> otio.opentime.TimeRange | None:
    start = max(a.start_time, b.start_time)
    end = min(a.end_time_exclusive(), b.end_time_exclusive())
    if end <= start:
        return None
    return otio.opentime.range_from_start_end_time(start, end)


def _available(clip: otio.schema.Clip) -> otio.opentime.TimeRange | None:
    try:
        return clip.available_range()
    except Exception:  # noqa: BLE001 - OTIO raises bare errors for missing references
        return None


def frames(time: otio.opentime.RationalTime, rate: float) -> int:
    return round(time.value_rescaled_to(rate))


def timecode(frame: int, rate: float) -> str:
    """SMPTE timecode of an absolute frame count (drop frame only for 29.97/59.94).

    Rates SMPTE has no timecode for (2 fps, 97 fps ...) count whole frames per second
    at the rounded rate, non-drop, instead of failing the scan."""
    try:
        return str(otio.opentime.to_timecode(RT(frame, rate), rate))
    except ValueError:
        fps = max(1, round(rate))
        sign, frame = ("-", -frame) if frame < 0 else ("", frame)
        seconds, ff = divmod(frame, fps)
        minutes, ss = divmod(seconds, 60)
        hh, mm = divmod(minutes, 60)
        return f"{sign}{hh:02d}:{mm:02d}:{ss:02d}:{ff:02d}"
