"""Every format the installed OTIO adapters read is checked, collections timeline by timeline."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.scan.core import scan_file
from aiclear.scan.settings import SettingsSpec
from aiclear.timeline.read import readable_suffixes

RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange
OFF = {"aiclear": {"intent": "off"}}


def _timeline(name: str = "cut") -> otio.schema.Timeline:
    tl = otio.schema.Timeline(name, global_start_time=RT(86400, 24))
    track = otio.schema.Track("V1")
    for clip_name in ("SC01_TK01", "GENAI_skyline_v2", "Hawaii_wide"):
        ref = otio.schema.ExternalReference(f"file:///media/{clip_name}.mov",
                                            available_range=TR(RT(0, 24), RT(96, 24)))
        track.append(otio.schema.Clip(clip_name, media_reference=ref,
                                      source_range=TR(RT(0, 24), RT(48, 24))))
    tl.tracks.append(track)
    return tl


def test_the_adapter_plugins_are_installed() -> None:
    assert {"otio", "otioz", "edl", "xml", "fcpxml", "aaf", "ale"} <= set(readable_suffixes())


@pytest.mark.parametrize(("suffix", "kwargs"), [
    (".otio", {}),
    (".otioz", {"media_policy": otio.adapters.file_bundle_utils.MediaReferencePolicy.AllMissing}), (".edl", {}), (".xml", {}), (".fcpxml", {}),
    (".aaf", {"use_empty_mob_ids": True}),
])
def test_each_format_is_read_and_checked(tmp_path: Path, suffix: str, kwargs: dict) -> None:
    path = tmp_path / f"cut{suffix}"
    otio.adapters.write_to_file(_timeline(), str(path), hook_function_argument_map=OFF, **kwargs)
    results = scan_file(path, SettingsSpec("baseline", rate=24)())
    assert [r.error for r in results] == [None]
    assert [s.clip for s in results[0].segments] == ["GENAI_skyline_v2"]
    assert results[0].segments[0].start_frame == 48


def test_ale_collection_yields_its_clips(tmp_path: Path) -> None:
    path = tmp_path / "bin.ale"
    clips = otio.schema.SerializableCollection("bin", children=list(_timeline().find_clips()))
    otio.adapters.write_to_file(clips, str(path), hook_function_argument_map=OFF)
    [result] = scan_file(path, SettingsSpec("baseline")())
    assert [s.clip for s in result.segments] == ["GENAI_skyline_v2"]


def test_collection_of_timelines_is_checked_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "reels.otio"
    clean = _timeline("reel 2")
    clean.tracks[0][1].name = "SC02_TK07"
    clean.tracks[0][1].media_reference.target_url = "file:///media/SC02_TK07.mov"
    otio.schema.SerializableCollection("reels", children=[_timeline("reel 1"), clean]).to_json_file(
        str(path))
    results = scan_file(path, SettingsSpec("baseline")())
    assert [(r.name, r.verdict) for r in results] == [("reel 1", "blocked"), ("reel 2", "pass")]
