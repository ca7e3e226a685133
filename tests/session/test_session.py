"""The panel's Qt-free session: load, lanes, blockers, edits, review export, thumbnails."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.detect import record
from aiclear.errors import ExportBlocked, InputError, SigningKeyError, UsageError
from aiclear.ledger.keys import new_key, write_key
from aiclear.media.thumbnail import first_frame, local_media
from aiclear.scan.settings import MediaOptions, SettingsSpec
from aiclear.session.core import EDITABLE, PROVISIONAL_LABEL, Session, disclosure_languages
from aiclear.timeline import walk
from aiclear.timeline.read import NO_TAG
from tests.conftest import SAMPLES
from tests.session.ledger_setup import make_ledger

REGISTER = str(SAMPLES / "register.yaml")


def _session(name: str, tmp_path: Path, profile: str = "baseline", media: bool = False) -> Session:
    """A session over a copy of a sample; ``media``: its clips point at real ffmpeg-made
    files and the session reads them (only media aiclear hashed can be cleared)."""
    src = tmp_path / name
    shutil.copy(SAMPLES / name, src)
    if not media:
        return Session(src, SettingsSpec(profile=profile, registers=(REGISTER,)))
    from tests.plugin.helpers import with_media

    (tmp_path / "media").mkdir()
    tl = with_media(otio.adapters.read_from_file(str(src), hook_function_argument_map=NO_TAG),
                    tmp_path / "media")
    tl.to_json_file(str(src))
    media = MediaOptions(enabled=True, progress=False, jobs=0)
    return Session(src, SettingsSpec(profile=profile, registers=(REGISTER,), media=media))


@pytest.mark.parametrize("name", ["nested_compound.otio", "genai_names.edl", "registered_plates.xml",
                                  "tool_names.otio", "disabled_ai.otio"])
def test_lanes_match_the_walk(name: str, tmp_path: Path) -> None:
    session = _session(name, tmp_path)
    session.load()
    rate = session.rate
    expected = sorted((p.track_label, walk.frames(p.range.start_time, rate),
                       walk.frames(p.range.end_time_exclusive(), rate), p.clip.name)
                      for p in walk.places(session.timeline))
    got = sorted((lane.label, s, e, n) for lane in session.lanes
                 for s, e, n in zip(lane.starts, lane.ends, lane.names, strict=True))
    assert got == expected
    linked = sorted(i for lane in session.lanes for i in lane.segments if i >= 0)
    assert linked == list(range(len(session.segments)))


def test_blockers_count_and_reasons(tmp_path: Path) -> None:
    session = _session("tool_names.otio", tmp_path)
    result = session.load()
    blockers = session.blockers()
    assert blockers.blocked
    assert blockers.count == len(result.blocking) >= 5
    rules = {rule for rule, _, _ in blockers.reasons}
    assert "clearance.provisional" in rules
    assert sum(n for _, n, _ in blockers.reasons) == blockers.count
    assert "blocking" in blockers.summary()


def test_clean_cut_does_not_block(tmp_path: Path) -> None:
    session = _session("clean_cut.otio", tmp_path)
    session.load()
    assert not session.blockers().blocked
    assert session.blockers().summary() == "nothing blocks"


def test_unreadable_file_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.otio"
    bad.write_text("{not json")
    with pytest.raises(InputError) as info:
        Session(bad).load()
    assert "broken.otio" in str(info.value)
    assert "\n" not in str(info.value)


def test_unscanned_session_blocks(tmp_path: Path) -> None:
    assert Session(tmp_path / "x.otio").blockers().blocked


def test_edit_declares_fields_as_manual_evidence(tmp_path: Path) -> None:
    session = _session("tool_names.otio", tmp_path, profile="studio-partner")
    session.load()
    target = session.segments[0]
    session.edit(target.segment_id, {"use": "voice", "lifecycle": "temp"})
    edited = session.segment(target.segment_id)
    assert edited is not None
    assert edited.record["use"] == "voice"
    assert any(e["kind"] == "manual" for e in edited.evidence)
    rules = {f.rule for f in edited.findings}
    assert "lifecycle.temp" in rules  # re-judged with the new record
    assert any(f.rule == "lifecycle.temp" for f in session.result.findings)  # type: ignore[union-attr]
    # edits survive a re-scan (e.g. after the file changed on disk)
    session.read()
    session.scan()
    again = session.segment(target.segment_id)
    assert again is not None
    assert again.record["lifecycle"] == "temp"


def test_edit_refuses_other_fields(tmp_path: Path) -> None:
    session = _session("tool_names.otio", tmp_path)
    session.load()
    with pytest.raises(UsageError):
        session.edit(session.segments[0].segment_id, {"status": "cleared"})
    with pytest.raises(UsageError):
        session.edit("nope", {"use": "voice"})
    assert "status" not in EDITABLE


def test_review_copy_labels_provisional_and_keeps_input(tmp_path: Path) -> None:
    session = _session("nested_compound.otio", tmp_path)
    session.load()
    before = session.path.read_bytes()
    out = session.export_review(tmp_path / "review.otio")
    assert session.path.read_bytes() == before
    copy = otio.adapters.read_from_file(str(out), hook_function_argument_map=NO_TAG)
    labelled = [c for c in copy.find_clips() if any(m.name == PROVISIONAL_LABEL for m in c.markers)]
    assert len(labelled) == len(session.segments) == 3
    assert all(record.read(c)["status"] == "provisional" for c in labelled)  # type: ignore[index]
    # the session's own timeline is untouched by the export
    assert not any(m.name == PROVISIONAL_LABEL for c in session.timeline.find_clips() for m in c.markers)


@pytest.mark.parametrize("suffix", [".otio", ".xml"])
def test_the_panel_and_aiclear_tag_write_the_same_tagged_copy(tmp_path: Path, suffix: str) -> None:
    """One write-back (aiclear.gate.writeback.stamped_copy): the panel's tagged copy and
    ``aiclear tag`` with the same settings are the same bytes, records and carriers alike."""
    from aiclear.cli import main

    session = _session("tool_names.otio", tmp_path)
    session.load()
    saved = session.save_tagged(tmp_path / f"saved{suffix}")
    tagged = tmp_path / f"tagged{suffix}"
    assert main(["tag", str(session.path), "-o", str(tagged), "--register", REGISTER,
                 "--no-media"]) == 0
    assert saved.read_bytes() == tagged.read_bytes()
    pointer = {".otio": '"ai_class": "generated"', ".xml": "AICLEAR REF-"}[suffix]
    assert saved.read_text().count(pointer) >= len(session.segments) == 5


def test_thumbnail_of_local_media(tmp_path: Path) -> None:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.skip("ffmpeg not installed")
    movie = tmp_path / "gen.mp4"
    subprocess.run([ffmpeg, "-v", "error", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=24",
                    "-frames:v", "3", "-pix_fmt", "yuv420p", str(movie)], check=True)
    clip = otio.schema.Clip("gen", media_reference=otio.schema.ExternalReference("gen.mp4"))
    path = local_media(clip, tmp_path / "cut.otio")
    assert path == tmp_path / "gen.mp4"
    thumb = first_frame(path, max_width=160)
    assert thumb is not None
    assert (thumb.width, thumb.height) == (160, 90)
    assert len(thumb.rgb) == 160 * 90 * 3
    assert len(set(thumb.rgb)) > 10  # a real picture, not a blank


def test_thumbnail_never_follows_urls(tmp_path: Path) -> None:
    clip = otio.schema.Clip("x", media_reference=otio.schema.ExternalReference(
        "https://example.com/a.mp4"))
    assert local_media(clip, tmp_path / "cut.otio") is None
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a movie")
    assert first_frame(junk) is None


def test_decide_signs_into_the_ledger_and_rejudges(tmp_path: Path) -> None:
    keys = make_ledger(tmp_path)
    session = _session("nested_compound.otio", tmp_path, media=True)
    session.load()
    target = session.segments[0]
    assert target.status == "provisional"
    seq = session.decide(target.segment_id, "approve", keys["legal"], note="checked the licence",
                         conditions="background only")
    assert seq >= 1
    assert target.status == "cleared"
    assert target.decision is not None
    assert target.decision.approver == "Lea Legal"
    assert "clearance.provisional" not in {f.rule for f in target.findings}
    history = session.history(target.asset_id)
    assert [(h.decision, h.approver, h.note) for h in history] == [
        ("approve", "Lea Legal", "checked the licence")]
    assert history[0].conditions == "background only"
    # a fresh session reads the same ledger: the clearance is not a cache in memory
    again = Session(session.path, session.spec)
    again.load()
    assert again.segment(target.segment_id).status == "cleared"  # type: ignore[union-attr]
    session.decide(target.segment_id, "reject", keys["legal"], note="no")
    assert target.status == "rejected"
    assert "clearance.rejected" in {f.rule for f in target.findings}
    session.decide(target.segment_id, "revoke", keys["legal"])
    assert target.status == "provisional"
    assert len(session.history(target.asset_id)) == 3


def test_editor_cannot_clear_and_untrusted_key_is_refused(tmp_path: Path) -> None:
    keys = make_ledger(tmp_path)
    session = _session("nested_compound.otio", tmp_path, media=True)
    session.load()
    target = session.segments[0]
    session.decide(target.segment_id, "approve", keys["editor"])
    assert target.status == "provisional"  # an editor's approval never clears
    stranger = tmp_path / "stranger.key"
    write_key(new_key("Sam Stranger", "legal"), stranger)
    with pytest.raises(SigningKeyError):
        session.decide(target.segment_id, "approve", stranger)


def test_deliverable_blocked_then_written(tmp_path: Path) -> None:
    keys = make_ledger(tmp_path)
    session = _session("nested_compound.otio", tmp_path, media=True)
    session.load()
    out = tmp_path / "deliver" / "cut.otio"
    out.parent.mkdir()
    with pytest.raises(ExportBlocked):
        session.export_deliverable(out, ["srt"])
    assert not out.exists()
    for segment in list(session.segments):
        session.decide(segment.segment_id, "approve", keys["legal"])
    assert not session.blockers().blocked
    written = session.export_deliverable(out, ["srt", "credits-txt"], "en")
    assert written[0] == out
    assert {p.name for p in written[1:]} == {"cut.ai-labels.srt", "cut.ai-credits.txt"}
    delivered = otio.adapters.read_from_file(str(out), hook_function_argument_map=NO_TAG)
    records = [record.read(c) for c in delivered.find_clips()]
    statuses = [r["status"] for r in records if r]
    assert statuses == ["cleared"] * 3
    assert "-->" in (out.parent / "cut.ai-labels.srt").read_text()
    # an unsigned record edit is only a claim: no deliverable carries it
    session.edit(session.segments[0].segment_id, {"lifecycle": "temp"})
    again = tmp_path / "deliver" / "again.otio"
    with pytest.raises(UsageError, match=r"1 asset\(s\) have unsigned record edits; sign them"):
        session.export_deliverable(again)
    assert not again.exists()
    session.discard_edits()
    session.load()  # discarding keeps the edit on the records until the file is read again
    assert session.export_deliverable(again)[0] == again


def test_disclosure_preview_switches_language(tmp_path: Path) -> None:
    session = _session("tool_names.otio", tmp_path)
    session.load()
    langs = disclosure_languages()
    assert {"en", "fr"} <= set(langs)
    en = session.disclosure_preview("en")
    fr = session.disclosure_preview("fr")
    assert en.lang == "en"
    assert fr.lang == "fr"
    assert en.events
    assert en.events[0][0].startswith(("00:", "01:"))
    assert [e[2] for e in en.events] != [e[2] for e in fr.events]
    assert en.credits


def test_the_panel_walks_a_timeline_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lanes and the scan read one walk: opening a file walks its timeline once."""
    session = _session("nested_compound.otio", tmp_path)
    calls: list[bool] = []
    columns = walk.columns

    def counted(timeline: otio.schema.Timeline, *, strict: bool = True) -> list[walk.TrackClips]:
        calls.append(strict)
        return columns(timeline, strict=strict)

    monkeypatch.setattr(walk, "columns", counted)
    result = session.load()
    assert calls == [True]
    assert result.clip_count == sum(len(lane) for lane in session.lanes) > 0
    assert sorted(i for lane in session.lanes for i in lane.segments if i >= 0) == \
        list(range(len(result.segments))) != []


