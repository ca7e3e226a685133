"""Round trips through the real EDL, FCP7, FCPX, AAF and ALE adapters: the AI segments and
their asset ids come back from the carriers alone (those formats drop metadata)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import opentimelineio as otio
import pytest

from aiclear.cli import main
from aiclear.detect import carriers, record
from aiclear.gate import writeback as tag
from aiclear.scan.core import scan_timeline
from aiclear.scan.settings import ScanSettings
from aiclear.timeline.read import read_file

from .helpers import ai_timeline

FORMATS = [".edl", ".xml", ".fcpxml", ".aaf", ".ale"]
ADAPTER_ARGS: dict[str, dict[str, Any]] = {".aaf": {"use_empty_mob_ids": True}}


def _segments(timeline: otio.schema.Timeline) -> set[tuple[str, str]]:
    return {(s.clip, s.asset_id) for s in scan_timeline(timeline, ScanSettings()).segments}


def _places(timeline: otio.schema.Timeline) -> set[tuple[str, str, int, int]]:
    """Frames from the timeline's start (the EDL and FCPX writers drop a start timecode)."""
    return {(s.clip, s.asset_id, s.start_frame, s.end_frame)
            for s in scan_timeline(timeline, ScanSettings()).segments}


def _read_back(path: Path) -> list[otio.schema.Timeline]:
    return [tl for _, tl in read_file(path, 24.0)]  # no tag-on-read: the scan alone


@pytest.mark.parametrize("suffix", FORMATS)
def test_aiclear_tag_round_trip(tmp_path: Path, suffix: str) -> None:
    original = ai_timeline()
    expected = _segments(original)
    assert {name for name, _ in expected} == {"Midjourney_castle", "SC02_TK03"}
    result = scan_timeline(original, ScanSettings())
    tag.apply_records(result)
    out = tmp_path / f"cut{suffix}"
    tag.write_timeline(original, out)
    timelines = _read_back(out)
    assert len(timelines) == 1
    back = timelines[0]
    assert not any(record.read(c) for c in back.find_clips())  # the metadata did not survive
    if suffix == ".ale":  # a clip list: no track places, and a ref: id names a place
        assert {n for n, _ in _segments(back)} == {n for n, _ in expected}
    else:
        assert _segments(back) == expected
    declared = next(c for c in back.find_clips() if c.name == "SC02_TK03")
    carried = carriers.read(declared)
    assert carried is not None and carried.use == "background_element"
    if suffix != ".ale":  # an ALE is a clip list: no record timecodes to compare
        assert _places(back) == _places(original)


@pytest.mark.parametrize("suffix", FORMATS)
def test_hook_round_trip(tmp_path: Path, suffix: str) -> None:
    """Through OTIO alone: the gate stamps on write (review), tag-on-read rebuilds records."""
    original = ai_timeline()
    expected = _segments(original)
    out = tmp_path / f"screening{suffix}"
    otio.adapters.write_to_file(original, str(out), **ADAPTER_ARGS.get(suffix, {}),
                                hook_function_argument_map={"aiclear": {"intent": "review"}})
    back = otio.adapters.read_from_file(str(out), **({"rate": 24} if suffix == ".edl" else {}))
    recs = {c.name: record.read(c) for c in back.find_clips()}
    got = {(name, rec["asset_id"]) for name, rec in recs.items() if rec}
    if suffix == ".ale":  # a clip list: no track places, and a ref: id names a place
        assert {n for n, _ in got} == {n for n, _ in expected}
    else:
        assert got == expected
    for name, _ in expected:
        kinds = {e["kind"] for e in recs[name]["evidence"]}  # type: ignore[index]
        assert "carrier" in kinds


@pytest.mark.parametrize("suffix", FORMATS)
def test_carriers_per_format(tmp_path: Path, suffix: str) -> None:
    """Each format keeps its own comment field, and every format but ALE and AAF 2.0.0 the
    upper-case marker."""
    original = ai_timeline()
    tag.apply_records(scan_timeline(original, ScanSettings()))
    out = tmp_path / f"cut{suffix}"
    tag.write_timeline(original, out)
    back = _read_back(out)[0]
    castle = next(c for c in back.find_clips() if c.name == "Midjourney_castle")
    found = carriers.read(castle)
    assert found is not None
    comment = {".edl": "EDL comment", ".xml": "FCP7 comments", ".fcpxml": "FCPX note",
               ".aaf": "AAF UserComments", ".ale": "ALE column"}[suffix]
    assert comment in found.where
    assert ("marker" in found.where) == (suffix in (".edl", ".xml", ".fcpxml"))
    assert found.ai_class == "generated"


