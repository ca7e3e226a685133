"""One walk for the scan and the lanes: the same places and lanes as the two traversals
it replaced (kept frozen in bench/legacy_walk.py), on random nested timelines."""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import opentimelineio as otio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiclear.errors import TimelineError
from aiclear.safety import limits
from aiclear.scan.core import scan_timeline
from aiclear.scan.settings import SettingsSpec
from aiclear.timeline import lanes, walk
from aiclear.timeline.lanes import Lane, link_segments

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import legacy_walk  # noqa: E402 - the walk and lanes before they were shared

RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange
RATES = [24.0, 25.0, 23.976, 29.97, 30.0, 60.0]
EXAMPLES = int(os.environ.get("AICLEAR_HYPOTHESIS_EXAMPLES", "150"))  # raise it for a deeper search
PROFILE = settings(max_examples=EXAMPLES, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def frames(draw: st.DrawFn, low: int = 0, high: int = 120) -> float:
    """Whole frames, or half frames (they round to even: where float sums could differ)."""
    return draw(st.integers(low * 2, high * 2)) / 2


@st.composite
def clips(draw: st.DrawFn, rate: float, mixed: bool) -> otio.schema.Clip:
    own = draw(st.sampled_from(RATES)) if mixed and draw(st.booleans()) else rate
    clip = otio.schema.Clip(draw(st.sampled_from(["a", "b", "AI_GEN", ""])),
                            source_range=TR(RT(draw(frames(0, 500)), own),
                                            RT(draw(frames(0, 80)), own)))
    clip.enabled = draw(st.integers(0, 4)) > 0
    return clip


@st.composite
def items(draw: st.DrawFn, rate: float, mixed: bool, depth: int) -> list[otio.core.Composable]:
    kinds = ["clip", "clip", "clip", "gap", "transition", "stack", "track"]
    out: list[otio.core.Composable] = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(kinds if depth < 3 else ["clip", "gap"]))
        if kind == "clip":
            out.append(draw(clips(rate, mixed)))
        elif kind == "gap":
            out.append(otio.schema.Gap(source_range=TR(RT(0, rate), RT(draw(frames(0, 60)), rate))))
        elif kind == "transition" and out and not isinstance(out[-1], otio.schema.Transition):
            offset = RT(draw(st.integers(0, 4)), rate)
            out.append(otio.schema.Transition(in_offset=offset, out_offset=offset))
        elif kind in ("stack", "track"):
            out.append(draw(nested(rate, mixed, depth + 1, kind == "stack")))
    while out and isinstance(out[-1], otio.schema.Transition):
        out.pop()  # a transition needs a neighbour on each side
    return out


@st.composite
def nested(draw: st.DrawFn, rate: float, mixed: bool, depth: int, stack: bool
           ) -> otio.core.Composition:
    comp: otio.core.Composition
    if stack:
        comp = otio.schema.Stack("compound")
        for _ in range(draw(st.integers(1, 2))):
            inner = otio.schema.Track("inner")
            inner.extend(draw(items(rate, mixed, depth)))
            comp.append(inner)
    else:
        comp = otio.schema.Track("nested")
        comp.extend(draw(items(rate, mixed, depth)))
    _trim(draw, comp, rate)
    comp.enabled = draw(st.integers(0, 4)) > 0
    return comp


def _trim(draw: st.DrawFn, comp: otio.core.Composition, rate: float) -> None:
    """Sometimes a trimmed window (it clips what shows through it)."""
    total = comp.duration().value_rescaled_to(rate)
    if total >= 2 and draw(st.booleans()):
        start = draw(st.integers(0, int(total) - 1))
        comp.source_range = TR(RT(start, rate), RT(draw(frames(1, int(total) - start)), rate))


