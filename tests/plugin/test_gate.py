"""The export gate through OTIO's real adapters and hook machinery."""

from __future__ import annotations

import logging
from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.detect import record
from aiclear.errors import ExportBlocked
from aiclear.gate import decision as gate

from .helpers import NO_TAG, ai_timeline, clean_timeline, clip, declared, snapshot


@pytest.mark.parametrize("suffix", [".edl", ".xml", ".fcpxml", ".otio", ".otioz"])
def test_deliverable_with_uncleared_ai_raises_and_writes_nothing(tmp_path: Path, suffix: str) -> None:
    tl = ai_timeline()
    before = snapshot(tl)
    out = tmp_path / f"cut{suffix}"
    with pytest.raises(ExportBlocked) as caught:
        otio.adapters.write_to_file(tl, str(out))
    assert isinstance(caught.value, otio.exceptions.OTIOError)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
    text = str(caught.value)
    # each blocking segment: track, clip, record timecode in/out, reason, how to resolve
    assert "V1 'Midjourney_castle' 01:00:02:00-01:00:03:00" in text
    assert "V1 'SC02_TK03' 01:00:03:12-01:00:05:00" in text
    # no media mounted: no approval could clear them; the line says how to fix that
    assert text.count("media not available to verify: file:///media/") == 2
    assert text.count("--media-root DIR / relink") == 2
    assert "SC01_TK01" not in text
    assert snapshot(tl) == before


def test_blocked_error_carries_the_gate_result(tmp_path: Path) -> None:
    with pytest.raises(ExportBlocked) as caught:
        otio.adapters.write_to_file(ai_timeline(), str(tmp_path / "cut.edl"))
    result = caught.value.gate  # type: ignore[attr-defined]
    assert result.verdict == "blocked"
    assert [b.clip for b in result.blockers] == ["Midjourney_castle", "SC02_TK03"]
    assert {f.rule for f in caught.value.findings} == {"clearance.provisional"}


