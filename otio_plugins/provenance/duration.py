"""A master's duration as PyAV reads it: the first video stream's, else the container's."""

from __future__ import annotations

from pathlib import Path


def media_seconds(path: Path) -> float | None:
    """Seconds, or None when the file cannot be opened or says nothing about its length."""
    import av

    try:
        with av.open(str(path), metadata_errors="replace") as box:
            for stream in box.streams.video:
                if stream.duration is not None and stream.time_base is not None:
                    return float(stream.duration * stream.time_base)
            for stream in box.streams.audio:
                if stream.duration is not None and stream.time_base is not None:
                    return float(stream.duration * stream.time_base)
            if box.duration is not None:
                return float(box.duration) / 1_000_000  # AV_TIME_BASE
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError):
        return None
    return None
