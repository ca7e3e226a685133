"""The "What blocks delivery" view: every blocking finding in plain language, grouped by
what fixes it, each with the button that does it.

Grouping and wording come from the session (``Session.block_groups``, aiclear.review);
this widget only lays them out and routes the buttons to the window's actions.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from aiclear.gui.models import LEGEND, LEGEND_COLOURS
from aiclear.review.blocks import Block
from aiclear.session.core import Session

MAX_ROWS = 60  # per group: a cut with thousands of blockers stays quick to show

#: fix key -> what the button does: ``(block) -> None``
Fixer = Callable[[Block], None]


class BlocksView(QWidget):
    def __init__(self, fixers: dict[str, Fixer], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fixers = fixers
        self.summary = QLabel("Open a timeline to see what blocks its delivery")
        self.summary.setWordWrap(True)
        self.summary.setObjectName("blocks_summary")
        legend = QLabel("<br>".join(
            f"<span style='color:{LEGEND_COLOURS[key]}'>■</span> {escape(text)}"
            for key, text in LEGEND))
        legend.setObjectName("blocks_legend")
        legend.setTextFormat(Qt.TextFormat.RichText)
        self.body = QWidget()
        self.rows = QVBoxLayout(self.body)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(4)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        layout.addWidget(legend)
        self.buttons: list[tuple[QPushButton, Block]] = []
        self.groups: list[tuple[str, str, int]] = []  # (fix, title, count) as shown

    def show_session(self, session: Session | None) -> None:
        self._clear()
        if session is None or session.result is None:
            self.summary.setText("Open a timeline to see what blocks its delivery")
            return
        groups = session.block_groups()
        total = sum(len(found) for *_, found in groups)
        self.summary.setText(f"<b>{total} finding(s) block delivery</b>" if total else
                             "<b>Nothing blocks delivery.</b> Export deliverable… is enabled.")
        for fix, title, button, found in groups:
            self.groups.append((fix, title, len(found)))
            self._group(fix, title, button, found)
        self.rows.addStretch(1)

    def _group(self, fix: str, title: str, button: str, found: list[Block]) -> None:
        head = QLabel(f"<b>{escape(title)}</b> ({len(found)})")
        head.setObjectName("blocks_group")
        self.rows.addWidget(head)
        for block in found[:MAX_ROWS]:
            self.rows.addWidget(self._row(fix, button, block))
        if len(found) > MAX_ROWS:
            self.rows.addWidget(QLabel(f"… and {len(found) - MAX_ROWS} more (Show blocking "
                                       "filters the table to all of them)"))

    def _row(self, fix: str, button: str, block: Block) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(8, 0, 0, 0)
        text = QLabel(escape(block.text))
        text.setWordWrap(True)
        text.setToolTip(block.rule)
        line.addWidget(text, 1)
        fixer = self.fixers.get(fix)
        if button and fixer is not None:
            act = QPushButton(button)
            act.clicked.connect(lambda _=False, b=block: fixer(b))
            line.addWidget(act, 0, Qt.AlignmentFlag.AlignTop)
            self.buttons.append((act, block))
        return row

    def _clear(self) -> None:
        self.buttons = []
        self.groups = []
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
