"""Render docs/panel.png: the panel on a sample cut with one clip cleared, one rejected.

    python scripts/panel_screenshot.py [OUT.png]

Builds a throwaway folder: ``sample_timelines/tool_names.otio`` with one AI clip pointing
at a small generated movie (so the inspector shows a first-frame thumbnail), a ledger
beside it with a legal key that approves one clip and rejects another, then runs
``aiclear panel TIMELINE --screenshot OUT.png`` offscreen.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import opentimelineio as otio

from aiclear.cli import main
from aiclear.ledger.keys import new_key, write_key
from aiclear.scan.settings import SettingsSpec
from aiclear.session.core import Session
from aiclear.timeline.read import NO_TAG

ROOT = Path(__file__).resolve().parent.parent
NLE_WRITE = {"aiclear": {"intent": "off"}}


def build(folder: Path) -> Path:
    (folder / "media").mkdir()
    ffmpeg = shutil.which("ffmpeg") or sys.exit("ffmpeg is needed for the thumbnail")
    subprocess.run([ffmpeg, "-v", "error", "-f", "lavfi", "-i", "mandelbrot=size=640x360:rate=24",
                    "-frames:v", "2", "-pix_fmt", "yuv420p", str(folder / "media" / "sora2_beach.mp4")],
                   check=True)
    timeline = otio.adapters.read_from_file(str(ROOT / "sample_timelines" / "tool_names.otio"),
                                            hook_function_argument_map=NO_TAG)
    for clip in timeline.find_clips():
        if clip.name.startswith("SORA2"):
            clip.media_reference.target_url = "media/sora2_beach.mp4"
    cut = folder / "tool_names.otio"
    otio.adapters.write_to_file(timeline, str(cut), hook_function_argument_map=NLE_WRITE)
    return cut


def sign(folder: Path, cut: Path) -> None:
    admin, legal = folder / "admin.key", folder / "legal.key"
    write_key(new_key("Ada Admin", "admin"), admin)
    write_key(new_key("Lea Legal", "legal"), legal)
    ledger = str(folder / "aiclear-ledger.sqlite")
    main(["ledger", "init", "--ledger", ledger, "--admin-key", str(admin), "--production", "Demo"])
    main(["keys", "trust", str(legal), "--by", str(admin), "--ledger", ledger])
    session = Session(cut, SettingsSpec(profile="baseline"))
    session.load()
    by_name = {s.clip: s for s in session.segments}
    session.decide(by_name["Midjourney_matte_painting"].segment_id, "approve", legal,
                   note="licensed matte painting", conditions="background only")
    session.decide(by_name["veo3_city_flyover"].segment_id, "reject", legal,
                   note="recognisable buildings without a release")


def run(out: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cut = build(folder)
        sign(folder, cut)
        return main(["panel", str(cut), "--screenshot", str(out)])


if __name__ == "__main__":
    raise SystemExit(run(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "panel.png"))
