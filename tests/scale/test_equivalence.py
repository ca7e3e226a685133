"""The speed-ups keep results identical: the float track walk equals OTIO's own range
maths, the container readers equal OTIO's accessors, the term pre-filter never hides a
match."""

from __future__ import annotations

import sys
from pathlib import Path

import opentimelineio as otio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiclear.detect.terms import TermMatcher
from aiclear.policy.profile import load_profile
from aiclear.timeline import walk
from aiclear.timeline.metaview import elements, entries
from aiclear.timeline.read import read_file
from tests.conftest import SAMPLES

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import gen  # noqa: E402 - the benchmark's timeline generator

RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange


def _rows(timeline: otio.schema.Timeline) -> list[tuple]:
    return [(p.clip.name, p.track_label, p.range, p.enabled, p.path) for p in walk.places(timeline)]


def _general_rows(timeline: otio.schema.Timeline, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    with monkeypatch.context() as m:
        m.setattr(walk, "_track_placements", lambda *a: None)  # force range_of_all_children
        return _rows(timeline)


def _timelines() -> list[otio.schema.Timeline]:
    out = [gen.make_timeline(1500, seed=3)]
    for path in sorted(SAMPLES.iterdir()):
        if path.suffix in (".otio", ".edl", ".xml"):
            out += [t for _, t in read_file(path, 24.0)]
    return out


def _edge_cases() -> otio.schema.Timeline:
    """A trimmed track, a trimmed nested stack hiding clips, zero-length and 25 fps clips."""
    def clip(name: str, frames: float, rate: float = 24.0) -> otio.schema.Clip:
        return otio.schema.Clip(name=name, source_range=TR(RT(10, rate), RT(frames, rate)))

    timeline = otio.schema.Timeline("edges")
    trimmed = otio.schema.Track("V1", source_range=TR(RT(30, 24), RT(50, 24)))
    for i, frames in enumerate((20, 0, 25, 40, 30)):
        trimmed.append(clip(f"t{i}", frames))
    nested = otio.schema.Stack("nest", source_range=TR(RT(5, 24), RT(20, 24)))
    inner = otio.schema.Track("inner")
    for i in range(4):
        inner.append(clip(f"n{i}", 10))
    nested.append(inner)
    plain = otio.schema.Track("V2")
    plain.append(clip("a", 12))
    plain.append(otio.schema.Transition(in_offset=RT(3, 24), out_offset=RT(3, 24)))
    plain.append(clip("b", 12))
    plain.append(nested)
    plain.append(otio.schema.Gap(source_range=TR(RT(0, 24), RT(7.5, 24))))
    plain.append(clip("c", 9.5))
    mixed = otio.schema.Track("V3")
    mixed.append(clip("p25", 25, 25.0))
    mixed.append(clip("p24", 24))
    for track in (trimmed, plain, mixed):
        timeline.tracks.append(track)
    return timeline


@pytest.mark.parametrize("timeline", [*_timelines(), _edge_cases()], ids=lambda t: t.name)
def test_float_walk_equals_general_walk(timeline: otio.schema.Timeline,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _rows(timeline)
    assert fast == _general_rows(timeline, monkeypatch)
    assert fast  # every case has visible clips


def test_walk_equals_transformed_time_range() -> None:
    """Where no window trims a clip, the range is OTIO's transformed_time_range."""
    timeline = gen.make_timeline(600, seed=5)
    for place in walk.places(timeline):
        expected = place.clip.transformed_time_range(place.clip.trimmed_range(), timeline.tracks)
        assert place.range == expected, place.clip.name


def test_edge_case_ranges() -> None:
    rows = {name: rng for name, _, rng, _, _ in _rows(_edge_cases())}
    # V1 shows frames 30..80 of its children (t0 0-20, t1 20-20, t2 20-45, t3 45-85, t4 85-115)
    assert {"t0", "t1", "t4"}.isdisjoint(rows)  # before / at / after the window; t1 is empty
    assert rows["t2"] == TR(RT(0, 24), RT(15, 24))
    assert rows["t3"] == TR(RT(15, 24), RT(35, 24))
    assert [n for n in rows if n.startswith("n")] == ["n0", "n1", "n2"]  # nest shows 5..25
    assert rows["n0"] == TR(RT(24, 24), RT(5, 24))
    assert rows["p25"] == TR(RT(0, 25), RT(25, 25))


def test_entries_and_elements_match_otio_accessors() -> None:
    clip = otio.schema.Clip(name="x")
    assert entries(clip.metadata) == {}
    clip.metadata["cmx_3600"] = {"reel": "A001", "comments": ["ONE", "TWO"]}
    clip.metadata["empty"] = {}
    clip.metadata["n"] = 3
    top = entries(clip.metadata)
    assert list(top) == list(clip.metadata.keys())
    assert entries(top["cmx_3600"]) == {"reel": "A001", "comments": top["cmx_3600"]["comments"]}
    assert elements(top["cmx_3600"]["comments"]) == ["ONE", "TWO"]
    assert entries(top["empty"]) == {}
    assert entries(None) == {}
    assert entries("text") == {}
    assert entries({"a": 1}) == {"a": 1}
    clip.markers.append(otio.schema.Marker(name="AI"))
    assert [m.name for m in elements(clip.markers)] == ["AI"]
    assert elements(otio.schema.Clip().markers) == []
    assert elements({1, 2}) == [1, 2]


_PIECES = ["ai", "AI", "Gen", "gen", "_", " ", "-", ".", "2", "v3", "Hawaii", "RAIN", "sora", "SORA",
           "Kling", "midjourney", "Mid", "journey", "eleven", "Labs", "text", "to", "video", "not",
           "synthetic", "Aidan", "main", "é", "Σ", "firefly", "dall", "E", "stable", "Diffusion",
           "mov", "voice", "clone", "xyz", "0", "İ"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=7), st.booleans())
def test_prefilter_never_hides_a_match(parts: list[str], filename: bool) -> None:
    detect = load_profile("baseline").section("detect")
    fast = TermMatcher(detect)
    slow = TermMatcher(detect)
    slow._quick = None  # the matcher as it was before the pre-filter
    text = "".join(parts)
    assert fast.match(text, filename=filename) == slow.match(text, filename=filename)


def test_float_path_is_taken_on_single_rate_tracks() -> None:
    timeline = gen.make_timeline(300, seed=1)
    for track in timeline.tracks:
        window = TR(RT(0, 24), track.duration())
        assert walk._track_placements(track, list(track), RT(0, 24), window, walk._Bounds()) is not None
    mixed = _edge_cases().tracks[2]
    assert walk._track_placements(mixed, list(mixed), RT(0, 24), TR(RT(0, 24), RT(49, 24)),
                                  walk._Bounds()) is None


def test_check_finds_a_ledger_without_importing_it(tmp_path: Path) -> None:
    """check's settings import the ledger (SQLAlchemy, cryptography) only when one exists."""
    import subprocess

    from aiclear.ledger import location
    from aiclear.scan import settings

    assert (settings.LEDGER_ENV, settings.LEDGER_FILE) == (location.ENV, location.DEFAULT_NAME)
    probe = ("import sys; from pathlib import Path; "
             "from aiclear.scan.settings import LedgerOptions, SettingsSpec; "
             "s = SettingsSpec('baseline', ledger=LedgerOptions())(); "
             "print(s.ledger_for(Path(sys.argv[1])), 'sqlalchemy' in sys.modules)")
    timeline = tmp_path / "cut.otio"
    done = subprocess.run([sys.executable, "-c", probe, str(timeline)], capture_output=True,
                          text=True, check=True, env={"PATH": "/usr/bin:/bin"})
    assert done.stdout.split() == ["None", "False"]