@st.composite
def timelines(draw: st.DrawFn, mixed: bool) -> otio.schema.Timeline:
    rate = draw(st.sampled_from(RATES))
    start = draw(st.one_of(st.none(), st.integers(0, 90_000)))
    tl = otio.schema.Timeline("random", global_start_time=None if start is None else RT(start, rate))
    edl = draw(st.integers(0, 5)) == 0  # record timecodes as negative track starts (cmx_3600)
    for n in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from([otio.schema.TrackKind.Video, otio.schema.TrackKind.Audio]))
        track = otio.schema.Track(f"T{n}" if draw(st.booleans()) else "", kind=kind)
        track.extend(draw(items(rate, mixed, 0)))
        if edl and len(track):
            record_in = draw(st.integers(86_400, 90_000))
            track.source_range = TR(RT(-record_in, rate), track.duration())
        else:
            _trim(draw, track, rate)
        track.enabled = draw(st.integers(0, 4)) > 0
        tl.tracks.append(track)
    return tl


def _row(place: walk.ClipPlace) -> tuple[object, ...]:
    """Everything a place says, the span exactly as stored (a tuple or a TimeRange)."""
    span = place.span
    if isinstance(span, tuple):
        exact: tuple[object, ...] = ("floats", *span)
    else:
        exact = ("range", span.start_time.value, span.start_time.rate,
                 span.duration.value, span.duration.rate)
    return (place.clip, place.track, place.track_kind, place.track_index, exact,
            place.enabled, place.path)


def _lane(lane: Lane) -> tuple[object, ...]:
    return (lane.label, lane.name, lane.kind, lane.enabled, lane.starts, lane.ends, lane.names,
            lane.clip_enabled, lane.segments)


def _places_or_error(fn: object, tl: otio.schema.Timeline) -> list[tuple[object, ...]] | str:
    assert callable(fn)
    try:
        return [_row(p) for p in fn(tl)]
    except TimelineError as err:
        return f"TimelineError: {err}"


def _walk_rows(tl: otio.schema.Timeline, rate: float) -> list[tuple[object, ...]]:
    """Each place as a lane entry, its frames as the scan computes a segment's."""
    return [(p.track_label, walk.frames(p.range.start_time, rate),
             walk.frames(p.range.end_time_exclusive(), rate), p.clip.name, p.enabled)
            for p in walk.places(tl)]


def _lane_rows(found: list[Lane]) -> list[tuple[object, ...]]:
    return [(lane.label, *row) for lane in found
            for row in zip(lane.starts, lane.ends, lane.names, lane.clip_enabled, strict=True)]


@PROFILE
@given(timelines(mixed=True))
def test_places_are_the_old_walks(tl: otio.schema.Timeline) -> None:
    assert _places_or_error(walk.places, tl) == _places_or_error(legacy_walk.scan_places, tl)


BAD = [math.nan, math.inf, -math.inf, 0.0, -24.0, 1e300, -1e300]


@PROFILE
@given(timelines(mixed=True), st.sampled_from(BAD), st.sampled_from(["rate", "value", "duration"]),
       st.integers(1, 4), st.data())
def test_bad_times_raise_the_old_walks_error(tl: otio.schema.Timeline, bad: float, where: str,
                                            depth: int, data: st.DataObject) -> None:
    """Impossible times and deep nesting: the same error, from the same item, or the same
    places when the bad item is hidden or takes no time."""
    found = list(tl.find_clips())
    if found:
        clip = data.draw(st.sampled_from(found))
        r = clip.source_range
        if where == "rate":
            clip.source_range = TR(RT(r.start_time.value, bad), RT(r.duration.value, bad))
        elif where == "value":
            clip.source_range = TR(RT(bad, r.start_time.rate), r.duration)
        else:
            clip.source_range = TR(r.start_time, RT(bad, r.duration.rate))
    with pytest.MonkeyPatch.context() as patch:  # below AICLEAR_MAX_DEPTH's minimum of 8
        patch.setattr(limits, "max_depth", lambda: depth)
        assert _places_or_error(walk.places, tl) == _places_or_error(legacy_walk.scan_places, tl)


