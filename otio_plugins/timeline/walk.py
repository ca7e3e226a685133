"""One O(N) walk over a timeline: every clip with its range in the top-level timeline.

The walk fills per-track columns (``TrackClips``) that both the scan and the panel's lanes
read: the scan takes ``ClipPlace`` objects built from them, the lanes round the same floats
into frames (aiclear.timeline.lanes). One traversal, one placement model.

Per-clip ``transformed_time_range`` or ``range_in_parent`` is quadratic on a track
(see research/otio.md §4.2), so each composition is asked for
``range_of_all_children()`` once and nested compositions are shifted into the parent's
time as we descend. A nested composition's trimmed window clips what shows through it.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeAlias

import opentimelineio as otio

from aiclear.errors import TimelineError
from aiclear.model import track_label
from aiclear.safety import limits

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
        return track_label(self.track_kind, self.track_index)

    @property
    def track_name(self) -> str:
        return self.track.name or self.track_label


@dataclass(slots=True)
class TrackClips:
    """One top-level track's clips in walk order, as parallel columns (one entry per clip).

    The visible range of clip ``i`` is ``starts[i]``..``ends[i]`` in frames of
    ``rates[i]`` (timeline.tracks time, no start TC), the floats the walk summed; a clip
    placed by OTIO's own range maths (mixed rates, a stack) has its TimeRange in ``exact``
    instead. Objects are built only on demand: ``places()`` for the scan, ``frames()`` for
    the lanes.
    """

    track: otio.schema.Track
    kind: str  # "Video" | "Audio"
    index: int  # 1-based within its kind
    clips: list[otio.schema.Clip] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)  # exclusive
    rates: list[float] = field(default_factory=list)
    enabled: list[bool] = field(default_factory=list)  # the clip and every parent enabled
    paths: list[tuple[int, ...]] = field(default_factory=list)  # as ``ClipPlace.path``
    exact: dict[int, otio.opentime.TimeRange] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.clips)

    @property
    def label(self) -> str:
        return track_label(self.kind, self.index)

    def add(self, clip: otio.schema.Clip, start: float, end: float, rate: float,
            enabled: bool, path: tuple[int, ...]) -> None:
        self.clips.append(clip)
        self.starts.append(start)
        self.ends.append(end)
        self.rates.append(rate)
        self.enabled.append(enabled)
        self.paths.append(path)

    def add_range(self, clip: otio.schema.Clip, visible: otio.opentime.TimeRange,
                  enabled: bool, path: tuple[int, ...]) -> None:
        self.exact[len(self.clips)] = visible
        self.add(clip, math.nan, math.nan, math.nan, enabled, path)

    def truncate(self, length: int) -> None:
        """Forget the clips from ``length`` on (a float walk that gave way)."""
        for column in (self.clips, self.starts, self.ends, self.rates, self.enabled, self.paths):
            del column[length:]
        for i in [i for i in self.exact if i >= length]:
            del self.exact[i]

    def places(self) -> list[ClipPlace]:
        """The scan's view: one ``ClipPlace`` per clip, ranges exactly as summed."""
        track, kind, index = self.track, self.kind, self.index
        out = [ClipPlace(clip, track, kind, index, (start, end - start, rate), enabled, path)
               for clip, start, end, rate, enabled, path in zip(
                   self.clips, self.starts, self.ends, self.rates, self.enabled, self.paths,
                   strict=True)]
        for i, span in self.exact.items():
            out[i].span = span
        return out

    def frames(self, rate: float) -> tuple[list[int], list[int]]:
        """Visible starts and (exclusive) ends in whole frames of ``rate``, rounded as
        ``frames()`` rounds the scan's ranges: what the panel's lanes draw."""
        if not self.exact and all(r == rate for r in set(self.rates)):  # one rate: as summed
            return list(map(round, self.starts)), list(map(round, self.ends))
        starts: list[int] = []
        ends: list[int] = []
        for i, (start, end, own) in enumerate(zip(self.starts, self.ends, self.rates, strict=True)):
            span = self.exact.get(i)
            if span is not None:
                starts.append(frames(span.start_time, rate))
                ends.append(frames(span.end_time_exclusive(), rate))
            else:  # as frames() of place.range: the end is start + duration, rescaled
                end = start + (end - start)
                starts.append(round(start if own == rate else start * rate / own))
                ends.append(round(end if own == rate else end * rate / own))
        return starts, ends


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
    base = record_base(timeline)
    return 0 if base is None else round(base.value_rescaled_to(rate))


def track_record_in(track: otio.core.Composition) -> otio.opentime.RationalTime | None:
    """The record start a reader encoded as a negative track start, if any.

    The CMX 3600 reader stores an EDL's first record timecode as
    ``track.source_range.start_time = -record_in``, which OTIO's own range maths
    reject; we read it as the track's record offset instead.
    """
    if not len(track):
        return None
    start = track.trimmed_range().start_time
    return -start if start.value < 0 else None


