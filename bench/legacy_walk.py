"""The walk and the lanes as they were before they shared one traversal (frozen copies).

Until the panel's lanes were read off the walk's columns (aiclear.timeline.walk.columns),
the scan walked a timeline into ``ClipPlace`` objects and the lanes walked it again in
plain frame numbers. This module keeps those two traversals unchanged, as the baseline
bench/walk_bench.py times the shared walk against and as the oracle the property test in
tests/core/test_shared_walk.py compares it with. Not used by aiclear itself.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

import opentimelineio as otio

from aiclear.errors import TimelineError
from aiclear.model import track_label
from aiclear.timeline.lanes import Lane
from aiclear.timeline.walk import (
    ClipPlace,
    Span,
    _as_range,
    _Bounds,
    _where,
    intersect,
    record_base,
    track_record_in,
)

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange


def scan_places(timeline: otio.schema.Timeline) -> Iterator[ClipPlace]:
    """Yield every clip on every track, nested compositions included, in track order."""
    counts = {"Video": 0, "Audio": 0}
    bounds = _Bounds()
    if timeline.global_start_time is not None:
        bounds.check(timeline.global_start_time, "global start time", "timeline")
    base = record_base(timeline)
    for top_index, track in enumerate(timeline.tracks):
        if not isinstance(track, otio.schema.Track):
            continue
        kind = "Audio" if track.kind == otio.schema.TrackKind.Audio else "Video"
        counts[kind] += 1
        if not len(track):
            continue
        trim = track.trimmed_range()
        try:
            bounds.check_range(trim, track_label(kind, counts[kind]), track.name)
        except TimelineError:  # name the clip that made the track's range bad, if one did
            empty = TR(RT(0, 24), RT(0, 24))
            for _ in _walk(track, track, kind, counts[kind], RT(0, 24), empty, True,
                           (top_index,), bounds):
                pass
            raise
        record_in = track_record_in(track)
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
    children = list(comp)  # one iterator: Track.__getitem__ is a slow Python wrapper
    fast = _track_placements(comp, children, shift, window, bounds)
    placements: Iterable[Placement] = (
        fast if fast is not None
        else _placements(comp, children, shift, window, bounds, kind, index, path))
    for child_index, child, placed, visible in placements:
        child_enabled = enabled and bool(getattr(child, "enabled", True))
        child_path = (*path, child_index)
        if isinstance(child, otio.core.Composition):
            inner_shift = _as_range(placed).start_time - child.trimmed_range().start_time
            yield from _walk(child, track, kind, index, inner_shift, _as_range(visible),
                             child_enabled, child_path, bounds)
        elif isinstance(child, otio.schema.Clip):
            yield ClipPlace(child, track, kind, index, visible, child_enabled, child_path)


Placement = tuple[int, otio.core.Composable, Span, Span]  # index, child, placed, visible


def _placements(comp: otio.core.Composition, children: list[otio.core.Composable],
                shift: otio.opentime.RationalTime, window: otio.opentime.TimeRange,
                bounds: _Bounds, kind: str, index: int, path: tuple[int, ...]
                ) -> Iterator[Placement]:
    """(index, child, range in timeline.tracks time, its visible part) of each shown item,
    checking each range as it goes (so a bad item is reported where the walk meets it)."""
    ranges = comp.range_of_all_children()
    for child_index, child in enumerate(children):
        if isinstance(child, (otio.schema.Transition, otio.schema.Gap)):
            continue
        r = ranges[child]
        bounds.check_range(r, _where(kind, index, (*path, child_index)), child.name)
        placed = TR(r.start_time + shift, r.duration)
        visible = intersect(placed, window)
        if visible is not None:
            yield child_index, child, placed, visible
        elif isinstance(child, otio.core.Composition):
            _check_hidden(child, bounds, _where(kind, index, (*path, child_index)))


def _check_hidden(comp: otio.core.Composition, bounds: _Bounds, place: str) -> None:
    """Check the times inside a composition the walk does not show: a bad rate or
    duration inside it can be what made it vanish, and must not pass silently."""
    for item in comp.find_children():
        if isinstance(item, otio.core.Item) and not isinstance(item, otio.schema.Gap):
            bounds.check_range(item.trimmed_range(), place, item.name)


def _track_placements(comp: otio.core.Composition, children: list[otio.core.Composable],
                      shift: otio.opentime.RationalTime, window: otio.opentime.TimeRange,
                      bounds: _Bounds) -> list[Placement] | None:
    """``_placements`` for a Track whose times all share one rate, in plain floats.

    ``range_of_all_children`` plus RationalTime arithmetic per clip cost ~15 µs; this
    does the same sums in Python floats (what OTIO's C++ does at an equal rate: add the
    values, compare value / rate) and builds TimeRanges only for the results. Returns
    None when a rate differs, a child is unusual or a time is out of bounds: the caller
    then takes the general path, which reports bad times exactly as before.
    """
    if not isinstance(comp, otio.schema.Track) or not children:
        return None
    rate = shift.rate
    if window.start_time.rate != rate or window.duration.rate != rate:
        return None
    if not (math.isfinite(rate) and rate > 0):
        return None
    durations: list[float | None] = []
    for child in children:
        if isinstance(child, otio.schema.Transition):
            durations.append(None)
            continue
        if not isinstance(child, otio.core.Item):
            return None
        try:
            duration = child.trimmed_range().duration
        except Exception:  # noqa: BLE001 - the general path raises OTIO's own error for it
            return None
        if duration.rate != rate:
            return None
        durations.append(duration.value)
    first = children[0]
    if isinstance(first, otio.schema.Transition) and first.in_offset.rate != rate:
        return None
    return _float_placements(children, durations, shift.value, window, rate, bounds.seconds)


def _float_placements(children: list[otio.core.Composable], durations: list[float | None],
                      shift: float, window: otio.opentime.TimeRange, rate: float,
                      seconds: float) -> list[Placement] | None:
    low = window.start_time.value
    high = window.end_time_exclusive().value
    out: list[Placement] = []
    end = 0.0
    for child_index, (child, duration) in enumerate(zip(children, durations, strict=True)):
        if duration is None:  # a transition overlaps its neighbours and takes no time
            continue
        start, end = end, end + duration
        if isinstance(child, otio.schema.Gap):
            continue
        # _Bounds.check_range's tests; a failure goes to the general path, which reports it
        if not (math.isfinite(start) and math.isfinite(duration) and duration >= 0
                and abs(start / rate) <= seconds and abs(duration / rate) <= seconds):
            return None
        placed_start = start + shift
        placed_end = placed_start + duration
        # max()/min() as Python applies them to RationalTime (C++ compares value / rate)
        first = low if placed_start / rate < low / rate else placed_start
        last = high if high / rate < placed_end / rate else placed_end
        if not first / rate < last / rate:
            if isinstance(child, otio.core.Composition):
                return None  # the general path checks what is inside it
            continue
        out.append((child_index, child, (placed_start, duration, rate), (first, last - first, rate)))
    return out


def panel_lanes(timeline: otio.schema.Timeline, rate: float) -> list[Lane]:
    """One lane per top-level track (empty tracks included), in ``timeline.tracks`` order."""
    counts = {"Video": 0, "Audio": 0}
    base = record_base(timeline)  # EDL record offsets, as the walk reads them
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
    record_in = track_record_in(track)
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