@PROFILE
@given(timelines(mixed=False))
def test_lanes_are_the_old_lanes_at_one_rate(tl: otio.schema.Timeline) -> None:
    """At one rate too the lanes are the scan's frames; the old lanes differed only where a
    trimmed nested window cut a clip on a half frame (they rounded that tie the other way),
    and everywhere else the new lanes are the old ones."""
    rate = walk.timeline_rate(tl)
    new, old = lanes.lanes(tl, rate), legacy_walk.panel_lanes(tl, rate)
    assert _lane_rows(new) == _walk_rows(tl, rate)
    if _lane_rows(old) == _walk_rows(tl, rate):
        assert [_lane(x) for x in new] == [_lane(x) for x in old]


@PROFILE
@given(timelines(mixed=True))
def test_lanes_are_the_scans_frames_and_the_old_lanes_where_those_agreed(
        tl: otio.schema.Timeline) -> None:
    """With mixed rates the old lanes summed rescaled floats and could round a clip a frame
    away from the scan's segment, or drop a clip the scan counts: the shared walk's lanes
    are the scan's frames, and wherever the old lanes agreed with those, the old lanes."""
    rate = walk.timeline_rate(tl)
    new, old = lanes.lanes(tl, rate), legacy_walk.panel_lanes(tl, rate)
    expected = _walk_rows(tl, rate)
    assert _lane_rows(new) == expected
    if _lane_rows(old) == expected:
        assert [_lane(x) for x in new] == [_lane(x) for x in old]


@PROFILE
@given(timelines(mixed=True))
def test_unchecked_walk_equals_the_checked_one_on_valid_timelines(tl: otio.schema.Timeline) -> None:
    checked = [p for t in walk.columns(tl) for p in t.places()]
    unchecked = [p for t in walk.columns(tl, strict=False) for p in t.places()]
    assert [_row(p) for p in checked] == [_row(p) for p in unchecked]


def test_a_mixed_rate_ai_clip_links_to_its_lane_entry() -> None:
    """A case the old lanes got wrong (found by the test above): after a nested track at
    24 fps in a 23.976 fps cut, the scan puts the AI clip at frames 13-14 and the old lanes
    drew it at 14-14, so the strip could not find its segment to colour it."""
    def clip(name: str, frames: float, rate: float) -> otio.schema.Clip:
        return otio.schema.Clip(name, source_range=TR(RT(0, rate), RT(frames, rate)))

    def gap(frames: float, rate: float) -> otio.schema.Gap:
        return otio.schema.Gap(source_range=TR(RT(0, rate), RT(frames, rate)))

    tl = otio.schema.Timeline("mixed")
    nested = otio.schema.Track("nested")
    nested.extend([gap(2.5, 23.976), clip("z", 0, 24)])
    track = otio.schema.Track("V1")
    track.extend([gap(11, 23.976), clip("first", 0, 23.976), nested,
                  clip("AI_GEN_insert", 0.5, 23.976)])
    tl.tracks.append(track)
    result = scan_timeline(tl, SettingsSpec("baseline")())
    [segment] = result.segments
    assert (segment.start_frame, segment.end_frame) == (13, 14)
    [old] = legacy_walk.panel_lanes(tl, result.rate)
    assert (old.starts, old.ends, old.names) == ([14], [14], ["AI_GEN_insert"])
    [new] = lanes.lanes(tl, result.rate)
    assert (new.starts, new.ends, new.names) == ([11, 13], [11, 14], ["first", "AI_GEN_insert"])
    link_segments([new], result.segments)
    assert new.segments == [-1, 0]


@pytest.mark.parametrize("strict", [True, False])
def test_times_beyond_the_limit(strict: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AICLEAR_MAX_SECONDS", "10")
    tl = otio.schema.Timeline("long")
    track = otio.schema.Track("V1")
    track.extend([otio.schema.Clip("a", source_range=TR(RT(0, 24), RT(48, 24))),
                  otio.schema.Clip("b", source_range=TR(RT(0, 24), RT(480, 24)))])
    tl.tracks.append(track)
    if strict:
        with pytest.raises(TimelineError, match="beyond 10 s"):
            walk.columns(tl)
    else:
        [found] = walk.columns(tl, strict=False)
        assert found.frames(24.0) == ([0, 48], [48, 528])
