"""Play the shot: the inspector decodes the segment's range of its media (PyAV), plays,
scrubs and loops within it, with the on-screen label drawn over the picture."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import opentimelineio as otio
import pytest

pytest.importorskip("PySide6")

from aiclear.media.shot import decode_shot, used_range  # noqa: E402
from aiclear.session.core import available  # noqa: E402
from tests.gui.conftest import open_and_wait  # noqa: E402

pytestmark = pytest.mark.gui
LOAD_MS = 30_000


@pytest.fixture
def cut(tmp_path: Path) -> Path:
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    movie = tmp_path / "MIDJOURNEY_plate.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                    "testsrc=size=160x90:rate=24:duration=3", "-pix_fmt", "yuv420p", str(movie)],
                   check=True)
    tl = otio.schema.Timeline("t")
    track = otio.schema.Track("V1")
    tl.tracks.append(track)
    track.append(otio.schema.Clip(
        "MIDJOURNEY_plate", media_reference=otio.schema.ExternalReference(movie.name),
        source_range=otio.opentime.TimeRange(otio.opentime.RationalTime(12, 24),
                                             otio.opentime.RationalTime(24, 24))))
    path = tmp_path / "cut.otio"
    otio.adapters.write_to_file(tl, str(path), hook_function_argument_map={
        "aiclear": {"intent": "off"}})
    return path


def test_decode_only_the_used_range(cut: Path) -> None:
    clip = otio.adapters.read_from_file(str(cut), hook_function_argument_map={
        "aiclear": {"intent": "off"}}).find_clips()[0]
    start, duration = used_range(clip)
    assert (start, duration) == (0.5, 1.0)
    shot = decode_shot(cut.parent / "MIDJOURNEY_plate.mp4", start, duration)
    assert shot is not None
    assert len(shot.frames) == 24
    assert shot.times[0] == pytest.approx(0.5, abs=0.02)
    assert shot.times[-1] < 1.5
    capped = decode_shot(cut.parent / "MIDJOURNEY_plate.mp4", 0.0, 3.0, max_frames=10)
    assert capped is not None and 9 <= len(capped.frames) <= 10 and capped.fps < 24


def test_play_scrub_and_loop_with_the_label(qtbot: Any, window: Any, cut: Path) -> None:
    open_and_wait(qtbot, window, cut)
    player = window.inspector.player
    assert player.play_button.isEnabled()
    player.play_button.click()
    qtbot.waitUntil(lambda: player.shot is not None, timeout=LOAD_MS)
    assert player.slider.maximum() == 23
    assert player.timer.isActive()
    qtbot.waitUntil(lambda: player.slider.value() >= 3, timeout=5_000)
    player.toggle()  # pause
    assert not player.timer.isActive()
    player.slider.setValue(23)
    player._tick()  # the last frame loops to the segment's first
    assert player.slider.value() == 0
    if available("aiclear.disclose"):
        assert player.label_text  # the deliverable's label, e.g. AI GENERATED
        from PySide6.QtGui import QImage

        thumb = player.shot.frames[player.slider.value()]
        raw = QImage(thumb.rgb, thumb.width, thumb.height, thumb.stride,
                     QImage.Format.Format_RGB888)
        x, y = thumb.width - 8, 9
        drawn, plain = player.frame_image.pixelColor(x, y), raw.pixelColor(x, y)
        assert drawn != plain  # the label box is drawn over the picture
        assert drawn.lightness() < plain.lightness() or drawn.lightness() > 200
