"""Each non-media signal, read through the real OTIO adapters where a format carries it."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio

from aiclear.detect import record
from aiclear.scan.core import scan_file, scan_timeline
from aiclear.scan.settings import ScanSettings, SettingsSpec

RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange


def _one_clip(clip: otio.schema.Clip) -> otio.schema.Timeline:
    tl = otio.schema.Timeline("t")
    track = otio.schema.Track("V1")
    track.append(clip)
    track.append(otio.schema.Clip("SC99_TK01", source_range=TR(RT(0, 24), RT(24, 24))))
    tl.tracks.append(track)
    return tl


def _clip(name: str = "SC01_TK01", url: str | None = None) -> otio.schema.Clip:
    ref = (otio.schema.ExternalReference(url, available_range=TR(RT(0, 24), RT(100, 24)))
           if url else None)
    return otio.schema.Clip(name, media_reference=ref, source_range=TR(RT(0, 24), RT(48, 24)))


def _kinds(tl: otio.schema.Timeline, settings: ScanSettings | None = None) -> list[set[str]]:
    result = scan_timeline(tl, settings or SettingsSpec("baseline")())
    return [{str(e["kind"]) for e in s.evidence} for s in result.segments]


def test_media_file_name() -> None:
    assert _kinds(_one_clip(_clip(url="file:///m/GENAI_sky.mov"))) == [{"name"}]


def test_marker_name_and_comment() -> None:
    clip = _clip()
    clip.markers.append(otio.schema.Marker("note", TR(RT(0, 24), RT(0, 24)),
                                           comment="AI generated fill"))
    assert _kinds(_one_clip(clip)) == [{"marker"}]


def test_existing_record_is_evidence_but_its_status_is_not_trusted() -> None:
    clip = _clip()
    record.write(clip, {"schema": 1, "ai_class": "generated", "status": "cleared",
                        "asset_id": "ref:" + "0" * 32})
    result = scan_timeline(_one_clip(clip), SettingsSpec("baseline")())
    [seg] = result.segments
    assert seg.status == "provisional"
    assert result.verdict == "blocked"
    assert {e["kind"] for e in seg.evidence} == {"metadata"}


def test_edl_star_comment_through_the_cmx_adapter(tmp_path: Path) -> None:
    edl = tmp_path / "c.edl"
    edl.write_text("TITLE: C\n\n001  AX  V  C  00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n"
                   "* FROM CLIP NAME: SC01_TK01\n* AI GENERATED BACKGROUND PLATE\n")
    [result] = scan_file(edl, SettingsSpec("baseline")())
    [seg] = result.segments
    assert seg.evidence[0]["kind"] == "comment"
    assert "EDL comment" in seg.evidence[0]["detail"]


def test_edl_reel(tmp_path: Path) -> None:
    edl = tmp_path / "r.edl"
    edl.write_text("TITLE: R\n\n001  GENAI01  V  C  00:00:00:00 00:00:01:00 01:00:00:00 "
                   "01:00:01:00\n* FROM CLIP NAME: SC01_TK01\n")
    [result] = scan_file(edl, SettingsSpec("baseline")())
    assert [e["detail"] for e in result.segments[0].evidence] == [
        "reel 'GENAI01' has AI term 'GENAI'"]


def test_fcp7_comments_and_logging_info_through_the_fcp_adapter(tmp_path: Path) -> None:
    commented, logged = _clip("SC01_TK01"), _clip("SC02_TK01")
    commented.metadata["fcp_xml"] = {"comments": {"mastercomment2": "AI GENERATED plate"}}
    logged.metadata["fcp_xml"] = {"logginginfo": {"lognote": "synthetic crowd"}}
    tl = otio.schema.Timeline("f")
    tl.tracks.append(otio.schema.Track("V1", children=[commented, logged]))
    path = tmp_path / "f.xml"
    path.write_text(otio.adapters.write_to_string(tl, "fcp_xml"))
    [result] = scan_file(path, SettingsSpec("baseline")())
    fields = [s.evidence[0]["field"] for s in result.segments]
    assert fields == ["FCP7 comments", "FCP7 logginginfo"]


def test_aaf_user_comments_and_ale_columns() -> None:
    aaf, ale = _clip("SC01_TK01"), _clip("SC02_TK01")
    aaf.metadata["AAF"] = {"UserComments": {"Comments": "GenAI sky replacement"}}
    ale.metadata["ALE"] = {"Comments": "made with Midjourney"}
    tl = otio.schema.Timeline("a")
    tl.tracks.append(otio.schema.Track("V1", children=[aaf, ale]))
    result = scan_timeline(tl, SettingsSpec("baseline")())
    assert [s.evidence[0]["field"] for s in result.segments] == ["AAF UserComments", "ALE column"]
    assert result.segments[1].record["tool"]["product"] == "Midjourney"


def test_sources_cannot_be_switched_off_by_a_local_profile(tmp_path: Path) -> None:
    """Was test_sources_can_be_switched_off: a local profile may only add (issue 13 #6)."""
    profile = tmp_path / "names_only.yaml"
    profile.write_text("aiclear_profile: 1\nname: names-only\nextends: baseline\n"
                       "detect: {sources: [name]}\n")
    clip = _clip()
    clip.markers.append(otio.schema.Marker("AI", TR(RT(0, 24), RT(0, 24))))
    settings = SettingsSpec(str(profile))()
    assert _kinds(_one_clip(clip), settings) == [{"marker"}]
    assert any("detect.sources: drops record, register" in n for n in settings.profile.notices)
