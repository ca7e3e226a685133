"""One O(N) walk over a timeline: every clip with its range in the top-level timeline.

Per-clip ``transformed_time_range`` or ``range_in_parent`` is quadratic on a track
(see research/otio.md §4.2), so each composition is asked for
``range_of_all_children()`` once and nested compositions are shifted into the parent's
time as we descend. A nested composition's trimmed window clips what shows through it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeAlias

import opentimelineio as otio

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange
#: a TimeRange, or (start value, duration value, rate) not yet made into one: building
#: a TimeRange from Python costs ~1.3 µs, more than the rest of the walk per clip
Span: TypeAlias = "otio.opentime.TimeRange | tuple[float, float, float]"


def _as_range(span: Span) -> otio.opentime.TimeRange:
    if isinstance(span, tuple):
        start, duration, rate = span
        return TR(RT(start, rate), RT(duration, rate))
    return span


@dataclass(slots=True)
class ClipPlace:
    """Where one clip sits: its top-level track and its range in ``timeline.tracks`` time."""

    clip: otio.schema.Clip
    track: otio.schema.Track
    track_kind: str  # "Video" | "Audio"
    track_index: int  # 1-based within its kind
    span: Span  # visible part, in timeline.tracks time (no start TC); see ``range``
    enabled: bool
    path: tuple[int, ...]  # child indexes from the top-level stack down to the clip

    @property
    def range(self) -> otio.opentime.TimeRange:
        """The visible part as a TimeRange, built on first use (most clips never need it)."""
        if isinstance(self.span, tuple):
            self.span = _as_range(self.span)
        return self.span

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
    base = _record_base(timeline)
    for top_index, track in enumerate(timeline.tracks):
        if not isinstance(track, otio.schema.Track):
            continue
        kind = "Audio" if track.kind == otio.schema.TrackKind.Audio else "Video"
        counts[kind] += 1
        if not len(track):
            continue
        trim = track.trimmed_range()
        record_in = _record_in(track)
        if record_in is not None and base is not None:  # EDL: children start at record_in
            shift = record_in - base
            window = TR(shift, trim.duration)
        else:  # every top-level track starts at 0 in timeline.tracks time
            shift = RT(0, trim.duration.rate) - trim.start_time
            window = TR(RT(0, trim.duration.rate), trim.duration)
        yield from _walk(track, track, kind, counts[kind], shift, window,
                         bool(track.enabled), (top_index,))


def _walk(
    comp: otio.core.Composition,
    track: otio.schema.Track,
    kind: str,
    index: int,
    shift: otio.opentime.RationalTime,
    window: otio.opentime.TimeRange,
    enabled: bool,
    path: tuple[int, ...],
) -> Iterator[ClipPlace]:
    children = list(comp)  # one iterator: Track.__getitem__ is a slow Python wrapper
    placements = _track_placements(comp, children, shift, window)
    if placements is None:
        placements = _placements(comp, children, shift, window)
    for child_index, child, placed, visible in placements:
        child_enabled = enabled and bool(getattr(child, "enabled", True))
        child_path = (*path, child_index)
        if isinstance(child, otio.core.Composition):
            inner_shift = _as_range(placed).start_time - child.trimmed_range().start_time
            yield from _walk(child, track, kind, index, inner_shift, _as_range(visible),
                             child_enabled, child_path)
        elif isinstance(child, otio.schema.Clip):
            yield ClipPlace(child, track, kind, index, visible, child_enabled, child_path)


Placement = tuple[int, otio.core.Composable, Span, Span]  # index, child, placed, visible


def _placements(comp: otio.core.Composition, children: list[otio.core.Composable],
                shift: otio.opentime.RationalTime, window: otio.opentime.TimeRange
                ) -> list[Placement]:
    """(index, child, range in timeline.tracks time, its visible part) of each shown item."""
    ranges = comp.range_of_all_children()
    out = []
    for child_index, child in enumerate(children):
        if isinstance(child, (otio.schema.Transition, otio.schema.Gap)):
            continue
        r = ranges[child]
        placed = TR(r.start_time + shift, r.duration)
        visible = _intersect(placed, window)
        if visible is not None:
            out.append((child_index, child, placed, visible))
    return out


def _track_placements(comp: otio.core.Composition, children: list[otio.core.Composable],
                      shift: otio.opentime.RationalTime, window: otio.opentime.TimeRange
                      ) -> list[Placement] | None:
    """``_placements`` for a Track whose times all share one rate, in plain floats.

    ``range_of_all_children`` plus RationalTime arithmetic per clip cost ~15 µs; this
    does the same sums in Python floats (what OTIO's C++ does at an equal rate: add the
    values, compare value / rate) and builds TimeRanges only for the results. Returns
    None when a rate differs or a child is unusual, and the caller takes the general path.
    """
    if not isinstance(comp, otio.schema.Track) or not children:
        return None
    rate = shift.rate
    if window.start_time.rate != rate or window.duration.rate != rate:
        return None
    durations: list[float | None] = []
    for child in children:
        if isinstance(child, otio.schema.Transition):
            durations.append(None)
            continue
        if not isinstance(child, otio.core.Item):
            return None
        duration = child.trimmed_range().duration
        if duration.rate != rate:
            return None
        durations.append(duration.value)
    first = children[0]
    if isinstance(first, otio.schema.Transition) and first.in_offset.rate != rate:
        return None
    return _float_placements(children, durations, shift.value, window, rate)


def _float_placements(children: list[otio.core.Composable], durations: list[float | None],
                      shift: float, window: otio.opentime.TimeRange, rate: float
                      ) -> list[Placement]:
    low = window.start_time.value
    high = window.end_time_exclusive().value
    out = []
    end = 0.0
    for child_index, (child, duration) in enumerate(zip(children, durations, strict=True)):
        if duration is None:  # a transition overlaps its neighbours and takes no time
            continue
        start, end = end, end + duration
        if isinstance(child, otio.schema.Gap):
            continue
        placed_start = start + shift
        placed_end = placed_start + duration
        # max()/min() as Python applies them to RationalTime (C++ compares value / rate)
        first = low if placed_start / rate < low / rate else placed_start
        last = high if high / rate < placed_end / rate else placed_end
        if not first / rate < last / rate:
            continue
        out.append((child_index, child, (placed_start, duration, rate), (first, last - first, rate)))
    return out


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
    """SMPTE timecode of an absolute frame count (drop frame only for 29.97/59.94)."""
    return str(otio.opentime.to_timecode(RT(frame, rate), rate))
