"""The frames of one segment, for the panel's player: PyAV decodes the clip's used range
of its local media file, scaled down, every frame up to a cap (then evenly spaced).

Local files only (the caller resolves the path: aiclear.session.Session.media_path).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aiclear.media.thumbnail import MAX_WIDTH, Thumbnail, _scaled

if TYPE_CHECKING:  # PyAV loads when the player decodes, not when the panel starts
    import av
    import opentimelineio as otio

MAX_FRAMES = 480  # 20 s at 24 fps; longer shots are shown with frames evenly left out


@dataclass(frozen=True, slots=True)
class Shot:
    frames: tuple[Thumbnail, ...]
    times: tuple[float, ...]  # seconds into the media of each frame
    fps: float  # frames shown per second when playing at speed


def used_range(clip: otio.schema.Clip | None) -> tuple[float, float]:
    """(start, duration) in seconds into the media of the part of the clip that is used;
    (0, 0) without a clip or a range."""
    if clip is None:
        return 0.0, 0.0
    try:
        rng = clip.trimmed_range()
        start = rng.start_time.to_seconds()
        duration = rng.duration.to_seconds()
    except Exception:  # noqa: BLE001 - OTIO raises plain errors for clips without ranges
        return 0.0, 0.0
    try:  # media that starts at a timecode: the range is in that time, the file from 0
        available = clip.media_reference.available_range
        if available is not None:
            start -= available.start_time.to_seconds()
    except Exception:  # noqa: BLE001, S110 - no available range: the start stands
        pass
    return max(start, 0.0), max(duration, 0.0)


def decode_shot(path: Path, start: float, duration: float, max_width: int = MAX_WIDTH,
                max_frames: int = MAX_FRAMES) -> Shot | None:
    """The frames of ``path`` from ``start`` for ``duration`` seconds, or None (no video,
    unreadable). An empty range decodes the first frame only."""
    import av  # local: PyAV is heavy and only the panel's player needs it

    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                return None
            stream = container.streams.video[0]
            rate = float(stream.average_rate or 24)
            total = max(1, round(duration * rate))
            step = max(1, -(-total // max_frames))  # keep every step-th frame
            if start > 0 and stream.time_base:
                container.seek(int(start / float(stream.time_base)), stream=stream,
                               backward=True)
            frames, times = _collect(container.decode(stream), start, start + duration,
                                     step, min(total, max_frames))
    except (av.FFmpegError, OSError, ValueError):
        return None
    if not frames:
        return None
    return Shot(tuple(_scaled(f, max_width) for f in frames), tuple(times), rate / step)


def _collect(decoded: Iterable[av.VideoFrame], start: float, end: float, step: int, wanted: int
             ) -> tuple[list[av.VideoFrame], list[float]]:
    frames: list[av.VideoFrame] = []
    times: list[float] = []
    index = 0
    half = 0.5 / 1000.0
    for frame in decoded:
        at = float(frame.time or 0.0)
        if at + half < start:
            continue
        if frames and at >= end - half:
            break
        if index % step == 0:
            frames.append(frame)
            times.append(at)
            if len(frames) >= wanted:
                break
        index += 1
    return frames, times
