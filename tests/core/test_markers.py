"""Markers anywhere (issue 18): on the timeline's stack, a track, a gap, a nested stack;
NLE notes in marker metadata; names with slashes are text."""

from __future__ import annotations

import opentimelineio as otio
import pytest

from aiclear.model import TimelineResult
from aiclear.scan.core import scan_timeline
from aiclear.scan.settings import SettingsSpec

RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange


def _clip(name: str, frames: int, start: int = 10) -> otio.schema.Clip:
    return otio.schema.Clip(name, source_range=TR(RT(start, 24), RT(frames, 24)))


def _gap(frames: int) -> otio.schema.Gap:
    return otio.schema.Gap(source_range=TR(RT(0, 24), RT(frames, 24)))


def _marker(name: str, at: int, frames: int = 0, **kwargs: object) -> otio.schema.Marker:
    return otio.schema.Marker(name, TR(RT(at, 24), RT(frames, 24)), **kwargs)  # type: ignore[arg-type]


def _timeline() -> otio.schema.Timeline:
    """V1: a0 [0,24) gap [24,48) a1 [48,72) | V2: gap [0,30) x [30,54) nest [54,74)
    (a stack trimmed to inner 5..25 over n1) | A1: aud [0,100)."""
    tl = otio.schema.Timeline("t", global_start_time=RT(86400, 24))
    v1 = otio.schema.Track("V1")
    v1.extend([_clip("a0", 24), _gap(24), _clip("a1", 24)])
    v2 = otio.schema.Track("V2")
    nest = otio.schema.Stack("nest", source_range=TR(RT(5, 24), RT(20, 24)))
    inner = otio.schema.Track("in")
    inner.append(_clip("n1", 40))
    nest.append(inner)
    v2.extend([_gap(30), _clip("x", 24), nest])
    a1 = otio.schema.Track("A1", kind=otio.schema.TrackKind.Audio)
    a1.append(_clip("aud", 100))
    tl.tracks.extend([v1, v2, a1])
    return tl


def _found(tl: otio.schema.Timeline, profile: str = "baseline") -> dict[str, TimelineResult]:
    result = scan_timeline(tl, SettingsSpec(profile)())
    return {s.clip: s for s in result.segments}  # type: ignore[misc]


def _ranges(tl: otio.schema.Timeline) -> dict[str, tuple[int, int]]:
    return {name: (s.start_frame, s.end_frame) for name, s in _found(tl).items()}  # type: ignore[attr-defined]


def test_timeline_marker_flags_every_video_track_in_range_not_audio() -> None:
    tl = _timeline()
    tl.tracks.markers.append(_marker("AI generated sky", 30, 20))  # frames 30..50
    assert _ranges(tl) == {"a1": (48, 72), "x": (30, 54)}


def test_zero_length_timeline_marker_marks_one_frame() -> None:
    tl = _timeline()
    tl.tracks.markers.append(_marker("GENAI insert", 47))  # frame 47 only: the gap on V1
    assert _ranges(tl) == {"x": (30, 54)}
    tl.tracks.markers[0].marked_range = TR(RT(48, 24), RT(0, 24))
    assert set(_ranges(tl)) == {"a1", "x"}


def test_timeline_marker_that_says_voice_covers_audio() -> None:
    tl = _timeline()
    tl.tracks.markers.append(_marker("AI VO", 90))
    assert _ranges(tl) == {"aud": (0, 100)}


def test_track_marker_flags_its_own_track_only() -> None:
    tl = _timeline()
    tl.tracks[0].markers.append(_marker("synthetic crowd", 20, 40))  # V1 20..60
    assert _ranges(tl) == {"a0": (0, 24), "a1": (48, 72)}


def test_audio_track_marker_flags_audio() -> None:
    tl = _timeline()
    tl.tracks[2].markers.append(_marker("ElevenLabs", 3))
    found = _found(tl)
    assert set(found) == {"aud"}
    assert found["aud"].record["tool"]["product"]  # type: ignore[attr-defined]


def test_gap_marker_maps_through_the_gap_and_widens_when_its_track_is_empty_there() -> None:
    tl = _timeline()
    gap = tl.tracks[1][0]  # V2 gap [0,30): nothing of V2 under it -> the V1 clip a0
    gap.markers.append(_marker("Midjourney still", 12))
    assert _ranges(tl) == {"a0": (0, 24)}


def test_nested_stack_marker_in_its_own_time_through_the_trim() -> None:
    tl = _timeline()
    nest = tl.tracks[1][2]
    nest.markers.append(_marker("AI plate", 6))  # inner 6 -> 54 + (6 - 5) = 55
    found = _found(tl)
    assert set(found) == {"n1"}
    [ev] = [e for e in found["n1"].evidence if e["kind"] == "marker"]  # type: ignore[attr-defined]
    assert ev["frames"] == [55, 56]
    assert "nested stack 'nest' on V2" in ev["detail"]
    assert "01:00:02:07" in ev["detail"]  # start TC 01:00:00:00 + 55 frames


def test_marker_outside_a_nested_trim_does_not_leak() -> None:
    tl = _timeline()
    tl.tracks[1][2].markers.append(_marker("AI plate", 30))  # beyond inner 5..25: hidden
    assert _ranges(tl) == {}


@pytest.mark.parametrize("metadata", [
    {"Resolve_OTIO": {"Note": "AI generated sky replacement", "Keywords": []}},
    {"Resolve_OTIO": {"Note": "", "Keywords": ["Midjourney"]}},
    {"fcp_xml": {"comment": "synthetic crowd"}},
    {"AAF": {"Comment": "GENAI matte", "CommentMarkerAttributeList": {"_ATN_CRM_COM": "x"}}},
])
def test_nle_notes_in_marker_metadata(metadata: dict[str, object]) -> None:
    tl = _timeline()
    tl.tracks.markers.append(_marker("Marker 1", 0, metadata=metadata))
    assert set(_ranges(tl)) == {"a0"}
    clip = tl.tracks[1][1]  # and on a clip marker too
    clip.markers.append(_marker("Marker 2", 12, metadata=metadata))
    assert set(_ranges(tl)) == {"a0", "x"}


def test_disabled_clips_are_not_flagged_by_a_track_marker() -> None:
    tl = _timeline()
    tl.tracks[0][0].enabled = False
    tl.tracks[0].markers.append(_marker("AI fill", 0, 72))
    assert set(_ranges(tl)) == {"a1"}


def test_markers_without_ai_terms_flag_nothing() -> None:
    tl = _timeline()
    tl.tracks.markers.append(_marker("Marker 1", 0, 100, metadata={"Resolve_OTIO": {
        "Note": "check the rain plate", "Keywords": ["Hawaii"]}}))
    tl.tracks[0].markers.append(_marker("no AI here", 0, 72))
    assert _ranges(tl) == {}


def test_marker_flag_blocks_the_gate() -> None:
    tl = _timeline()
    tl.tracks.markers.append(_marker("AI generated", 30))
    result = scan_timeline(tl, SettingsSpec("studio-partner")())
    assert result.verdict == "blocked"


@pytest.mark.parametrize("name", ["MIDJOURNEY_STILL_04 TAKE 1/2", "AI plate/v2", "genai_sky 3/4.mov"])
def test_slash_in_a_name_is_text(name: str) -> None:
    tl = _timeline()
    tl.tracks[0][0].name = name
    assert name in _found(tl)
    reel = _timeline()
    reel.tracks[0][0].metadata["cmx_3600"] = {"reel": name.split(".")[0]}
    assert "a0" in _found(reel)
