"""The inspector's player: the segment's frames (decoded by the session in a worker),
played, scrubbed and looped within the segment's range, with the on-screen label drawn
over them as the deliverable will show it."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from aiclear.gui.workers import run_task
from aiclear.media.shot import Shot
from aiclear.model import Segment
from aiclear.session.core import Session

MAX_H = 150


class Player(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.play_button = QPushButton("▶ Play shot")
        self.play_button.clicked.connect(self.toggle)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.valueChanged.connect(self._show)
        self.loop = QCheckBox("Loop")
        self.loop.setChecked(True)
        self.status = QLabel("")
        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.play_button)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.loop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.picture)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.shot: Shot | None = None
        self.label_text = ""
        self.segment: Segment | None = None
        self.session: Session | None = None
        self._loading = False
        self.set_segment(None, None)

    def set_segment(self, segment: Segment | None, session: Session | None) -> None:
        self.timer.stop()
        self.segment, self.session = segment, session
        self.shot = None
        self._loading = False
        self.label_text = ""
        self.slider.setRange(0, 0)
        self.picture.clear()
        self.picture.setMinimumHeight(0)
        self.play_button.setText("▶ Play shot")
        self.play_button.setEnabled(segment is not None)
        self.status.setText("")

    def toggle(self) -> None:
        if self.timer.isActive():
            self.timer.stop()
            self.play_button.setText("▶ Play shot")
            return
        if self.shot is None:
            self.load(then_play=True)
            return
        self._start()

    def load(self, then_play: bool = False) -> None:
        """Decode the segment's frames in a worker (the first Play does it)."""
        segment, session = self.segment, self.session
        if segment is None or session is None or self._loading:
            return
        self._loading = True
        self.status.setText("decoding the shot…")
        wanted = segment.segment_id

        def done(found: tuple[Shot | None, str]) -> None:
            if self.segment is None or self.segment.segment_id != wanted:
                return
            self._loading = False
            shot, self.label_text = found
            self.shot = shot
            if shot is None:
                self.status.setText("no local media to play (relink it with a media root)")
                return
            self.status.setText(f"{len(shot.frames)} frame(s) · {shot.fps:g} fps")
            self.slider.setRange(0, len(shot.frames) - 1)
            self._show(0)
            self.on_loaded()
            if then_play:
                self._start()

        def failed(message: str) -> None:
            self._loading = False
            self.status.setText(message)

        # the label too: it walks every segment's disclosure, too slow for each selection
        run_task(lambda: (session.shot(segment), session.on_screen_label(segment)), done,
                 failed, self)

    def on_loaded(self) -> None:
        """Called once the frames are there (the inspector hides its still then)."""

    def _start(self) -> None:
        assert self.shot is not None
        self.timer.start(max(10, round(1000 / max(self.shot.fps, 1.0))))
        self.play_button.setText("❚❚ Pause")

    def _tick(self) -> None:
        if self.shot is None:
            return
        nxt = self.slider.value() + 1
        if nxt >= len(self.shot.frames):
            if not self.loop.isChecked():
                self.toggle()
                return
            nxt = 0  # loop within the segment's range
        self.slider.setValue(nxt)

    def _show(self, index: int) -> None:
        if self.shot is None or not 0 <= index < len(self.shot.frames):
            return
        thumb = self.shot.frames[index]
        image = QImage(thumb.rgb, thumb.width, thumb.height, thumb.stride,
                       QImage.Format.Format_RGB888).copy()
        if self.label_text:
            draw_label(image, self.label_text)
        pixmap = QPixmap.fromImage(image)
        if pixmap.height() > MAX_H:
            pixmap = pixmap.scaledToHeight(MAX_H, Qt.TransformationMode.SmoothTransformation)
        self.picture.setMinimumHeight(pixmap.height())  # never cropped (the label is on top)
        self.picture.setPixmap(pixmap)
        self.frame_image = image


def draw_label(image: QImage, text: str) -> None:
    """The label in the top right corner, white on a dark box, as the burn-in places it."""
    painter = QPainter(image)
    font = QFont()
    font.setPixelSize(max(8, image.height() // 14))
    font.setBold(True)
    painter.setFont(font)
    metrics = painter.fontMetrics()
    lines = text.splitlines() or [text]
    width = max(metrics.horizontalAdvance(line) for line in lines) + 8
    height = metrics.height() * len(lines) + 6
    box = QRectF(image.width() - width - 6, 6, width, height)
    painter.fillRect(box, QColor(0, 0, 0, 170))
    painter.setPen(QColor("#ffffff"))
    painter.drawText(box.adjusted(4, 3, -4, -3),
                     int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), "\n".join(lines))
    painter.end()
