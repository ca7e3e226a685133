"""Run slow core calls (read, scan, ledger, thumbnails) off the GUI thread.

``run_task(fn, done=..., failed=...)`` runs ``fn()`` on the global QThreadPool and calls
``done(result)`` or ``failed(one_line_message)`` back on the GUI thread. Errors are
reduced to one line here, so no traceback ever reaches a dialog.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from aiclear.errors import AiclearError

_LIVE: set[_Signals] = set()  # keep signal carriers alive until they have delivered


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as err:  # noqa: BLE001 - any failure becomes one line for the user
            self.signals.failed.emit(one_line(err))
        else:
            self.signals.done.emit(result)


def one_line(err: BaseException) -> str:
    if os.environ.get("AICLEAR_DEBUG"):
        traceback.print_exception(err)
    text = str(err) if isinstance(err, AiclearError) else f"internal error: {type(err).__name__}: {err}"
    return " ".join(text.split())


def run_task(fn: Callable[[], Any], done: Callable[[Any], None],
             failed: Callable[[str], None]) -> None:
    signals = _Signals()
    _LIVE.add(signals)

    def _finish() -> None:
        _LIVE.discard(signals)

    signals.done.connect(done)
    signals.failed.connect(failed)
    signals.done.connect(_finish)
    signals.failed.connect(_finish)
    QThreadPool.globalInstance().start(_Task(fn, signals))
