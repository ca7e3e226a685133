"""The filter row above the segment table: status, track, blocking only, free text."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QWidget

from aiclear.gui.models import SegmentFilter

STATUSES = ("provisional", "cleared", "rejected")


class FilterBar(QWidget):
    def __init__(self, proxy: SegmentFilter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.proxy = proxy
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.status_boxes: dict[str, QCheckBox] = {}
        for status in STATUSES:
            box = QCheckBox(status.capitalize())
            box.setChecked(True)
            box.toggled.connect(self._statuses_changed)
            self.status_boxes[status] = box
            layout.addWidget(box)
        self.track = QComboBox()
        self.track.addItem("All tracks", "")
        self.track.currentIndexChanged.connect(
            lambda _i: self.proxy.set_track(str(self.track.currentData() or "")))
        layout.addWidget(self.track)
        self.blocking = QCheckBox("Blocking only")
        self.blocking.toggled.connect(self.proxy.set_blocking_only)
        layout.addWidget(self.blocking)
        self.text = QLineEdit()
        self.text.setPlaceholderText("Filter: clip, tool, evidence, rule…")
        self.text.setClearButtonEnabled(True)
        self.text.textChanged.connect(self.proxy.set_text)
        layout.addWidget(self.text, 1)

    def _statuses_changed(self) -> None:
        self.proxy.set_statuses({s for s, box in self.status_boxes.items() if box.isChecked()})

    def set_tracks(self, labels: list[str]) -> None:
        """Offer the tracks that hold AI segments, keeping the current choice when it remains."""
        current = str(self.track.currentData() or "")
        self.track.blockSignals(True)
        self.track.clear()
        self.track.addItem("All tracks", "")
        for label in labels:
            self.track.addItem(label, label)
        index = self.track.findData(current)
        self.track.setCurrentIndex(max(index, 0))
        self.track.blockSignals(False)
        self.proxy.set_track(str(self.track.currentData() or ""))

    def show_blocking(self) -> None:
        """Everything that blocks: every status, every track, no text, blocking only."""
        self.clear_all()
        self.blocking.setChecked(True)

    def clear_all(self) -> None:
        """Every status, every track, no text, not only blocking: the whole list again."""
        for box in self.status_boxes.values():
            box.setChecked(True)
        self.track.setCurrentIndex(0)
        self.text.clear()
        self.blocking.setChecked(False)
