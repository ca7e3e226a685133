"""Live reload: notice when the NLE writes the opened timeline again.

Editors re-export over the same file, often by writing a temporary file and renaming it
over the old one, or by deleting and re-creating it. A watch on the file alone is lost
on such a replace, so the folder is watched too; changes arriving in a burst are merged
into one ``changed`` signal after a short quiet period.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

QUIET_MS = 400


class LiveFile(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self._stamp: tuple[int, int] | None = None
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._poke)
        self._watcher.directoryChanged.connect(self._poke)
        self._timer = QTimer(self, singleShot=True, interval=QUIET_MS)
        self._timer.timeout.connect(self._settled)

    def watch(self, path: Path) -> None:
        """Follow ``path`` (and its folder) from now on; forget any earlier file."""
        self.stop()
        self.path = Path(path).resolve()
        self._stamp = _stamp(self.path)
        self._watcher.addPath(str(self.path.parent))
        self._rewatch()

    def stop(self) -> None:
        paths = self._watcher.files() + self._watcher.directories()
        if paths:
            self._watcher.removePaths(paths)
        self.path = None

    def _poke(self, _path: str) -> None:
        self._rewatch()
        self._timer.start()

    def _rewatch(self) -> None:
        if self.path is not None and self.path.exists() and str(self.path) not in self._watcher.files():
            self._watcher.addPath(str(self.path))

    def _settled(self) -> None:
        if self.path is None or not self.path.exists():
            return  # deleted, not yet written again: wait for the next change
        stamp = _stamp(self.path)
        if stamp != self._stamp:  # other files in the folder changing are not our business
            self._stamp = stamp
            self.changed.emit()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size
