"""The timeline strip: every track by time, AI segments coloured by clearance status.

Scene units are frames on x and pixels on y; zoom is an X-only view transform, so zooming
never walks the items. There is one ``LaneItem`` per track, not one item per clip: a lane
paints only the clips inside the exposed rectangle (binary search over its sorted start
and end frames), merges clips narrower than a pixel, and draws labels in device space only
where a clip is at least ``LABEL_MIN_PX`` wide (research/otio.md §6.3). The ruler and the
track names are painted in viewport coordinates so they stay put while scrolling.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen, QTransform, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from aiclear.timeline.lanes import Lane, ruler_timecode

ROW_H = 34.0
ROW_GAP = 4.0
RULER_H = 26.0
HEADER_W = 44.0
LABEL_MIN_PX = 40.0
AI_MIN_PX = 3.0  # an AI segment never vanishes when zoomed out
MAX_PX_PER_FRAME = 48.0

COLOURS = {
    "provisional": QColor("#e0a030"),
    "cleared": QColor("#3fb950"),
    "rejected": QColor("#e5534b"),
    "cleared_blocking": QColor("#b58cf0"),
    "clip": QColor("#3a3f47"),
    "clip_edge": QColor("#4b515b"),
    "disabled": QColor("#2a2d32"),
    "selected": QColor("#ffffff"),
    "text": QColor("#e6e8eb"),
    "text_dark": QColor("#1b1c1f"),
    "ruler": QColor("#25272b"),
    "tick": QColor("#7d828a"),
    "playhead": QColor("#ff5f5f"),
}
#: ticks on the ruler, in seconds, smallest first (frames are added below one second)
TICK_SECONDS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)


class LaneItem(QGraphicsItem):
    """All clips of one track, painted on demand (no child items)."""

    def __init__(self, lane: Lane, row: int, strip: TimelineStrip) -> None:
        super().__init__()
        self.lane = lane
        self.row = row
        self.strip = strip
        self.top = row * (ROW_H + ROW_GAP)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.ai_index: list[int] = []
        self.ai_starts: list[int] = []
        self.link()

    def link(self) -> None:
        """Re-read which clips are AI (after the scan linked the lane to its segments)."""
        self.ai_index = [i for i, s in enumerate(self.lane.segments) if s >= 0]
        self.ai_starts = [self.lane.starts[i] for i in self.ai_index]

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return QRectF(0.0, self.top, max(float(self.lane.end), 1.0), ROW_H)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        exposed = option.exposedRect  # filled in because of ItemUsesExtendedStyleOption
        world = painter.worldTransform()
        lo, hi = exposed.left(), exposed.right()
        first = bisect_right(self.lane.ends, lo)
        last = bisect_left(self.lane.starts, hi)
        painter.save()
        painter.resetTransform()  # draw in device pixels: crisp edges, unscaled text
        y0 = world.map(QPointF(0.0, self.top)).y()
        self._paint_clips(painter, world, first, last, y0)
        self._paint_ai(painter, world, lo, hi, y0)
        painter.restore()

    def _paint_clips(self, painter: QPainter, world: QTransform, first: int, last: int,
                     y0: float) -> None:
        sx, dx = world.m11(), world.dx()
        lane = self.lane
        rects: list[QRectF] = []
        dim: list[QRectF] = []
        labels: list[tuple[QRectF, str]] = []
        run_x0 = run_x1 = -1.0e9
        for i in range(first, min(last, len(lane.starts))):
            if lane.segments[i] >= 0:
                continue
            x0, x1 = lane.starts[i] * sx + dx, lane.ends[i] * sx + dx
            if x1 - x0 < 3.0 and x0 <= run_x1 + 1.0:  # merge sliver clips into one run
                run_x1 = max(run_x1, x1)
                continue
            if run_x1 > run_x0:
                rects.append(QRectF(run_x0, y0, run_x1 - run_x0, ROW_H))
            run_x0, run_x1 = x0, x1
            if x1 - x0 >= 3.0:
                rect = QRectF(x0, y0, x1 - x0 - 1.0, ROW_H)
                (rects if lane.clip_enabled[i] else dim).append(rect)
                run_x0 = run_x1 = -1.0e9
                if x1 - x0 >= LABEL_MIN_PX:
                    labels.append((rect, lane.names[i]))
        if run_x1 > run_x0:
            rects.append(QRectF(run_x0, y0, run_x1 - run_x0, ROW_H))
        painter.setPen(QPen(COLOURS["clip_edge"], 1.0))
        painter.setBrush(QBrush(COLOURS["clip"] if self.lane.enabled else COLOURS["disabled"]))
        painter.drawRects(rects)
        painter.setBrush(QBrush(COLOURS["disabled"]))
        painter.drawRects(dim)
        self._labels(painter, labels, COLOURS["text"])

    def _paint_ai(self, painter: QPainter, world: QTransform, lo: float, hi: float,
                  y0: float) -> None:
        sx, dx = world.m11(), world.dx()
        lane = self.lane
        start = max(0, bisect_left(self.ai_starts, lo) - 1)
        stop = bisect_right(self.ai_starts, hi)
        labels: list[tuple[QRectF, str]] = []
        selected: QRectF | None = None
        for k in range(start, stop):
            i = self.ai_index[k]
            seg = lane.segments[i]
            x0, x1 = lane.starts[i] * sx + dx, lane.ends[i] * sx + dx
            width = max(x1 - x0 - 1.0, AI_MIN_PX)
            rect = QRectF(x0, y0, width, ROW_H)
            colour = QColor(COLOURS.get(self.strip.status_of(seg), COLOURS["provisional"]))
            if not lane.clip_enabled[i] or not lane.enabled:
                colour.setAlpha(110)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(colour))
            painter.drawRect(rect)
            if seg == self.strip.selected:
                selected = rect
            if width >= LABEL_MIN_PX:
                labels.append((rect, lane.names[i]))
        self._labels(painter, labels, COLOURS["text_dark"])
        if selected is not None:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(COLOURS["selected"], 2.0))
            painter.drawRect(selected.adjusted(1, 1, -1, -1))

    def _labels(self, painter: QPainter, labels: Sequence[tuple[QRectF, str]],
                colour: QColor) -> None:
        if not labels:
            return
        painter.setPen(colour)
        painter.setFont(self.strip.label_font)
        flags = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
                    | Qt.TextFlag.TextSingleLine)
        for rect, text in labels:
            painter.drawText(rect.adjusted(5, 0, -4, 0), flags, text)


class TimelineStrip(QGraphicsView):
    """The strip view. ``segmentClicked(index)`` gives an index into the session's segments."""

    segmentClicked = Signal(int)  # noqa: N815 - Qt signal naming
    clipClicked = Signal(str)  # noqa: N815 - a non-AI clip's name
    playheadMoved = Signal(int)  # noqa: N815 - frames from the timeline start

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setViewportMargins(int(HEADER_W), int(RULER_H), 0, 0)
        self.setMinimumHeight(int(RULER_H + 2 * ROW_H + 30))
        self.setBackgroundBrush(QBrush(QColor("#1b1c1f")))
        self.label_font = QFont(self.font())
        self.label_font.setPointSizeF(8.5)
        self.selected = -1
        self.lanes: list[LaneItem] = []
        self.rate = 24.0
        self.offset = 0
        self.length = 1
        self._statuses: Sequence[str] = ()
        self._fitted = True
        self.playhead = 0
        self.ruler = _Margin(self, self.paint_ruler)
        self.headers = _Margin(self, self.paint_headers, vertical=True)

    # -- content --------------------------------------------------------------------------
    def set_lanes(self, lanes: Sequence[Lane], rate: float, offset: int) -> None:
        """Show a timeline: lanes in display order (video top-down V_n..V1, then audio)."""
        scene = self.scene()
        scene.clear()
        self.lanes = []
        self.rate, self.offset = rate, offset
        ordered = _display_order(lanes)
        for row, lane in enumerate(ordered):
            item = LaneItem(lane, row, self)
            scene.addItem(item)
            self.lanes.append(item)
        self.length = max([lane.end for lane in lanes] + [1])
        height = max(len(ordered), 1) * (ROW_H + ROW_GAP)
        scene.setSceneRect(QRectF(0.0, 0.0, float(self.length), height))
        self.fit()
        self.headers.update()  # the track names of the new file, not the last one's
        self.ruler.update()

    def content_height(self) -> int:
        """Pixels the strip needs to show every track without scrolling."""
        rows = max(len(self.lanes), 1)
        bar = self.horizontalScrollBar().sizeHint().height()
        return int(RULER_H + rows * (ROW_H + ROW_GAP) + bar + 2 * self.frameWidth() + 6)

    def set_statuses(self, statuses: Sequence[str]) -> None:
        """Status per segment index (provisional / cleared / rejected)."""
        self._statuses = statuses
        for item in self.lanes:
            item.link()
        self.viewport().update()

    def status_of(self, index: int) -> str:
        return self._statuses[index] if 0 <= index < len(self._statuses) else "provisional"

    def select(self, index: int, reveal: bool = True) -> None:
        self.selected = index
        if reveal:
            self._reveal(index)
        self.viewport().update()

    # -- the playhead ---------------------------------------------------------------------
    def set_playhead(self, frame: int, reveal: bool = True) -> None:
        """Put the playhead on a frame (from the timeline start), clamped to the cut."""
        frame = int(min(max(frame, 0), max(self.length - 1, 0)))
        self.playhead = frame
        if reveal:
            visible = self.mapToScene(self.viewport().rect()).boundingRect()
            if not visible.left() <= frame <= visible.right():
                self.centerOn(QPointF(frame, visible.center().y()))
        self.viewport().update()
        self.ruler.update()
        self.playheadMoved.emit(frame)

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        x = self.mapFromScene(QPointF(self.playhead, 0)).x()
        painter.save()
        painter.resetTransform()
        painter.setPen(QPen(COLOURS["playhead"], 1.0))
        painter.drawLine(QPointF(x + 0.5, 0), QPointF(x + 0.5, self.viewport().height()))
        painter.restore()

    def ruler_click(self, x: float) -> None:
        """A click or drag on the ruler moves the playhead there."""
        self.set_playhead(round(self.mapToScene(int(x), 0).x()), reveal=False)

    # -- zoom and pan ---------------------------------------------------------------------
    def px_per_frame(self) -> float:
        return self.transform().m11()

    def set_zoom(self, px_per_frame: float) -> None:
        lowest = self._fit_scale()
        scale = min(max(px_per_frame, lowest), MAX_PX_PER_FRAME)
        self.setTransform(QTransform.fromScale(scale, 1.0))
        self._fitted = False

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self.px_per_frame() * factor)

    def fit(self) -> None:
        self.setTransform(QTransform.fromScale(self._fit_scale(), 1.0))
        self._fitted = True
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())

    def _fit_scale(self) -> float:
        width = max(self.viewport().width() - 8, 100)
        return width / max(self.length, 1)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        delta = event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier or delta.x():
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - (delta.x() or delta.y()))
        else:
            self.zoom_by(1.0015 ** delta.y())
        event.accept()

    # -- clicks ---------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        pos = self.mapToScene(event.position().toPoint())
        self.set_playhead(round(pos.x()), reveal=False)
        hit = self.hit(pos.x(), pos.y())
        if hit is not None:
            lane, i = hit
            seg = lane.segments[i]
            if seg >= 0:
                self.segmentClicked.emit(seg)
            else:
                self.clipClicked.emit(lane.names[i])
        super().mousePressEvent(event)

    def hit(self, frame: float, y: float) -> tuple[Lane, int] | None:
        """The clip under a scene point, as (lane, index in lane)."""
        row = int(y // (ROW_H + ROW_GAP))
        if not 0 <= row < len(self.lanes) or y - row * (ROW_H + ROW_GAP) > ROW_H:
            return None
        lane = self.lanes[row].lane
        i = bisect_right(lane.starts, frame) - 1
        slack = AI_MIN_PX / max(self.px_per_frame(), 1e-9)  # thin AI slivers stay clickable
        for j in (i, i - 1, i + 1):
            if 0 <= j < len(lane) and lane.starts[j] - slack <= frame < max(
                    lane.ends[j], lane.starts[j] + (slack if lane.segments[j] >= 0 else 0)):
                return lane, j
        return None

    def scene_point_of(self, index: int) -> QPointF | None:
        """The centre of a segment in scene coordinates (tests click there)."""
        for item in self.lanes:
            for i, seg in enumerate(item.lane.segments):
                if seg == index:
                    mid = (item.lane.starts[i] + item.lane.ends[i]) / 2.0
                    return QPointF(mid, item.top + ROW_H / 2.0)
        return None

    def _reveal(self, index: int) -> None:
        point = self.scene_point_of(index)
        if point is None:
            return
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        if not visible.contains(point):
            self.centerOn(point)

    # -- ruler and track names ------------------------------------------------------------
    def paint_headers(self, painter: QPainter, height: float) -> None:
        painter.setFont(self.label_font)
        painter.fillRect(QRectF(0, 0, HEADER_W, height), COLOURS["ruler"])
        painter.setPen(COLOURS["text"])
        for item in self.lanes:
            y = self.mapFromScene(QPointF(0, item.top)).y() + RULER_H
            painter.drawText(QRectF(8, y, HEADER_W - 10, ROW_H),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                             item.lane.label)

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 - Qt override
        super().scrollContentsBy(dx, dy)
        self.ruler.update()
        self.headers.update()

    def setTransform(self, matrix: QTransform, combine: bool = False) -> None:  # noqa: N802
        super().setTransform(matrix, combine)
        self.ruler.update()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().resizeEvent(event)
        rect = self.viewport().geometry()
        self.ruler.setGeometry(rect.x(), rect.y() - int(RULER_H), rect.width(), int(RULER_H))
        self.headers.setGeometry(rect.x() - int(HEADER_W), rect.y() - int(RULER_H), int(HEADER_W),
                                 rect.height() + int(RULER_H))
        if self._fitted:  # keep showing the whole timeline until the user zooms
            self.fit()

    def paint_ruler(self, painter: QPainter, width: float) -> None:
        painter.setFont(self.label_font)
        painter.fillRect(QRectF(0, 0, width, RULER_H), COLOURS["ruler"])
        ascent = QFontMetrics(self.label_font).ascent()
        for frame in self.tick_frames():
            x = self.mapFromScene(QPointF(frame, 0)).x()
            painter.setPen(COLOURS["tick"])
            painter.drawLine(QPointF(x, RULER_H - 8), QPointF(x, RULER_H))
            painter.setPen(COLOURS["text"])
            painter.drawText(QPointF(x + 3, ascent + 3), self.ruler_label(frame))
        head = self.mapFromScene(QPointF(self.playhead, 0)).x()
        painter.setPen(QPen(COLOURS["playhead"], 2.0))
        painter.drawLine(QPointF(head, RULER_H - 10), QPointF(head, RULER_H))

    def tick_frames(self) -> list[int]:
        """Frames (from the timeline start) of the labelled ticks on screen: multiples of
        the step in *timecode* (so they fall on whole seconds of the start timecode), and
        only where the label starts inside the ruler (never clipped at the left edge)."""
        step = self._tick_step()
        left = max(self.mapToScene(0, 0).x(), 0.0)
        right = self.mapToScene(self.viewport().width(), 0).x()
        absolute = -(-int(left + self.offset) // step) * step  # first multiple at or after left
        return list(range(absolute - self.offset, int(right) + 1, step))

    def ruler_label(self, frame: int) -> str:
        return ruler_timecode(frame + self.offset, self.rate)

    def _tick_step(self) -> int:
        """Frames between labelled ticks: at least ~100 px apart on screen."""
        px = max(self.px_per_frame(), 1e-9)
        for frames in (1, 2, 5, 10):
            if frames * px >= 100:
                return frames
        for seconds in TICK_SECONDS:
            frames = max(1, round(seconds * self.rate))
            if frames * px >= 100:
                return frames
        return max(1, round(TICK_SECONDS[-1] * self.rate * 4))


class _Margin(QWidget):
    """The ruler (top) or the track names (left), in the view's margins: they stay put."""

    def __init__(self, strip: TimelineStrip, paint: Callable[[QPainter, float], None],
                 vertical: bool = False) -> None:
        super().__init__(strip)
        self.strip = strip
        self.paint = paint
        self.vertical = vertical

    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if not self.vertical:
            self.strip.ruler_click(event.position().x())

    def mouseMoveEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if not self.vertical and event.buttons():
            self.strip.ruler_click(event.position().x())

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        painter = QPainter(self)
        self.paint(painter, float(self.height() if self.vertical else self.width()))
        painter.end()


def _display_order(lanes: Sequence[Lane]) -> list[Lane]:
    video = [lane for lane in lanes if lane.kind == "Video"]
    audio = [lane for lane in lanes if lane.kind != "Video"]
    return list(reversed(video)) + audio
