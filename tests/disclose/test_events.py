"""Which segments get a label, what it says, and when it shows."""

from __future__ import annotations

import dataclasses

import pytest

from aiclear.disclose import events_for, labelled_segments
from aiclear.disclose.text import width
from aiclear.model import Segment, TimelineResult
from tests.disclose.builders import RATE, result_for, sample_timeline


def covering(events, frame):
    return [e for e in events if e.start_frame <= frame < e.end_frame]


def test_every_labelled_segment_is_covered_from_its_first_frame(scanned, documentary):
    events = events_for(scanned, documentary)
    labelled = labelled_segments(scanned, documentary)
    assert set(labelled) == {s.segment_id for s in scanned.segments}  # documentary: all
    starts = {s.start_frame for s in scanned.segments}
    for seg in scanned.segments:
        cues = covering(events, seg.start_frame)
        assert len(cues) == 1, seg.clip
        assert cues[0].end_frame >= seg.end_frame  # and to its last frame
        assert seg.segment_id in cues[0].segment_ids
    for event in events:
        assert event.start_frame in starts  # every cue starts on a segment's first frame


def test_unmerged_segment_cue_starts_exactly_on_its_first_frame(scanned, documentary):
    by_clip = {s.clip: s for s in scanned.segments}
    events = events_for(scanned, documentary)
    ai_map = by_clip["ai_map"]
    (event,) = [e for e in events if ai_map.segment_id in e.segment_ids]
    assert event.segment_ids == (ai_map.segment_id,)
    assert event.start_frame == ai_map.start_frame == 240


def test_segments_closer_than_the_gap_merge(sample):
    merged = events_for(sample, {"on_screen": "all", "merge_gap_seconds": 1.0})
    split = events_for(sample, {"on_screen": "all", "merge_gap_seconds": 0.25})
    # ai_city ends at 72 and ai_crowd starts at 84: a 0.5 s gap
    assert [e.clips for e in merged][0] == ("ai_city", "ai_crowd")
    assert [e.clips for e in split][:2] == [("ai_city",), ("ai_crowd",)]
    assert split[1].start_frame == 84


def test_overlapping_tracks_share_one_cue_even_with_no_gap(sample):
    events = events_for(sample, {"on_screen": "all", "merge_gap_seconds": 0})
    (cue,) = [e for e in events if "ai_street" in e.clips]
    assert cue.clips == ("voice_narrator", "ai_street")
    assert (cue.start_frame, cue.end_frame) == (300, 400)


def test_short_segment_is_held_for_the_minimum_display_time(sample):
    events = events_for(sample, {"on_screen": "all", "min_display_seconds": 2.0})
    (cue,) = [e for e in events if e.clips == ("ai_map",)]
    assert (cue.start_frame, cue.end_frame) == (240, 240 + 2 * 24)


def test_minimum_display_never_runs_into_the_next_cue(sample):
    events = events_for(sample, {"on_screen": "all", "min_display_seconds": 5.0,
                                 "merge_gap_seconds": 0})
    for current, following in zip(events, events[1:], strict=False):
        assert current.end_frame <= following.start_frame
    (cue,) = [e for e in events if e.clips == ("ai_map",)]
    assert cue.end_frame == 300  # capped at the voice cue, not 240 + 120


def test_minimum_display_stops_at_the_timeline_end():
    tl = sample_timeline()
    result = result_for(tl)
    last = max(s.end_frame for s in result.segments)
    end = round(tl.tracks.duration().value_rescaled_to(RATE))
    events = events_for(result, {"on_screen": "all", "min_display_seconds": 600})
    assert events[-1].end_frame == max(end, last)


def test_cue_is_held_long_enough_to_read_when_the_next_cue_allows(sample):
    events = events_for(sample, {"on_screen": "all", "reading_speed_cps": 10,
                                 "min_display_seconds": 0})
    # ai_map (240-250) says "AI MODIFIED": 11 chars at 10/s need 1.1 s = 27 frames
    (cue,) = [e for e in events if e.clips == ("ai_map",)]
    assert (cue.start_frame, cue.end_frame) == (240, 267)


