"""Create the QApplication (dark theme, high-DPI), the window, and run or screenshot it."""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QThreadPool, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from aiclear.cli.common import spec_from_args
from aiclear.errors import UsageError
from aiclear.gui.window import MainWindow

SCREENSHOT_SIZE = (1440, 860)
LOAD_TIMEOUT_MS = 120_000


def style_sheet(name: str = "dark") -> str:
    return (resources.files("aiclear.resources") / "qss" / f"{name}.qss").read_text("utf-8")


def application() -> QApplication:
    """The one QApplication, configured for the panel (reused when one exists, e.g. tests)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("aiclear")
    QCoreApplication.setApplicationName("panel")
    app.setStyle("Fusion")
    app.setStyleSheet(style_sheet())
    return app


def run_panel(args: argparse.Namespace) -> int:
    app = application()
    window = MainWindow(spec_from_args(args), getattr(args, "ledger", None),
                        remember=not args.screenshot)  # a screenshot is the same every time
    if args.screenshot:
        return screenshot(window, args.timeline, Path(args.screenshot))
    window.show()
    if args.timeline:
        window.open_path(Path(args.timeline))
    return int(app.exec())


def wait_loaded(window: MainWindow, timeout_ms: int = LOAD_TIMEOUT_MS) -> None:
    loop = QEventLoop()
    window.loaded.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def screenshot(window: MainWindow, timeline: str | None, out: Path) -> int:
    """Load ``timeline``, select its first blocking segment, and save the window as PNG."""
    if not timeline:
        raise UsageError("--screenshot needs a TIMELINE to show")
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    window.open_path(Path(timeline))
    wait_loaded(window)
    if window.session is None or window.session.result is None:
        raise UsageError(f"{timeline}: could not be loaded for the screenshot")
    blocking = [i for i, s in enumerate(window.session.segments) if s.blocking]
    if blocking:
        window.select(blocking[0])
    QThreadPool.globalInstance().waitForDone(10_000)  # the thumbnail and the ledger history
    for _ in range(10):  # deliver their results, then lay the window out again
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    if not window.grab().save(str(out), "PNG"):
        raise UsageError(f"{out}: cannot write the PNG")
    print(f"screenshot written: {out}", file=sys.stderr)  # noqa: T201
    window.close()
    return 0
