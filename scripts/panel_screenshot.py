"""Render docs/panel.png (the panel on a sample cut with one clip cleared, one rejected)
and docs/panel-blocks.png (the "What blocks delivery" view with the sign-off dialog over
the window, its shot playing with the on-screen label).

    python scripts/panel_screenshot.py [OUT.png [BLOCKS.png]]

Run it under a real X server for the docs: ``xvfb-run -s "-screen 0 1600x1000x24"
env QT_QPA_PLATFORM=xcb python scripts/panel_screenshot.py`` (offscreen otherwise).

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
import sample_media  # scripts/: stand-in media for the sample

from aiclear.cli import main
from aiclear.ledger.keys import new_key, write_key
from aiclear.scan.settings import MediaOptions, SettingsSpec
from aiclear.session.core import Session
from aiclear.timeline.read import NO_TAG

ROOT = Path(__file__).resolve().parent.parent
NLE_WRITE = {"aiclear": {"intent": "off"}}


def build(folder: Path) -> Path:
    (folder / "media").mkdir()
    sample = ROOT / "sample_timelines" / "tool_names.otio"
    for target in sample_media.targets(sample):  # aiclear clears only media it reads
        sample_media.make(target, folder / "media")
    ffmpeg = shutil.which("ffmpeg") or sys.exit("ffmpeg is needed for the thumbnail")
    subprocess.run([ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "mandelbrot=size=640x360:rate=24",
                    "-frames:v", "72", "-pix_fmt", "yuv420p", str(folder / "media" / "sora2_beach.mp4")],
                   check=True)
    timeline = otio.adapters.read_from_file(str(sample), hook_function_argument_map=NO_TAG)
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
    session = Session(cut, _spec(folder))
    session.load()
    by_name = {s.clip: s for s in session.segments}
    session.decide(by_name["Midjourney_matte_painting"].segment_id, "approve", legal,
                   note="licensed matte painting", conditions="background only")
    session.decide(by_name["veo3_city_flyover"].segment_id, "reject", legal,
                   note="recognisable buildings without a release")


def run(out: Path, blocks: Path | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cut = build(folder)
        sign(folder, cut)
        code = main(["panel", str(cut), "--media-root", str(folder / "media"),
                     "--screenshot", str(out)])
        if code == 0 and blocks is not None:
            code = blocks_shot(cut, folder / "legal.key", blocks)
        return code


def _spec(folder: Path) -> SettingsSpec:
    """Baseline, reading the stand-in media (found under ``folder/media``)."""
    return SettingsSpec(profile="baseline", media=MediaOptions(
        enabled=True, media_root=(str(folder / "media"),), progress=False))


def blocks_shot(cut: Path, key: Path, out: Path) -> int:
    """The window with "What blocks delivery" open and the sign-off dialog over it."""
    from PySide6.QtCore import QEventLoop, QPoint, QSettings, QThreadPool
    from PySide6.QtGui import QPainter, QPixmap
    from PySide6.QtWidgets import QApplication

    from aiclear.gui.launch import SCREENSHOT_SIZE, application, wait_loaded
    from aiclear.gui.window import MainWindow

    application()
    QSettings().setValue("signoff/key_file", str(key))
    window = MainWindow(_spec(cut.parent), remember=False)
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    window.open_path(cut)
    wait_loaded(window)
    window.show_blocks()
    session = window.session
    assert session is not None
    sora = next(i for i, s in enumerate(session.segments) if s.clip.startswith("SORA2"))
    window.select(sora)
    dialog = window.signoff_dialog(session.segments[sora], "approve")
    dialog.note.setPlainText("licence and model release checked")
    dialog.show()
    assert dialog.player is not None
    dialog.player.load()

    def settle() -> None:
        QThreadPool.globalInstance().waitForDone(10_000)
        for _ in range(10):
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    settle()
    dialog.player.slider.setValue(min(30, dialog.player.slider.maximum()))
    settle()
    dialog.adjustSize()  # the picture grew once decoded
    settle()
    canvas = QPixmap(window.grab())
    painter = QPainter(canvas)
    inner = dialog.grab()
    at = QPoint((canvas.width() - inner.width()) // 2 - 180, 90)
    painter.fillRect(at.x() - 1, at.y() - 1, inner.width() + 2, inner.height() + 2, "#5a5f68")
    painter.drawPixmap(at, inner)
    painter.end()
    if not canvas.save(str(out), "PNG"):
        return 2
    print(f"screenshot written: {out}", file=sys.stderr)  # noqa: T201
    dialog.close()
    window.close()
    return 0


if __name__ == "__main__":
    first = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "panel.png"
    second = Path(sys.argv[2]) if len(sys.argv) > 2 else first.with_name("panel-blocks.png")
    raise SystemExit(run(first, second))
