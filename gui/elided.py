"""A one-line label that elides long text (the full text in its tooltip and on click),
so a long message never widens the window or pushes the toolbar's buttons away."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    clicked = Signal()

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full = ""
        self.detail = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(120)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        self.full = " ".join(str(text).split())  # one line, whatever the message held
        self._elide()
        self.setToolTip(self.detail or self.full)

    def set_detail(self, detail: str) -> None:
        """Longer text for the tooltip (e.g. every blocking reason), the label stays short."""
        self.detail = detail
        self.setToolTip(detail or self.full)

    def text(self) -> str:
        return self.full

    def shown(self) -> str:
        """What is drawn now (elided)."""
        return super().text()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        return QSize(min(hint.width(), 520), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.minimumWidth(), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.clicked.emit()
        super().mousePressEvent(event)

    def _elide(self) -> None:
        margins = self.contentsMargins()
        room = max(self.width() - margins.left() - margins.right() - 24, 40)
        elided = self.fontMetrics().elidedText(self.full, Qt.TextElideMode.ElideRight, room)
        QLabel.setText(self, elided)