@pytest.mark.parametrize("suffix", [".edl", ".xml", ".fcpxml", ".otio"])
def test_clean_timeline_writes_normally(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"clean{suffix}"
    otio.adapters.write_to_file(clean_timeline(), str(out))
    back = otio.adapters.read_from_file(str(out), hook_function_argument_map=NO_TAG,
                                        **({"rate": 24} if suffix == ".edl" else {}))
    assert [c.name for c in back.find_clips()] == ["SC01_TK01", "SC01_TK02", "SC04_TK01"]
    assert not any(c.markers for c in back.find_clips())


def test_display_writes_still_work(tmp_path: Path) -> None:
    tl = ai_timeline()
    text = otio.adapters.write_to_string(tl, "otio_json")
    assert "Midjourney_castle" in text
    assert "AICLEAR" not in text  # a display write is left alone: no carriers
    assert otio.adapters.write_to_string(tl.tracks[0][1], "otio_json")  # otioview's inspector


def test_explicit_final_intent_gates_a_string_write() -> None:
    with pytest.raises(ExportBlocked):
        otio.adapters.write_to_string(ai_timeline(), "cmx_3600",
                                      hook_function_argument_map={"aiclear": {"intent": "final"}})


def test_every_file_write_is_gated_and_review_passes_with_carriers(tmp_path: Path) -> None:
    """Was test_non_deliverable_suffix_passes_with_carriers: the hook is default-deny now
    (issue 13 #6): a suffix outside the deliverables list blocks too; review passes."""
    out = tmp_path / "bin.ale"
    tl = ai_timeline()
    before = snapshot(tl)
    with pytest.raises(ExportBlocked):
        otio.adapters.write_to_file(tl, str(out))
    assert not out.exists()
    otio.adapters.write_to_file(tl, str(out),
                                hook_function_argument_map={"aiclear": {"intent": "review"}})
    assert out.read_text().count("AICLEAR REF-") == 2  # both AI clips: records on review
    assert snapshot(tl) == before


def test_review_intent_passes_stamps_a_copy_and_logs(tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    tl = ai_timeline()
    before = snapshot(tl)
    out = tmp_path / "screening.edl"
    with caplog.at_level(logging.WARNING, logger="aiclear.gate.decision"):
        otio.adapters.write_to_file(tl, str(out),
                                    hook_function_argument_map={"aiclear": {"intent": "review"}})
    edl = out.read_text()
    assert edl.count("* LOC:") == 2 and edl.count("* AICLEAR REF-") == 2
    assert "review export" in caplog.text and "2 AI segment(s)" in caplog.text
    assert snapshot(tl) == before  # the caller's object never changes


def test_review_to_otio_writes_records_for_every_ai_clip(tmp_path: Path) -> None:
    out = tmp_path / "screening.otio"
    otio.adapters.write_to_file(ai_timeline(), str(out),
                                hook_function_argument_map={"aiclear": {"intent": "review"}})
    back = otio.schema.Timeline.from_json_file(str(out))  # no hooks: what the file holds
    recs = {c.name: record.read(c) for c in back.find_clips()}
    assert recs["Midjourney_castle"] and recs["Midjourney_castle"]["status"] == "provisional"
    assert recs["SC02_TK03"] and recs["SC02_TK03"]["use"] == "background_element"
    assert recs["SC01_TK01"] is None
    assert not any(c.markers for c in back.find_clips())  # .otio keeps metadata: no carriers


def test_intent_off_passes_with_the_same_log_line_as_the_switch(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "cut.otio"
    with caplog.at_level(logging.WARNING, logger="aiclear.gate"):
        otio.adapters.write_to_file(ai_timeline(), str(out),
                                    hook_function_argument_map={"aiclear": {"intent": "off"}})
    assert out.exists()
    assert f'{{"intent": "off"}}}}: writing {out} WITHOUT the export gate' in caplog.text


def test_emergency_switch_passes_with_a_log_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("AICLEAR_GATE", "off")
    out = tmp_path / "cut.edl"
    with caplog.at_level(logging.WARNING, logger="aiclear.gate.decision"):
        otio.adapters.write_to_file(ai_timeline(), str(out))
    assert out.exists()
    assert "AICLEAR_GATE=off" in caplog.text and "WITHOUT the export gate" in caplog.text
    assert str(out) in caplog.text
    assert gate.ensure_attached() is not None  # and the start-up check says so


def test_unknown_intent_blocks(tmp_path: Path) -> None:
    out = tmp_path / "cut.otio"
    with pytest.raises(ExportBlocked, match="unknown aiclear intent 'ship'"):
        otio.adapters.write_to_file(clean_timeline(), str(out),
                                    hook_function_argument_map={"aiclear": {"intent": "ship"}})
    assert not out.exists()


def test_bad_profile_fails_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AICLEAR_PROFILE", str(tmp_path / "missing.yaml"))
    out = tmp_path / "clean.otio"
    with pytest.raises(ExportBlocked, match="cannot check .*missing.yaml"):
        otio.adapters.write_to_file(clean_timeline(), str(out))
    assert not out.exists()


def test_a_local_profile_cannot_shrink_the_deliverables(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Was test_profile_names_the_deliverables (an EDL-only list let .otio pass)."""
    profile = tmp_path / "edl-only.yaml"
    profile.write_text("aiclear_profile: 1\nname: edl-only\nextends: baseline\n"
                       "gate:\n  deliverables: [.edl]\n")
    monkeypatch.setenv("AICLEAR_PROFILE", str(profile))
    for name in ("cut.otio", "cut.edl"):
        with pytest.raises(ExportBlocked, match=r"edl-only \(over baseline\) profile"):
            otio.adapters.write_to_file(ai_timeline(), str(tmp_path / name))
    assert list(tmp_path.iterdir()) == [profile]


def test_clip_input(tmp_path: Path) -> None:
    ai = clip("veo3_city_flyover")
    with pytest.raises(ExportBlocked, match="veo3_city_flyover"):
        otio.adapters.write_to_file(ai, str(tmp_path / "one.otio"))
    otio.adapters.write_to_file(clip("SC07_TK02"), str(tmp_path / "clean.otio"))
    assert (tmp_path / "clean.otio").exists()


def test_collection_input(tmp_path: Path) -> None:
    coll = otio.schema.SerializableCollection("bin", children=[
        clean_timeline(), clip("SC08_TK01"), declared(clip("SC08_TK02"))])
    before = snapshot(coll)
    out = tmp_path / "bin.otio"
    with pytest.raises(ExportBlocked) as caught:
        otio.adapters.write_to_file(coll, str(out))
    assert [b.clip for b in caught.value.gate.blockers] == ["SC08_TK02"]  # type: ignore[attr-defined]
    assert not out.exists()
    otio.adapters.write_to_file(coll, str(out), hook_function_argument_map={"aiclear": {"intent": "review"}})
    back = otio.schema.SerializableCollection.from_json_file(str(out))
    loose = [c for c in back if isinstance(c, otio.schema.Clip)]
    assert record.read(loose[1])["status"] == "provisional"  # type: ignore[index]
    assert record.read(loose[0]) is None
    assert snapshot(coll) == before


def test_collection_with_a_timeline_of_ai(tmp_path: Path) -> None:
    coll = otio.schema.SerializableCollection("reels", children=[clean_timeline(), ai_timeline()])
    with pytest.raises(ExportBlocked) as caught:
        otio.adapters.write_to_file(coll, str(tmp_path / "reels.otio"))
    assert {b.timeline for b in caught.value.gate.blockers} == {"reel 1"}  # type: ignore[attr-defined]


def test_fcp_writers_get_an_available_range(tmp_path: Path) -> None:
    """The FCP7 / FCPX / AAF writers crash on media without available_range: the gate
    fills it from the source range on the copy it writes."""
    tl = clean_timeline()
    for c in tl.find_clips():
        c.media_reference.available_range = None
    for suffix in (".xml", ".fcpxml"):
        out = tmp_path / f"cut{suffix}"
        otio.adapters.write_to_file(tl, str(out))
        back = otio.adapters.read_from_file(str(out), hook_function_argument_map=NO_TAG)
        assert len(list(back.find_clips())) == 3
    assert all(c.media_reference.available_range is None for c in tl.find_clips())


def test_fcp_writer_refuses_a_clip_with_no_range_at_all(tmp_path: Path) -> None:
    tl = clean_timeline()
    bare = otio.schema.Clip("bare", media_reference=otio.schema.ExternalReference("file:///m/b.mov"))
    tl.tracks[0].append(bare)
    with pytest.raises(ExportBlocked, match="(?s)cannot check: .*No available_range .*bare"):
        otio.adapters.write_to_file(tl, str(tmp_path / "cut.xml"))  # fail closed
    with pytest.raises(otio.exceptions.OTIOError, match="'bare' has neither a source range"):
        otio.adapters.write_to_file(tl, str(tmp_path / "cut.xml"),
                                    hook_function_argument_map={"aiclear": {"intent": "off"}})
    assert not (tmp_path / "cut.xml").exists()