def test_reading_speed_drops_context_but_keeps_the_headline(sample):
    slow = events_for(sample, {"on_screen": "all", "reading_speed_cps": 5})
    fast = events_for(sample, {"on_screen": "all", "reading_speed_cps": 40})
    assert fast[0].lines == ("AI GENERATED", "Not an archival photograph", "Scene reconstruction")
    # held until the next cue (frame 240, 9 s), 5 chars/s read 45: the third line goes
    assert (slow[0].start_frame, slow[0].end_frame) == (24, 240)
    assert slow[0].lines == ("AI GENERATED", "Not an archival photograph")
    tight = events_for(sample, {"on_screen": "all", "reading_speed_cps": 2})
    assert tight[0].lines == ("AI GENERATED",)
    for event in slow + tight:
        chars = sum(len(line) for line in event.lines)
        cps = 5 if event in slow else 2
        assert len(event.lines) == 1 or chars / cps <= (event.end_frame - event.start_frame) / RATE


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es", "ja"])
def test_lines_respect_the_line_length_in_every_language(sample, lang):
    for limit in (12, 20, 42):
        for event in events_for(sample, {"on_screen": "all", "max_line_chars": limit,
                                         "max_lines": 6, "reading_speed_cps": 0}, lang):
            assert all(width(line) <= limit for line in event.lines[1:]), event.lines


def test_max_lines_keeps_whole_context_phrases(sample):
    events = events_for(sample, {"on_screen": "all", "max_lines": 2})
    assert events[0].lines == ("AI GENERATED", "Not an archival photograph")


def test_wording_by_class(sample):
    classes = {e.clips[0]: e.headline for e in
               events_for(sample, {"on_screen": "all", "merge_gap_seconds": 0})}
    assert classes["ai_city"] == "AI GENERATED"
    assert classes["ai_crowd"] == "AI MODIFIED"
    assert classes["ai_map"] == "AI MODIFIED"


def test_consent_is_named_only_when_granted():
    tl = sample_timeline()
    result = result_for(tl)
    voice = next(s for s in result.segments if s.clip == "voice_narrator")
    assert any("with consent of Jean Dupont" in line
               for e in events_for(result, {"on_screen": "all"}) for line in e.phrases)
    voice.record["people"][0]["consent"]["status"] = "refused"
    phrases = [p for e in events_for(result, {"on_screen": "all"}) for p in e.phrases]
    assert "Voice recreated with AI" in phrases
    assert not any("consent" in p or "Dupont" in p for p in phrases)


def test_record_text_override_is_used_in_its_language_only(sample):
    city = next(s for s in sample.segments if s.clip == "ai_city")
    city.record["disclosure"] = {"text": {"fr": "Image fabriquée", "en": "Made-up image"}}
    assert events_for(sample, {"on_screen": "all"}, "fr")[0].phrases[1] == "Image fabriquée"
    assert events_for(sample, {"on_screen": "all"}, "en")[0].phrases[1] == "Made-up image"
    assert events_for(sample, {"on_screen": "all"}, "de")[0].phrases[1] == "Kein Archivfoto"


def _only(segments: list[Segment], result: TimelineResult) -> TimelineResult:
    return dataclasses.replace(result, segments=segments)


def test_eu_full_for_deep_fakes_limited_for_artistic_and_the_rest(sample):
    levels = labelled_segments(sample, {"on_screen": "deepfakes"})
    by_clip = {s.clip: levels.get(s.segment_id) for s in sample.segments}
    assert by_clip["ai_city"] == "full"  # resembles + would appear authentic
    assert by_clip["voice_narrator"] == "limited"  # deep fake, but evidently artistic
    assert by_clip["ai_map"] == "limited"  # not a deep fake
    events = events_for(sample, {"on_screen": "deepfakes", "merge_gap_seconds": 0})
    assert {e.clips[0]: e.headline for e in events}["ai_map"] == "AI"
    none = labelled_segments(sample, {"on_screen": "deepfakes", "limited_style": "none"})
    assert set(none) == {s.segment_id for s in sample.segments if s.clip == "ai_city"}


