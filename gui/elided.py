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
        self.spare = 520  # what the toolbar's buttons beside the banner need
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(120)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        self.full = " ".join(str(text).split())  # one line, whatever the message held
        self.updateGeometry()
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
        """The whole text up to 520 px, and never more than the window can spare beside
        the toolbar's buttons (``spare``), so they stay on screen at any window size."""
        full = self.fontMetrics().horizontalAdvance(self.full) + 40
        room = self.window().width() - self.spare if self.window() is not self else 520
        return QSize(max(self.minimumWidth(), min(full, 520, room)), super().sizeHint().height())

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