def test_a_timeline_the_scan_refuses_is_still_drawn(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """As before the lanes shared the walk: a time beyond the limits blocks the check with
    the walk's reason, but the strip still shows the cut."""
    tl = otio.schema.Timeline("long")
    track = otio.schema.Track("V1")
    rng = otio.opentime.TimeRange
    rt = otio.opentime.RationalTime
    track.extend([otio.schema.Clip("a", source_range=rng(rt(0, 24), rt(48, 24))),
                  otio.schema.Clip("AI_GEN_b", source_range=rng(rt(0, 24), rt(480, 24)))])
    tl.tracks.append(track)
    path = tmp_path / "long.otio"
    tl.to_json_file(str(path))
    monkeypatch.setenv("AICLEAR_MAX_SECONDS", "10")
    session = Session(path, SettingsSpec(profile="baseline"))
    result = session.load()
    [lane] = session.lanes
    assert (lane.starts, lane.ends, lane.names) == ([0, 48], [48, 528], ["a", "AI_GEN_b"])
    assert result.error is not None and "beyond 10 s" in result.error
    assert [f.rule for f in result.findings] == ["scan.error"]


def test_the_panels_approval_is_bound_to_the_record_it_was_given_for(tmp_path: Path) -> None:
    """The sign-off carries the segment's claims (aiclear.policy.claims); a claim edited into
    the clip's record afterwards makes the approval stop clearing, in any later session."""
    from aiclear.ledger.store import open_store
    from aiclear.policy.claims import claims, digest

    keys = make_ledger(tmp_path)
    session = _session("nested_compound.otio", tmp_path, media=True)
    session.load()
    target = session.segments[0]
    seq = session.decide(target.segment_id, "approve", keys["legal"])
    assert target.status == "cleared"
    with open_store(str(tmp_path / "aiclear-ledger.sqlite")) as store:
        signed = next(e.statement() for e in store.entries() if e.seq == seq)
    assert signed is not None and signed["record"]["sha256"] == digest(claims(target.record))
    tl = otio.adapters.read_from_file(str(session.path), hook_function_argument_map=NO_TAG)
    for clip in tl.find_clips():
        if clip.name == target.clip:
            clip.metadata["aiclear"] = {"schema": 1, "ai_class": target.ai_class,
                                        "presented_as": "fiction"}
    tl.to_json_file(str(session.path))
    again = Session(session.path, session.spec)
    again.load()
    seg = again.segment(target.segment_id)
    assert seg is not None and seg.status == "provisional"
    assert [f.message.split(": ", 2)[2].split(" (clear it")[0] for f in seg.findings
            if f.rule == "clearance.record_changed"] == ["presented_as: (none) -> fiction"]
