"""The export gate reads media: a signed AI shot with a plain name cannot be delivered."""

from __future__ import annotations

import shutil
from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.errors import ExportBlocked
from aiclear.gate.hookenv import _cached

RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange


def _neutral(media: Path, folder: Path) -> Path:
    """The same bytes under a camera-style name, so only the file's insides say AI."""
    copy = folder / "A001C007_220101.mp4"
    shutil.copyfile(media, copy)
    return copy


def _timeline(media: Path) -> otio.schema.Timeline:
    tl = otio.schema.Timeline("delivery")
    clip = otio.schema.Clip("SC07_TK02", media_reference=otio.schema.ExternalReference(
        media.as_uri(), available_range=TR(RT(0, 24), RT(9, 24))),
        source_range=TR(RT(0, 24), RT(9, 24)))
    tl.tracks.append(otio.schema.Track("V1", children=[clip]))
    return tl


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    _cached.cache_clear()


def test_gate_blocks_ai_media_behind_a_plain_name(tmp_path: Path, library: dict[str, Path]) -> None:
    out = tmp_path / "cut.edl"
    with pytest.raises(ExportBlocked, match="SC07_TK02"):
        otio.adapters.write_to_file(_timeline(_neutral(library["ai_video.mp4"], tmp_path)), str(out))
    assert not out.exists()


def test_gate_passes_plain_camera_media(tmp_path: Path, library: dict[str, Path]) -> None:
    out = tmp_path / "cut.edl"
    otio.adapters.write_to_file(_timeline(library["camera.mov"]), str(out))
    assert "SC07_TK02" in out.read_text()


def test_media_reading_can_be_switched_off_for_unmounted_media(
        tmp_path: Path, library: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AICLEAR_MEDIA", "off")
    out = tmp_path / "cut.edl"
    otio.adapters.write_to_file(_timeline(_neutral(library["ai_video.mp4"], tmp_path)), str(out))
    assert out.exists()
