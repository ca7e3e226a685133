"""Property tests (hypothesis) over random timelines.

1. ``scan_timeline`` never raises unexpectedly: a valid timeline is scanned; one with
   impossible times raises only ``TimelineError`` (one line; the CLI blocks on it).
2. The O(N) walk agrees with OTIO's own ``transformed_time_range``: equal for every clip
   that is fully visible, inside it for clips a trimmed compound cuts.
3. tag -> write (every format) -> read keeps the AI set, from the carriers alone.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import opentimelineio as otio
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aiclear.detect.register import load_register
from aiclear.errors import TimelineError
from aiclear.gate import writeback as tag
from aiclear.scan.core import scan_timeline
from aiclear.scan.settings import ScanSettings
from aiclear.timeline import walk
from aiclear.timeline.read import read_file

RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange
RATES = [23.976, 24.0, 25.0, 29.97, 30.0, 48.0, 50.0, 59.94, 60.0]
NAMES = ["SC01_TK01", "plate_v003", "Hawaii_sunset", "Aidan_CU", "logo.ai", "MAIN TITLE",
         "GENAI_skyline", "SORA2_beach", "Midjourney_matte", "synthetic_crowd", "AI_GEN_insert",
         "ElevenLabs_voice", "Runway Gen-4 plate", "x" * 300, "名前_テスト", ""]

EXAMPLES = int(os.environ.get("AICLEAR_HYPOTHESIS_EXAMPLES", "60"))  # raise it for a deeper search
PROFILE = settings(max_examples=EXAMPLES, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.function_scoped_fixture])


@st.composite
def rates(draw: st.DrawFn) -> float:
    return draw(st.one_of(st.sampled_from(RATES), st.floats(1.0, 240.0, allow_nan=False)))


@st.composite
def clips(draw: st.DrawFn, rate: float) -> otio.schema.Clip:
    clip_rate = draw(st.one_of(st.just(rate), rates()))
    start = draw(st.integers(0, 10_000))
    frames = draw(st.integers(1, 500))
    clip = otio.schema.Clip(draw(st.sampled_from(NAMES)),
                            source_range=TR(RT(start, clip_rate), RT(frames, clip_rate)))
    clip.enabled = draw(st.booleans()) or draw(st.booleans())
    return clip


@st.composite
def items(draw: st.DrawFn, rate: float, depth: int) -> list[Any]:
    out: list[Any] = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["clip", "clip", "clip", "gap", "transition", "stack"]
                                    if depth < 3 else ["clip", "gap"]))
        if kind == "clip":
            out.append(draw(clips(rate)))
        elif kind == "gap":
            out.append(otio.schema.Gap(source_range=TR(RT(0, rate), RT(draw(st.integers(0, 200)), rate))))
        elif kind == "transition" and out and not isinstance(out[-1], otio.schema.Transition):
            offset = RT(draw(st.integers(0, 3)), rate)
            out.append(otio.schema.Transition(in_offset=offset, out_offset=offset))
        elif kind == "stack":
            out.append(draw(stacks(rate, depth + 1)))
    while out and isinstance(out[-1], otio.schema.Transition):
        out.pop()  # a transition needs a neighbour on each side
    return out


@st.composite
def stacks(draw: st.DrawFn, rate: float, depth: int) -> otio.schema.Stack:
    stack = otio.schema.Stack("compound")
    for _ in range(draw(st.integers(1, 2))):
        track = otio.schema.Track("inner")
        track.extend(draw(items(rate, depth)))
        stack.append(track)
    # the duration at the stack's own rate, in frames of ``rate`` (the rates may differ)
    if draw(st.booleans()) and stack.duration().value_rescaled_to(rate) > 1:
        total = int(stack.duration().value_rescaled_to(rate))
        start = draw(st.integers(0, total - 1))
        stack.source_range = TR(RT(start, rate), RT(draw(st.integers(1, total - start)), rate))
    stack.enabled = draw(st.booleans()) or draw(st.booleans())
    return stack


@st.composite
def timelines(draw: st.DrawFn) -> otio.schema.Timeline:
    rate = draw(rates())
    # within the 100-hour limit on any time (aiclear.safety.limits): beyond it is a TimelineError
    start = draw(st.one_of(st.none(), st.integers(0, int(24 * 3600 * rate))))
    tl = otio.schema.Timeline("random", global_start_time=None if start is None else RT(start, rate))
    for n in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from([otio.schema.TrackKind.Video, otio.schema.TrackKind.Audio]))
        track = otio.schema.Track(f"T{n}", kind=kind)
        track.extend(draw(items(rate, 0)))
        track.enabled = draw(st.booleans()) or draw(st.booleans())
        tl.tracks.append(track)
    return tl


SETTINGS = ScanSettings()


@PROFILE
@given(timelines())
def test_scan_never_raises_on_valid_timelines(tl: otio.schema.Timeline) -> None:
    result = scan_timeline(tl, SETTINGS)
    assert result.error is None
    assert result.clip_count == len(list(walk.places(tl)))
    for segment in result.segments:
        assert 0 <= segment.start_frame <= segment.end_frame
        if not segment.enabled:
            assert all(f.severity != "block" for f in segment.findings)


BAD_VALUES = [math.nan, math.inf, -math.inf, 0.0, -24.0, 1e300, -1e300]


@PROFILE
@given(timelines(), st.sampled_from(BAD_VALUES), st.sampled_from(["rate", "value", "duration"]),
       st.data())
def test_impossible_times_raise_only_timeline_error(tl: otio.schema.Timeline, bad: float, where: str,
                                                     data: st.DataObject) -> None:
    found = list(tl.find_clips())
    assume(found)
    clip = data.draw(st.sampled_from(found))
    r = clip.source_range
    if where == "rate":
        clip.source_range = TR(RT(r.start_time.value, bad), RT(r.duration.value, bad))
    elif where == "value":
        clip.source_range = TR(RT(bad, r.start_time.rate), r.duration)
    else:
        clip.source_range = TR(r.start_time, RT(bad, r.duration.rate))
    error: TimelineError | None = None
    try:
        scan_timeline(tl, SETTINGS)  # anything but TimelineError fails the test
    except TimelineError as err:
        error = err
    if error is not None:
        assert "\n" not in str(error)
        assert error.place  # names the track and item


def _seconds(t: otio.opentime.RationalTime) -> float:
    return t.to_seconds()


@PROFILE
@given(timelines())
def test_walk_ranges_match_otio_transformed_time_range(tl: otio.schema.Timeline) -> None:
    seen = set()
    tol = 1e-6
    for place in walk.places(tl):
        clip = place.clip
        seen.add(id(clip))
        expected = clip.transformed_time_range(clip.trimmed_range(), tl.tracks)
        got = place.range
        assert _seconds(got.start_time) >= _seconds(expected.start_time) - tol
        assert _seconds(got.end_time_exclusive()) <= _seconds(expected.end_time_exclusive()) + tol
        if abs(_seconds(got.duration) - _seconds(expected.duration)) < tol:  # fully visible
            assert abs(_seconds(got.start_time) - _seconds(expected.start_time)) < tol
    for track in tl.tracks:  # every clip directly on a track, with a duration, is walked
        for child in track:
            if isinstance(child, otio.schema.Clip) and child.duration().value > 0:
                assert id(child) in seen


# ------------------------------------------------------------------ round trips

FORMATS = [".otio", ".edl", ".xml", ".fcpxml", ".aaf", ".ale"]
ADAPTER_ARGS: dict[str, dict[str, Any]] = {".aaf": {"use_empty_mob_ids": True}}


@st.composite
def flat_cuts(draw: st.DrawFn) -> tuple[otio.schema.Timeline, float, set[str]]:
    """One video track of innocently named clips; the register alone says which are AI."""
    rate = draw(st.sampled_from([24.0, 25.0, 30.0]))
    tl = otio.schema.Timeline("cut", global_start_time=RT(3600 * rate, rate))
    track = otio.schema.Track("V1")
    ai: set[str] = set()
    for i in range(draw(st.integers(1, 8))):
        if i and draw(st.booleans()):  # the EDL writer drops a leading gap: gaps between clips only
            track.append(otio.schema.Gap(source_range=TR(RT(0, rate), RT(draw(st.integers(1, 48)), rate))))
        name = f"SHOT_{i:03d}"
        start, frames = draw(st.integers(0, 500)), draw(st.integers(1, 96))
        ref = otio.schema.ExternalReference(target_url=f"file:///media/{name}.mov",
                                            available_range=TR(RT(0, rate), RT(1000, rate)))
        track.append(otio.schema.Clip(name, media_reference=ref,
                                      source_range=TR(RT(start, rate), RT(frames, rate))))
        if draw(st.booleans()):
            ai.add(name)
    tl.tracks.append(track)
    return tl, rate, ai


def _ai_set(tl: otio.schema.Timeline, settings: ScanSettings, with_frames: bool) -> set[Any]:
    result = scan_timeline(tl, settings)
    if with_frames:
        return {(s.clip, s.start_frame, s.end_frame) for s in result.segments}
    return {s.clip for s in result.segments}


@pytest.mark.parametrize("suffix", FORMATS)
def test_tag_write_read_keeps_the_ai_set(suffix: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    @settings(max_examples=max(5, EXAMPLES // 4), deadline=None, suppress_health_check=list(HealthCheck))
    @given(flat_cuts())
    def round_trip(cut: tuple[otio.schema.Timeline, float, set[str]]) -> None:
        tl, rate, ai = cut
        folder = tmp_path_factory.mktemp("rt")
        register_path = folder / "register.yaml"
        register_path.write_text("aiclear_register: 1\nassets:\n" + "".join(
            f"  - match: {{clip: {name}}}\n    tool: Sora\n    use: background_element\n"
            for name in sorted(ai)) if ai else "aiclear_register: 1\nassets: []\n")
        declared = ScanSettings(registers=[load_register(register_path)])
        with_frames = suffix != ".ale"  # an ALE is a clip list without record times
        expected = _ai_set(tl, declared, with_frames)
        assert {e[0] if with_frames else e for e in expected} == ai
        tag.apply_records(scan_timeline(tl, declared))
        out = folder / f"cut{suffix}"
        tag.write_timeline(tl, out, adapter_args=ADAPTER_ARGS.get(suffix))
        (name, back), = read_file(out, rate)
        got = _ai_set(back, ScanSettings(), with_frames)  # no register: the carriers alone
        if suffix == ".fcpxml":  # its reader truncates "57/25s" to 56 frames (adapter 1.0.0)
            assert {g[0] for g in got} == {e[0] for e in expected}
            near = {e[0]: e for e in expected}
            assert all(abs(g[1] - near[g[0]][1]) <= 1 and abs(g[2] - near[g[0]][2]) <= 1 for g in got)
        else:
            assert got == expected

    round_trip()


# ------------------------------------------------------------------ the JSON depth guard

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab,:', max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.text(alphabet='[]{}"\\k', max_size=4), inner, max_size=3),
    max_leaves=40)


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


def _refused(text: str, limit: int) -> bool:
    from aiclear.safety.guard import check_json_depth

    try:
        check_json_depth(Path("t.otio"), text.encode(), limit)
    except TimelineError:
        return True
    return False


@PROFILE
@given(JSON, st.integers(1, 6), st.data())
def test_json_depth_guard_is_exact_and_safe_on_prefixes(value: Any, limit: int, data: st.DataObject) -> None:
    import json

    text = json.dumps(value)
    assert _refused(text, limit) == (_depth(value) > limit)
    cut = data.draw(st.integers(0, len(text)))
    prefix = text[:cut]  # a truncated file: RapidJSON recurses as deep as the prefix goes
    depth = deepest = 0
    in_string = escaped = False
    for char in prefix:  # what a recursive parser reaches before the text runs out
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    if deepest > limit:
        assert _refused(prefix, limit)
