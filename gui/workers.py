"""Run slow core calls (read, scan, ledger, thumbnails) off the GUI thread.

``run_task(fn, done, failed, owner)`` runs ``fn()`` on the global QThreadPool and calls
``done(result)`` or ``failed(one_line_message)`` back on the GUI thread. Errors are
reduced to one line here, so no traceback ever reaches a dialog. The callbacks belong to
``owner``: once it is destroyed (a closed window, a replaced inspector), nothing is called.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from aiclear.errors import AiclearError


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
            self._emit(self.signals.failed, one_line(err))
        else:
            self._emit(self.signals.done, result)

    @staticmethod
    def _emit(signal: Any, value: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the owner is gone: nobody to tell
            signal.emit(value)


def one_line(err: BaseException) -> str:
    if os.environ.get("AICLEAR_DEBUG"):
        traceback.print_exception(err)
    text = str(err) if isinstance(err, AiclearError) else f"internal error: {type(err).__name__}: {err}"
    return " ".join(text.split())


def run_task(fn: Callable[[], Any], done: Callable[[Any], None],
             failed: Callable[[str], None], owner: QObject) -> None:
    signals = _Signals(owner)  # a child of owner: it dies with it, and so do the callbacks
    signals.done.connect(done)
    signals.failed.connect(failed)
    signals.done.connect(signals.deleteLater)  # delivered: drop the callbacks and what they hold
    signals.failed.connect(signals.deleteLater)
    QThreadPool.globalInstance().start(_Task(fn, signals))
