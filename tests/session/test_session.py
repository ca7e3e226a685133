"""The panel's Qt-free session: load, lanes, blockers, edits, review export, thumbnails."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear import record, walk
from aiclear.cli.common import SettingsSpec
from aiclear.errors import InputError, UsageError
from aiclear.session import EDITABLE, PROVISIONAL_LABEL, Session
from aiclear.thumbnail import first_frame, local_media
from tests.conftest import SAMPLES

REGISTER = str(SAMPLES / "register.yaml")


def _session(name: str, tmp_path: Path, profile: str = "baseline") -> Session:
    src = tmp_path / name
    shutil.copy(SAMPLES / name, src)
    return Session(src, SettingsSpec(profile=profile, registers=(REGISTER,)))


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
    copy = otio.adapters.read_from_file(str(out))
    labelled = [c for c in copy.find_clips() if any(m.name == PROVISIONAL_LABEL for m in c.markers)]
    assert len(labelled) == len(session.segments) == 3
    assert all(record.read(c)["status"] == "provisional" for c in labelled)  # type: ignore[index]
    # the session's own timeline is untouched by the export
    assert not any(m.name == PROVISIONAL_LABEL for c in session.timeline.find_clips() for m in c.markers)


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