def record_base(timeline: otio.schema.Timeline) -> otio.opentime.RationalTime | None:
    starts = [r for t in timeline.tracks if (r := track_record_in(t)) is not None]
    return min(starts) if starts else None


def columns(timeline: otio.schema.Timeline, *, strict: bool = True) -> list[TrackClips]:
    """Every top-level track (empty ones included) in ``timeline.tracks`` order, with its
    clips, nested compositions flattened into it.

    Raises ``TimelineError`` for a time or a nesting the scan cannot trust. ``strict=False``
    skips those checks, for drawing a timeline the scan will refuse (the panel shows it,
    then the scan blocks it with the strict walk's message)."""
    counts = {"Video": 0, "Audio": 0}
    bounds = _Bounds() if strict else _Unchecked()
    if timeline.global_start_time is not None:
        bounds.check(timeline.global_start_time, "global start time", "timeline")
    base = record_base(timeline)
    out: list[TrackClips] = []
    for top_index, track in enumerate(timeline.tracks):
        if not isinstance(track, otio.schema.Track):
            continue
        kind = "Audio" if track.kind == otio.schema.TrackKind.Audio else "Video"
        counts[kind] += 1
        found = TrackClips(track, kind, counts[kind])
        out.append(found)
        if len(track):
            _walk_track(track, top_index, found, base, bounds)
    return out


def places(timeline: otio.schema.Timeline) -> Iterator[ClipPlace]:
    """Every clip on every track, nested compositions included, in track order."""
    for track in columns(timeline):
        yield from track.places()


def all_places(tracks: Iterable[TrackClips]) -> list[ClipPlace]:
    """The scan's flat list of places from a walk already made (e.g. by the panel)."""
    return [place for track in tracks for place in track.places()]


def _walk_track(track: otio.schema.Track, top_index: int, out: TrackClips,
                base: otio.opentime.RationalTime | None, bounds: _Bounds) -> None:
    trim = track.trimmed_range()
    try:
        bounds.check_range(trim, out.label, track.name)
    except TimelineError:  # name the clip that made the track's range bad, if one did
        empty = TR(RT(0, 24), RT(0, 24))
        _walk(track, TrackClips(track, out.kind, out.index), RT(0, 24), empty, True,
              (top_index,), bounds)
        raise
    record_in = track_record_in(track)
    if record_in is not None and base is not None:  # EDL: children start at record_in
        shift = record_in - base
        window = TR(shift, trim.duration)
    else:  # every top-level track starts at 0 in timeline.tracks time
        shift = RT(0, trim.duration.rate) - trim.start_time
        window = TR(RT(0, trim.duration.rate), trim.duration)
    _walk(track, out, shift, window, bool(track.enabled), (top_index,), bounds)


def _walk(
    comp: otio.core.Composition,
    out: TrackClips,
    shift: otio.opentime.RationalTime,
    window: otio.opentime.TimeRange,
    enabled: bool,
    path: tuple[int, ...],
    bounds: _Bounds,
) -> None:
    if len(path) > bounds.depth:
        raise TimelineError(None, f"compositions nested deeper than {bounds.depth} levels",
                            place=_where(out.kind, out.index, path, comp.name),
                            expected="a timeline nested less deeply (AICLEAR_MAX_DEPTH)")
    children = list(comp)  # one iterator: Track.__getitem__ is a slow Python wrapper
    floats = _track_placements(comp, children, shift, window, bounds)
    if floats is not None and _float_walk(children, floats, out, shift, window, enabled, path,
                                          bounds):
        return
    for child_index, child, placed, visible in _placements(
            comp, children, shift, window, bounds, out.kind, out.index, path):
        child_enabled = enabled and bool(getattr(child, "enabled", True))
        child_path = (*path, child_index)
        if isinstance(child, otio.core.Composition):
            inner_shift = placed.start_time - child.trimmed_range().start_time
            _walk(child, out, inner_shift, visible, child_enabled, child_path, bounds)
        elif isinstance(child, otio.schema.Clip):
            out.add_range(child, visible, child_enabled, child_path)


#: index, child, range in timeline.tracks time, its visible part
Placement = tuple[int, otio.core.Composable, otio.opentime.TimeRange, otio.opentime.TimeRange]


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


# What a child is, by its exact type: ``isinstance`` on OTIO's classes costs ~0.15 µs, and
# the float path asks it of every child.
_TRANSITION, _GAP, _CLIP, _COMPOSITION, _ITEM, _OTHER = range(1, 7)
_KINDS: dict[type, int] = {}


