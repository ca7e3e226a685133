"""Frame-exact ranges from the O(N) walk: nested compounds, gaps, transitions, start TC."""

from __future__ import annotations

import math
from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.errors import TimelineError
from aiclear.scan.core import scan_file, scan_timeline
from aiclear.scan.settings import MediaOptions, SettingsSpec
from aiclear.timeline import walk
from tests.conftest import SAMPLES

RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange


def _clip(name: str, start: int, frames: int, rate: float = 24) -> otio.schema.Clip:
    return otio.schema.Clip(name, source_range=TR(RT(start, rate), RT(frames, rate)))


def _nested() -> otio.schema.Timeline:
    tl = otio.schema.Timeline("n", global_start_time=RT(86400, 24))
    v1 = otio.schema.Track("V1")
    v1.append(_clip("a", 10, 48))
    v1.append(otio.schema.Gap(source_range=TR(RT(0, 24), RT(12, 24))))
    stack = otio.schema.Stack("compound", source_range=TR(RT(5, 24), RT(30, 24)))
    inner = otio.schema.Track("inner")
    inner.extend([_clip("n1", 0, 20), _clip("n2", 0, 40)])
    stack.append(inner)
    v1.append(stack)
    v1.append(otio.schema.Transition(in_offset=RT(3, 24), out_offset=RT(3, 24)))
    v1.append(_clip("b", 0, 24))
    tl.tracks.append(v1)
    return tl


def test_ranges_are_frame_exact_through_nesting_gaps_and_transitions() -> None:
    tl = _nested()
    got = {p.clip.name: (walk.frames(p.range.start_time, 24), walk.frames(p.range.duration, 24))
           for p in walk.places(tl)}
    # a: 0..48; gap 48..60; compound shows inner 5..35 at 60..90: n1 (inner 0..20) is
    # visible from inner 5 -> 60..75, n2 (inner 20..60) clipped at inner 35 -> 75..90; b at 90.
    assert got == {"a": (0, 48), "n1": (60, 15), "n2": (75, 15), "b": (90, 24)}


def test_unclipped_ranges_equal_otio_transformed_time_range() -> None:
    tl = _nested()
    for place in walk.places(tl):
        expected = place.clip.transformed_time_range(place.clip.trimmed_range(), tl.tracks)
        visible = place.range
        assert visible.start_time >= expected.start_time
        assert visible.end_time_exclusive() <= expected.end_time_exclusive()
        if place.clip.name in ("a", "b"):
            assert visible == expected


def test_segment_frames_and_timecodes_include_start_tc() -> None:
    tl = _nested()
    tl.tracks[0][2][0][1].name = "AI_GEN_insert"
    result = scan_timeline(tl, SettingsSpec("baseline")())
    [seg] = result.segments
    assert (seg.start_frame, seg.end_frame) == (75, 90)
    assert (seg.start_tc, seg.end_tc) == ("01:00:03:03", "01:00:03:18")
    assert seg.track_kind == "Video" and seg.track == "V1"


def test_edl_record_timecode_becomes_the_timeline_start(tmp_path: Path) -> None:
    [result] = scan_file(SAMPLES / "genai_names.edl", SettingsSpec("baseline", rate=24)())
    firsts = [(s.start_frame, s.end_frame, s.start_tc) for s in result.segments]
    assert firsts == [(48, 96, "01:00:02:00"), (96, 132, "01:00:04:00"), (132, 180, "01:00:05:12")]


def test_edl_rate_changes_frames(tmp_path: Path) -> None:
    [result] = scan_file(SAMPLES / "genai_names.edl", SettingsSpec("baseline", rate=25)())
    assert result.rate == 25
    assert result.segments[0].start_tc == "01:00:02:00"
    assert result.segments[0].start_frame == 50


def test_nested_sample_exact_segments() -> None:
    [result] = scan_file(SAMPLES / "nested_compound.otio", SettingsSpec("baseline")())
    got = [(s.clip, s.track, s.start_frame, s.end_frame, s.start_tc) for s in result.segments]
    assert got == [
        ("AI_GEN_INSERT_2", "V1", 90, 120, "01:00:03:18"),
        ("GENAI_skyline_v2", "V1", 150, 210, "01:00:06:06"),
        ("synthetic_crowd_fill", "V2 graphics", 100, 140, "01:00:04:04"),
    ]


def test_disabled_clip_and_track_are_reported_not_blocking() -> None:
    [result] = scan_file(SAMPLES / "disabled_ai.otio", SettingsSpec("baseline")())
    assert [s.enabled for s in result.segments] == [False, False]
    assert result.verdict == "pass"
    assert all(f.severity == "warn" for f in result.findings)
    assert {f.rule for f in result.findings} >= {"clearance.provisional", "disabled.ai"}


@pytest.mark.parametrize("bad_rate", [-math.inf, -24.0, 0.0])
def test_bad_rate_inside_a_compound_that_vanishes_is_an_error_not_a_pass(bad_rate: float) -> None:
    """A bad rate can shrink a compound to nothing; what is inside must still be checked."""
    tl = otio.schema.Timeline("t")
    top = otio.schema.Track("V1")
    top.append(_clip("a", 0, 10))
    compound = otio.schema.Stack("compound")
    inner = otio.schema.Track("inner")
    inner.append(otio.schema.Clip("GENAI_x", source_range=TR(RT(0, bad_rate), RT(10, bad_rate))))
    compound.append(inner)
    top.append(compound)
    tl.tracks.append(top)
    with pytest.raises(TimelineError, match=r"V1 item 2"):
        list(walk.places(tl))


def test_a_media_rule_turned_off_stays_off_on_a_disabled_clip(tmp_path: Path) -> None:
    """A disabled clip's findings are softened to warnings; a rule the profile turns off
    must not come back as one."""
    tl = otio.schema.Timeline("t")
    track = otio.schema.Track("V1")
    clip = _clip("GENAI_plate", 0, 24)
    clip.media_reference = otio.schema.ExternalReference(str(tmp_path / "gone.mov"))
    clip.enabled = False
    track.append(clip)
    tl.tracks.append(track)
    cut = tmp_path / "cut.otio"
    cut.write_text(otio.adapters.write_to_string(tl, "otio_json"))  # a string write: ungated
    quiet = tmp_path / "quiet.yaml"
    quiet.write_text("aiclear_profile: 1\nname: quiet\nextends: baseline\nrules:\n"
                     "  media.missing: \"off\"\n")
    media = MediaOptions(enabled=True, no_cache=True)
    quiet_rules = {f.rule for r in scan_file(cut, SettingsSpec(str(quiet), media=media)())
                   for f in r.findings}
    assert "media.missing" not in quiet_rules and "disabled.ai" in quiet_rules
    loud = [f for r in scan_file(cut, SettingsSpec("baseline", media=media)()) for f in r.findings
            if f.rule == "media.missing"]
    assert [f.severity for f in loud] == ["warn"]