def test_tag_cli_stamps_carriers(tmp_path: Path) -> None:
    src = tmp_path / "cut.otio"
    ai_timeline().to_json_file(str(src))
    out = tmp_path / "cut.edl"
    assert main(["tag", str(src), "-o", str(out)]) == 0
    edl = out.read_text()
    assert edl.count("* LOC:") == 2
    assert edl.count("AICLEAR REF-") == 4  # a locator and a comment per AI clip
    back = otio.adapters.read_from_file(str(out), rate=24)
    assert sum(record.read(c) is not None for c in back.find_clips()) == 2


def test_the_stamped_copy_labels_the_uncleared_and_leaves_the_original() -> None:
    """``stamped_copy``, what ``aiclear tag``, the panel and the gate write: records, the
    PROVISIONAL label on uncleared segments only, the carriers of the target format."""
    original = ai_timeline()
    before = original.to_json_string()
    segments = scan_timeline(original, ScanSettings()).segments
    cleared, open_ = segments
    cleared.status = "cleared"
    copy = tag.stamped_copy(original, segments, suffix=".edl", provisional=True)
    assert original.to_json_string() == before
    clips = {c.name: c for c in copy.find_clips()}
    labels = {n for n, c in clips.items() if any(m.name == tag.PROVISIONAL_LABEL for m in c.markers)}
    assert labels == {open_.clip}
    assert {n: (record.read(c) or {}).get("status") for n, c in clips.items() if record.read(c)} == {
        cleared.clip: "cleared", open_.clip: "provisional"}
    assert {n for n, c in clips.items() if carriers.read(c)} == {cleared.clip, open_.clip}
    assert tag.for_write(original, ".otio", "off") is original  # nothing to stamp: no copy


def test_stamping_twice_leaves_one_of_each() -> None:
    clip = ai_timeline().tracks[0][1]
    text = carriers.token("ref:" + "ab" * 16, "generated", "vfx_element")
    for _ in range(2):
        carriers.stamp(clip, text)
    assert [m.name for m in clip.markers] == [text]
    assert list(clip.metadata["cmx_3600"]["comments"]) == [text]
    assert clip.media_reference.metadata["fcpx"]["note"] == text


def test_token_survives_upper_casing_and_rejects_junk() -> None:
    asset = "sha256:" + "0f" * 32
    text = carriers.token(asset, "edited", "vfx element")
    assert text == "AICLEAR SHA256-" + "0F" * 32 + " CLASS=EDITED USE=VFX_ELEMENT"
    found = carriers.parse(f"* LOC: 01:00:00:00 PURPLE  {text.upper()}")
    assert found is not None and found.asset_id == asset and found.use == "vfx_element"
    assert carriers.parse("aiclear ref-" + "ab" * 16).asset_id == "ref:" + "ab" * 16  # type: ignore[union-attr]
    assert carriers.parse("AICLEAR REF-ABC") is None  # wrong length
    assert carriers.parse("AICLEAR MD5-" + "ab" * 16) is None
    assert carriers.parse("AICLEARANCE REF-" + "ab" * 16) is None


def test_fcp7_keeps_an_editors_comments(tmp_path: Path) -> None:
    original = ai_timeline()
    castle = original.tracks[0][1]
    castle.metadata["fcp_xml"] = {"comments": {"mastercomment4": "check sky colour"}}
    tag.apply_records(scan_timeline(original, ScanSettings()))
    out = tmp_path / "cut.xml"
    tag.write_timeline(original, out)
    back = _read_back(out)[0]
    comments = next(c for c in back.find_clips() if c.name == "Midjourney_castle").metadata["fcp_xml"]["comments"]
    assert comments["mastercomment4"] == "check sky colour"
    assert str(comments["mastercomment3"]).startswith("AICLEAR REF-")