def _kind(child: otio.core.Composable) -> int:
    kind = _KINDS.get(type(child))
    if kind is None:
        kind = (_TRANSITION if isinstance(child, otio.schema.Transition)
                else _GAP if isinstance(child, otio.schema.Gap)
                else _CLIP if isinstance(child, otio.schema.Clip)
                else _COMPOSITION if isinstance(child, otio.core.Composition)
                else _ITEM if isinstance(child, otio.core.Item) else _OTHER)
        _KINDS[type(child)] = kind
    return kind


def _track_placements(comp: otio.core.Composition, children: list[otio.core.Composable],
                      shift: otio.opentime.RationalTime, window: otio.opentime.TimeRange,
                      bounds: _Bounds) -> tuple[list[float], list[int]] | None:
    """The float path's inputs for a Track whose times all share one rate: each child's
    duration value and kind; None when it cannot take that path (the caller then takes
    the general path, which reports bad times exactly as before)."""
    if not isinstance(comp, otio.schema.Track) or not children:
        return None
    rate = shift.rate
    if window.start_time.rate != rate or window.duration.rate != rate:
        return None
    if not (math.isfinite(rate) and rate > 0):
        return None
    durations: list[float] = []
    kinds: list[int] = []
    known = _KINDS
    for child in children:
        kind = known.get(type(child)) or _kind(child)
        kinds.append(kind)
        if kind == _TRANSITION:
            durations.append(0.0)
            continue
        if kind == _OTHER:
            return None
        try:
            duration = child.trimmed_range().duration
        except Exception:  # noqa: BLE001 - the general path raises OTIO's own error for it
            return None
        if duration.rate != rate:
            return None
        durations.append(duration.value)
    first = children[0]
    if kinds[0] == _TRANSITION and first.in_offset.rate != rate:
        return None
    return durations, kinds


def _float_walk(children: list[otio.core.Composable], floats: tuple[list[float], list[int]],
                out: TrackClips, shift: otio.opentime.RationalTime,
                window: otio.opentime.TimeRange, enabled: bool, path: tuple[int, ...],
                bounds: _Bounds) -> bool:
    """``_placements`` for a Track at one rate, in plain floats, straight into ``out``.

    ``range_of_all_children`` plus RationalTime arithmetic per clip cost ~15 µs; this
    does the same sums in Python floats (what OTIO's C++ does at an equal rate: add the
    values, compare value / rate). Returns False, with ``out`` as it was, when a time is
    out of bounds or a composition is hidden: the general path then reports or checks it.
    """
    rate, offset = shift.rate, shift.value
    low = window.start_time.value
    high = window.end_time_exclusive().value
    seconds = bounds.seconds
    mark = len(out)
    end = 0.0
    for child_index, (child, duration, kind) in enumerate(zip(children, *floats, strict=True)):
        if kind == _TRANSITION:  # a transition overlaps its neighbours and takes no time
            continue
        start, end = end, end + duration
        if kind == _GAP:
            continue
        # _Bounds.check_range's tests; a failure goes to the general path, which reports it
        if not (math.isfinite(start) and math.isfinite(duration) and duration >= 0
                and abs(start / rate) <= seconds and abs(duration / rate) <= seconds):
            out.truncate(mark)
            return False
        placed_start = start + offset
        placed_end = placed_start + duration
        # max()/min() as Python applies them to RationalTime (C++ compares value / rate)
        first = low if placed_start / rate < low / rate else placed_start
        last = high if high / rate < placed_end / rate else placed_end
        if not first / rate < last / rate:
            if kind == _COMPOSITION:  # the general path checks what is inside it
                out.truncate(mark)
                return False
            continue
        if kind == _CLIP:
            out.add(child, first, last, rate, enabled and bool(child.enabled),
                    (*path, child_index))
        elif kind == _COMPOSITION:
            inner_shift = RT(placed_start, rate) - child.trimmed_range().start_time
            _walk(child, out, inner_shift, TR(RT(first, rate), RT(last - first, rate)),
                  enabled and bool(child.enabled), (*path, child_index), bounds)
    return True


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


class _Unchecked(_Bounds):
    """No limits: the walk of a timeline only drawn, never judged (``columns(strict=False)``).
    Nesting is bounded by Python's recursion limit, as the lanes' own traversal was."""

    def __init__(self) -> None:
        self.seconds = math.inf
        self.depth = sys.maxsize

    def check(self, t: otio.opentime.RationalTime, what: str, place: str) -> None:
        return None

    def check_range(self, r: otio.opentime.TimeRange, place: str, name: str | None) -> None:
        return None


def _where(kind: str, index: int, path: tuple[int, ...], name: str | None = None) -> str:
    """Human place of an item: its track label and 1-based item indexes below it."""
    items = ".".join(str(i + 1) for i in path[1:])
    text = track_label(kind, index) + (f" item {items}" if items else "")
    return text + (f" {name!r:.60}" if name else "")


def intersect(a: otio.opentime.TimeRange, b: otio.opentime.TimeRange
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
