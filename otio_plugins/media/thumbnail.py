"""The first frame of a clip's media as small RGB pixels (PyAV), for the panel's inspector.

Local files only: a reference to anything but a plain path or ``file://`` URL is never
opened (no network fetch from a timeline). Decoding reads the file as it is; nothing is
remuxed or re-encoded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

import opentimelineio as otio

if TYPE_CHECKING:  # PyAV loads when a frame is decoded
    import av

MAX_WIDTH = 320


@dataclass(frozen=True, slots=True)
class Thumbnail:
    width: int
    height: int
    rgb: bytes  # width * height * 3 bytes, rows top to bottom

    @property
    def stride(self) -> int:
        return self.width * 3


def local_media(clip: otio.schema.Clip, timeline_path: str | Path | None) -> Path | None:
    """The local file a clip points at (relative paths from the timeline's folder)."""
    ref = getattr(clip, "media_reference", None)
    if not isinstance(ref, otio.schema.ExternalReference) or not ref.target_url:
        return None
    url = urlparse(ref.target_url)
    if url.scheme not in ("", "file") and len(url.scheme) > 1:  # one letter: a Windows drive
        return None
    raw = unquote(url.path) if url.scheme == "file" else ref.target_url
    path = Path(raw)
    if not path.is_absolute() and timeline_path is not None:
        path = Path(timeline_path).parent / path
    return path if path.is_file() else None


def first_frame(path: Path, max_width: int = MAX_WIDTH) -> Thumbnail | None:
    """The first decodable video frame scaled to ``max_width``, or None (no video, unreadable)."""
    import av  # local: PyAV is heavy and only the inspector needs it

    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                return None
            stream = container.streams.video[0]
            for frame in container.decode(stream):
                return _scaled(frame, max_width)
    except (av.FFmpegError, OSError, ValueError):
        return None
    return None


def _scaled(frame: av.VideoFrame, max_width: int) -> Thumbnail:
    width = min(max_width, frame.width)
    height = max(1, round(frame.height * width / max(frame.width, 1)))
    rgb = frame.reformat(width=width, height=height, format="rgb24")
    plane = rgb.planes[0]
    line = width * 3
    data = bytes(plane)
    if plane.line_size != line:  # drop the row padding
        data = b"".join(data[r * plane.line_size:r * plane.line_size + line] for r in range(height))
    return Thumbnail(width, height, data)
