"""Qt item models over the session's AI segments: a table model and its filter proxy.

The table model only presents ``aiclear.model.Segment`` fields; the filter proxy filters
by status, track, "blocking only" and free text. Sorting by time uses frame numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from aiclear.model import Segment
from aiclear.review.blocks import shown_status
from aiclear.scan import report

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Status", "TC in", "TC out", "Track", "Clip", "Tool", "Evidence", "Blocking")
STATUS_COLOURS = {"provisional": "#e0a030", "cleared": "#3fb950", "rejected": "#e5534b",
                  "cleared_blocking": "#b58cf0"}
STATUS_TEXT = {"provisional": "provisional", "cleared": "cleared", "rejected": "rejected",
               "cleared_blocking": "cleared · still blocks"}
#: every colour the panel uses, with what it means (the legend)
LEGEND = (("provisional", "provisional: AI without a valid approval"),
          ("cleared", "cleared: approved, nothing blocks"),
          ("cleared_blocking", "cleared but still blocking (consent, fact-check …)"),
          ("rejected", "rejected: replace or remove"),
          ("clip", "other clips (not AI); dimmed when disabled"))
LEGEND_COLOURS = {**STATUS_COLOURS, "clip": "#3a3f47"}
SEGMENT_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's index into the session's segments
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3


def evidence_kinds(seg: Segment) -> str:
    return ", ".join(report.evidence_kinds(seg))


def blocking_rules(seg: Segment) -> str:
    return ", ".join(f.rule for f in seg.findings if f.severity == "block")


class SegmentTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._segments: Sequence[Segment] = ()

    def set_segments(self, segments: Sequence[Segment]) -> None:
        self.beginResetModel()
        self._segments = list(segments)
        self.endResetModel()

    def refresh(self) -> None:
        """The segments changed in place (a decision or an edit): repaint every row."""
        if self._segments:
            last = self.index(len(self._segments) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def segment(self, row: int) -> Segment | None:
        return self._segments[row] if 0 <= row < len(self._segments) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._segments)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        seg = self.segment(index.row()) if index.isValid() else None
        if seg is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(seg, col)
        if role == SORT_ROLE:
            return _sort_key(seg, col)
        if role == SEGMENT_ROLE:
            return index.row()
        if role == SEARCH_ROLE:
            return " ".join([seg.clip, seg.tool_name or "", evidence_kinds(seg), blocking_rules(seg),
                             seg.media or "", seg.segment_id]).lower()
        if role == Qt.ItemDataRole.ForegroundRole and col == 0:
            return QColor(STATUS_COLOURS.get(shown_status(seg), "#d6d8dc"))
        if role == Qt.ItemDataRole.ToolTipRole and col == 7:
            return "\n".join(f"{f.rule}: {f.message}" for f in seg.findings if f.severity == "block")
        return None


def _display(seg: Segment, col: int) -> str:
    values = (
        STATUS_TEXT[shown_status(seg)] if seg.enabled else f"{seg.status} (disabled)",
        seg.start_tc, seg.end_tc, seg.track_label, seg.clip, seg.tool_name or "",
        evidence_kinds(seg), blocking_rules(seg),
    )
    return values[col]


def _sort_key(seg: Segment, col: int) -> Any:
    if col == 1:
        return seg.start_frame
    if col == 2:
        return seg.end_frame
    if col == 3:
        return (seg.track_kind != "Video", seg.track_index)
    return _display(seg, col).lower()


class SegmentFilter(QSortFilterProxyModel):
    """Filters: statuses shown, a track label (or all), blocking only, free text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.statuses: set[str] = {"provisional", "cleared", "rejected"}
        self.track = ""  # "" = every track
        self.blocking_only = False
        self.text = ""
        self.setSortRole(SORT_ROLE)

    def set_statuses(self, statuses: set[str]) -> None:
        self._change("statuses", set(statuses))

    def set_track(self, track: str) -> None:
        self._change("track", track)

    def set_blocking_only(self, on: bool) -> None:
        self._change("blocking_only", bool(on))

    def set_text(self, text: str) -> None:
        self._change("text", text.strip().lower())

    def _change(self, name: str, value: object) -> None:
        if not hasattr(self, "beginFilterChange"):  # Qt < 6.9
            setattr(self, name, value)
            self.invalidateFilter()
            return
        self.beginFilterChange()  # Qt >= 6.9 deprecates invalidateFilter()
        setattr(self, name, value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802 - Qt API
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802 - Qt API
        model = self.sourceModel()
        if not isinstance(model, SegmentTableModel):
            return True
        seg = model.segment(row)
        if seg is None or seg.status not in self.statuses:
            return False
        if self.track and seg.track_label != self.track:
            return False
        if self.blocking_only and not seg.blocking:
            return False
        if self.text:
            haystack = model.index(row, 0).data(SEARCH_ROLE)
            return all(word in haystack for word in self.text.split())
        return True