def test_eu_deep_fake_label_cannot_be_switched_off_by_the_record(sample):
    city = next(s for s in sample.segments if s.clip == "ai_city")
    city.record["disclosure"] = {"on_screen": False}
    assert labelled_segments(sample, {"on_screen": "deepfakes"})[city.segment_id] == "full"
    assert labelled_segments(sample, {"on_screen": "all"})[city.segment_id] == "full"
    assert city.segment_id not in labelled_segments(sample, {"on_screen": "classes"})


def test_programme_wide_artistic_makes_every_deep_fake_limited(sample):
    levels = labelled_segments(sample, {"on_screen": "deepfakes",
                                        "programme_evidently_artistic": True})
    assert set(levels.values()) == {"limited"}


def test_classes_mode_skips_enhanced_unless_the_record_asks(sample):
    seg = sample.segments[0]
    seg.record["ai_class"] = "enhanced"
    assert seg.segment_id not in labelled_segments(sample, {"on_screen": "classes"})
    seg.record["disclosure"] = {"on_screen": True}
    assert labelled_segments(sample, {"on_screen": "classes"})[seg.segment_id] == "full"
    assert labelled_segments(sample, {"on_screen": "none"}) == {seg.segment_id: "full"}


def test_disabled_segments_get_no_label(sample):
    sample.segments[0].enabled = False
    assert sample.segments[0].segment_id not in labelled_segments(sample, {"on_screen": "all"})


def test_undeclared_class_is_labelled_as_generated(sample):
    seg = sample.segments[2]  # ai_map: contains
    seg.record["ai_class"] = None
    events = events_for(sample, {"on_screen": "classes", "merge_gap_seconds": 0})
    assert {e.clips[0]: e.headline for e in events}["ai_map"] == "AI GENERATED"


def test_hostile_names_become_one_clean_line(sample):
    voice = next(s for s in sample.segments if s.clip == "voice_narrator")
    voice.record["people"][0]["name"] = "Jean\nDupont\t\x00-->"
    text = [line for e in events_for(sample, {"on_screen": "all"}) for line in e.lines]
    assert all("\n" not in line and "\t" not in line and "\x00" not in line for line in text)
    assert any("Jean Dupont -->" in p for e in events_for(sample, {"on_screen": "all"})
               for p in e.phrases)


def test_profile_objects_data_dicts_and_sections_agree(documentary, sample):
    a = events_for(sample, documentary)
    b = events_for(sample, documentary.data)
    c = events_for(sample, documentary.section("disclosure"))
    assert a == b == c
    assert len(events_for(sample, None)) >= 1


def test_bad_profile_values_are_one_line_usage_errors(sample):
    from aiclear.errors import UsageError

    with pytest.raises(UsageError, match="on_screen"):
        events_for(sample, {"on_screen": "sometimes"})
    with pytest.raises(UsageError, match="merge_gap_seconds"):
        events_for(sample, {"merge_gap_seconds": "soon"})
    with pytest.raises(UsageError, match="language"):
        events_for(sample, None, "xx")


def test_events_use_record_timecode_free_frames_at_ntsc_rates():
    tl = sample_timeline()
    result = result_for(tl)
    result.rate = 23.976
    event = events_for(result, {"on_screen": "all"})[0]
    assert event.start == pytest.approx(24 * 1001 / 24000)


def test_empty_timeline_has_no_events():
    result = TimelineResult(path="x", name="x", rate=24.0)
    assert events_for(result, {"on_screen": "all"}) == []


