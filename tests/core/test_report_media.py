"""Issue 16, CLI 11: missing media is one line per folder with a count, not one per clip,
and a missing file is not listed as evidence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aiclear.cli import main
from aiclear.model import Finding
from aiclear.scan.report import finding_lines
from tests.conftest import SAMPLES


def test_missing_media_grouped_per_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    shutil.copy(SAMPLES / "tool_names.otio", tmp_path / "cut.otio")
    main(["check", str(tmp_path / "cut.otio")])
    out = capsys.readouterr().out
    missing = [ln for ln in out.splitlines() if "media.missing" in ln]
    assert missing == [
        "  WARN  media.missing: 1 file(s) not found in file:///gfx/ (mj_castle.png); "
        "pass --media-root to relink",
        "  WARN  media.missing: 4 file(s) not found in file:///media/ (sora2_beach.mp4, "
        "veo3_city.mp4, kling_chase.mp4, sky_fill.mov); pass --media-root to relink"]
    rows = [ln for ln in out.splitlines() if ln.startswith("  ") and "provisional  V1" in ln]
    assert rows and all(ln.split()[-1] == "name" for ln in rows)  # not "media,name"


def test_unprobed_summary_kept_only_when_it_adds_clips() -> None:
    found = [Finding("media.missing", "warn", f"/m/{n}.mov: media file not found", f"s{n}")
             for n in range(6)]
    same = Finding("media.unprobed", "warn", "media of 6 clip(s) could not be read (6 missing)")
    more = Finding("media.unprobed", "warn", "media of 9 clip(s) could not be read (9 missing)")
    assert [r for _, r, _ in finding_lines([*found, same])] == ["media.missing"]
    lines = finding_lines([*found, more])
    assert [r for _, r, _ in lines] == ["media.missing", "media.unprobed"]
    assert "6 file(s) not found in /m/ (0.mov, 1.mov, 2.mov, 3.mov, … (+2))" in lines[0][2]
    blocking = Finding("media.unprobed", "block", same.message)
    assert "media.unprobed" in [r for _, r, _ in finding_lines([*found, blocking])]
