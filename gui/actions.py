"""The panel's actions, menus and toolbars (keyboard shortcuts work anywhere in the window).

Top toolbar: open, the timeline choice (files with several timelines), sign-off and record
actions, disclosures. Second toolbar: the blocking banner and the exports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QToolBar

from aiclear.gui.exporting import ExportActions

if TYPE_CHECKING:
    from aiclear.gui.window import MainWindow


class PanelActions:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.exports = ExportActions(window)
        self.open = self._make("&Open…", window.choose_file, QKeySequence.StandardKey.Open)
        self.quit = self._make("&Quit", window.close, QKeySequence.StandardKey.Quit)
        self.next = self._make("&Next AI segment", lambda: window.step(1), "N")
        self.prev = self._make("&Previous AI segment", lambda: window.step(-1), "P")
        self.approve = self._make("&Approve…", lambda: window.sign("approve"), "A")
        self.reject = self._make("&Reject…", lambda: window.sign("reject"), "R")
        self.revoke = self._make("Re&voke…", lambda: window.sign("revoke"), "Shift+R")
        self.edit = self._make("&Edit record…", window.edit_record, "E")
        self.sign_edits = self._make("&Sign declarations…", window.choose_key_and_sign,
                                     QKeySequence.StandardKey.Save)
        self.sign_edits.setToolTip("Sign your unsigned record edits into the ledger")
        self.fit = self._make("&Fit timeline", window.strip.fit, "F")
        self.zoom_in = self._make("Zoom &in", lambda: window.strip.zoom_by(1.5), "=")
        self.zoom_out = self._make("Zoom &out", lambda: window.strip.zoom_by(1 / 1.5), "-")
        self.disclose = self._make("&Disclosures…", window.preview_disclosures, "D")
        self.blocks = self._make("What &blocks delivery", window.show_blocks, "Ctrl+B")
        self.goto = self._make("&Go to timecode…", window.ask_timecode, "Ctrl+J")
        self.find = self._make("&Find…", window.focus_filter, QKeySequence.StandardKey.Find)
        self.timeline_box = QComboBox()
        self.timeline_box.setToolTip("The file holds several timelines: choose one")
        self.timeline_box.currentIndexChanged.connect(window.choose_timeline)
        self._menus()
        self._toolbars()

    def _make(self, text: str, slot: Callable[[], Any], shortcut: Any) -> QAction:
        act = QAction(text, self.window)
        act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        self.window.addAction(act)  # the shortcut works wherever the focus is
        return act

    def _menus(self) -> None:
        menu = self.window.menuBar()
        files = menu.addMenu("&File")
        files.addAction(self.open)
        self.recent_menu = files.addMenu("Open &Recent")
        files.addSeparator()
        for act in self.exports.actions():
            files.addAction(act)
        files.addSeparator()
        files.addAction(self.quit)
        segment = menu.addMenu("&Segment")
        for act in (self.next, self.prev, self.approve, self.reject, self.revoke, self.edit,
                    self.sign_edits):
            segment.addAction(act)
        view = menu.addMenu("&View")
        for act in (self.blocks, self.goto, self.find, self.fit, self.zoom_in, self.zoom_out, self.disclose):
            view.addAction(act)

    def _toolbars(self) -> None:
        window = self.window
        main = QToolBar("Main")
        main.setObjectName("main_toolbar")
        window.addToolBar(main)
        main.addAction(self.open)
        self.timeline_action = main.addWidget(self.timeline_box)
        self.timeline_action.setVisible(False)
        main.addSeparator()
        for act in (self.approve, self.reject, self.revoke, self.edit, self.disclose):
            main.addAction(act)
        window.addToolBarBreak()
        status = QToolBar("Export")
        status.setObjectName("export_toolbar")
        self.export_toolbar = status
        window.addToolBar(status)
        status.addWidget(window.banner)
        status.addAction(self.exports.show_blocking)
        status.addSeparator()
        status.addAction(self.exports.review)
        status.addAction(self.exports.deliverable)
