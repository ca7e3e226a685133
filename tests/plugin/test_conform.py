"""Writes real cuts need (issue 18): offline clips, generators, image sequences and clips
without ranges are written to every format with their AI set kept; what a format cannot
hold is refused in one line; a write whose AI pointers do not survive is refused."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.cli import main
from aiclear.errors import TimelineError
from aiclear.gate import writeback as tag
from aiclear.scan.core import scan_file, scan_timeline
from aiclear.scan.settings import SettingsSpec

RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange


def _range(start: int, frames: int) -> otio.opentime.TimeRange:
    return TR(RT(start, 24), RT(frames, 24))


def real_cut() -> otio.schema.Timeline:
    """One video track with what real cuts hold, two AI clips among them."""
    tl = otio.schema.Timeline("cut", global_start_time=RT(86400, 24))
    v1 = otio.schema.Track("V1")
    v1.append(otio.schema.Clip("SLUG", source_range=_range(0, 24),
                               media_reference=otio.schema.GeneratorReference(
                                   name="slug", generator_kind="SolidColor")))
    v1.append(otio.schema.Clip("GENAI_offline_plate", source_range=_range(100, 48),
                               media_reference=otio.schema.MissingReference()))
    v1.append(otio.schema.Clip("SC02_TK01", media_reference=otio.schema.ExternalReference(
        "file:///m/sc02.mov", available_range=_range(0, 36))))  # no source range
    v1.append(otio.schema.Clip("Midjourney_still_seq", source_range=_range(1001, 24),
                               media_reference=otio.schema.ImageSequenceReference(
                                   target_url_base="file:///m/seq/", name_prefix="mj.",
                                   name_suffix=".exr", start_frame=1001, rate=24,
                                   frame_zero_padding=4, available_range=_range(1001, 48))))
    v1.append(otio.schema.Clip("SC03_TK02", source_range=_range(0, 24),
                               media_reference=otio.schema.ExternalReference("file:///m/sc03.mov")))
    tl.tracks.append(v1)
    return tl


def _ai(results: list) -> list[tuple[int, int]]:  # type: ignore[type-arg]
    return sorted((s.start_frame, s.end_frame) for r in results for s in r.segments)


@pytest.mark.parametrize("suffix", [".otio", ".xml", ".fcpxml", ".aaf", ".edl", ".ale"])
def test_real_cut_writes_to_every_format_and_keeps_its_ai(tmp_path: Path, suffix: str) -> None:
    cut = real_cut()
    result = scan_timeline(cut, SettingsSpec("baseline")())
    assert [(s.start_frame, s.end_frame) for s in result.segments] == [(24, 72), (108, 132)]
    src = tmp_path / "cut.otio"
    otio.adapters.write_to_file(cut, str(src), hook_function_argument_map={
        "aiclear": {"intent": "off"}})
    out = tmp_path / f"out{suffix}"
    assert main(["tag", str(src), "-o", str(out)]) == 0
    back = scan_file(out, SettingsSpec("baseline")())
    assert all(r.error is None for r in back), [r.error for r in back]
    if suffix == ".ale":  # a clip list: the AI clips, not their places
        assert len(_ai(back)) == 2
    else:
        assert _ai(back) == [(24, 72), (108, 132)]


def test_edl_cannot_hold_two_video_tracks_one_line(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    cut = real_cut()
    cut.tracks.append(otio.schema.Track("V2"))
    cut.tracks[1].append(otio.schema.Clip("x", source_range=_range(0, 24)))
    src = tmp_path / "cut.otio"
    otio.adapters.write_to_file(cut, str(src), hook_function_argument_map={
        "aiclear": {"intent": "off"}})
    assert main(["tag", str(src), "-o", str(tmp_path / "o.edl")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("aiclear: error:") and "EDL holds exactly one video track" in err[-1]
    assert not (tmp_path / "o.edl").exists()


def test_write_whose_ai_pointer_does_not_survive_is_refused(tmp_path: Path) -> None:
    """The FCP7 reader loses the clips of a nested sequence its writer wrote: the AI clip
    inside would read back as clean, so the write is refused."""
    tl = otio.schema.Timeline("nested")
    outer = otio.schema.Track("V1")
    stack = otio.schema.Stack("compound", source_range=_range(0, 24))
    inner = otio.schema.Track("in")
    inner.append(otio.schema.Clip("GENAI_inner", source_range=_range(0, 24),
                                  media_reference=otio.schema.ExternalReference(
                                      "file:///m/g.mov", available_range=_range(0, 48))))
    inner2 = otio.schema.Track("in2")
    inner2.append(otio.schema.Clip("SC01", source_range=_range(0, 24),
                                   media_reference=otio.schema.ExternalReference(
                                       "file:///m/s.mov", available_range=_range(0, 48))))
    stack.extend([inner, inner2])
    outer.append(stack)
    tl.tracks.append(outer)
    result = scan_timeline(tl, SettingsSpec("baseline")())
    tag.apply_records(result)
    out = tmp_path / "n.xml"
    with pytest.raises(TimelineError, match="1 of 1 AI clip.s. lose their aiclear record"):
        tag.write_timeline(tl, out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temp file left either
