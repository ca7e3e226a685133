"""Fixtures for the panel tests: an offscreen main window owned by qtbot, sample copies."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiclear.scan.settings import MediaOptions, SettingsSpec
from tests.conftest import SAMPLES

# Qt is imported only inside the fixtures: without PySide6 the test modules skip
# themselves (pytest.importorskip) and this file must still import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REGISTER = str(SAMPLES / "register.yaml")
LOAD_MS = 30_000
#: a panel that reads media: only media aiclear hashed can be cleared (offline clips get
#: per-use reference ids, which clear nothing unless the production allows it)
READ_MEDIA = MediaOptions(enabled=True, progress=False, jobs=0)


@pytest.fixture
def sample(tmp_path: Path) -> object:
    """``sample(name)`` copies a sample timeline into a fresh folder and returns its path."""
    def copy(name: str) -> Path:
        out = tmp_path / name
        shutil.copy(SAMPLES / name, out)
        return out
    return copy


@pytest.fixture
def media_sample(tmp_path: Path) -> object:
    """``media_sample(name)``: a sample copy whose clips point at real ffmpeg-made media
    (same file names, in ``media/`` beside it), for tests that clear its clips."""
    from tests.plugin.helpers import copy_with_media

    def copy(name: str) -> Path:
        return Path(copy_with_media(SAMPLES / name, tmp_path / name))
    return copy


def reading_media(win: object) -> object:
    """``win`` with its spec set to read media (before a timeline is opened)."""
    import dataclasses

    win.spec = dataclasses.replace(win.spec, media=READ_MEDIA)  # type: ignore[attr-defined]
    return win


@pytest.fixture
def window(qtbot: object, qapp: object) -> Iterator[object]:
    from aiclear.gui.launch import application
    from aiclear.gui.window import MainWindow

    application()
    win = MainWindow(SettingsSpec(profile="baseline", registers=(REGISTER,)), remember=False)
    # closing must not wait on the unsigned-edits question (tests of it answer it themselves)
    win.ask_unsigned = lambda _count: "discard"  # type: ignore[method-assign]
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    win.resize(1200, 760)
    win.show()
    yield win
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(10_000)


def open_and_wait(qtbot: object, win: object, path: Path) -> None:
    with qtbot.waitSignal(win.loaded, timeout=LOAD_MS):  # type: ignore[attr-defined]
        win.open_path(path)  # type: ignore[attr-defined]
