"""What the panel keeps between runs in QSettings: window layout and recent files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

MAX_RECENT = 8
STATE_VERSION = 2  # bump when the toolbars or docks change: older saved layouts are ignored


def restore_layout(window: QMainWindow, splitter: QSplitter) -> None:
    settings = QSettings()
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    state = settings.value("window/state")
    if isinstance(state, QByteArray):
        window.restoreState(state, STATE_VERSION)
    split = settings.value("window/splitter")
    if isinstance(split, QByteArray):
        splitter.restoreState(split)


def save_layout(window: QMainWindow, splitter: QSplitter) -> None:
    settings = QSettings()
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState(STATE_VERSION))
    settings.setValue("window/splitter", splitter.saveState())


def recent_files() -> list[str]:
    value = QSettings().value("files/recent", [])
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def remember_file(path: Path) -> None:
    """Put ``path`` first in the recent files and remember its folder for the file dialog."""
    full = str(path.resolve())
    settings = QSettings()
    settings.setValue("files/recent", [full, *[p for p in recent_files() if p != full]][:MAX_RECENT])
    settings.setValue("files/last_dir", str(path.resolve().parent))


def last_folder() -> str:
    return str(QSettings().value("files/last_dir", "") or "")
