"""Turn a clip's media reference into a local file, or say why there is none.

Only local files are ever opened. A URL with a network scheme (http, https, s3, ...) is
reported as remote and never touched: a timeline is hostile input, and fetching what it
names would leak the cut's existence, or worse, to whoever controls the URL.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Literal
from urllib.parse import urlsplit
from urllib.request import url2pathname

import opentimelineio as otio

State = Literal["local", "remote", "missing"]
NETWORK_SCHEMES = frozenset({
    "http", "https", "s3", "gs", "gcs", "az", "abfs", "abfss", "wasb", "wasbs", "ftp", "ftps",
    "sftp", "scp", "ssh", "smb", "cifs", "nfs", "afp", "webdav", "dav", "davs", "rtsp",
    "rtmp", "rtmps", "srt", "udp", "tcp", "hls", "data", "blob", "frameio", "box", "dropbox",
})


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where a clip's media is: ``path`` is set only when ``state == "local"``."""

    state: State
    target: str  # the reference as written in the timeline (URL or path)
    path: str | None = None  # absolute local path of an existing file


def reference_target(clip: otio.schema.Clip) -> str | None:
    """The URL or path a clip points at; an image sequence gives its first frame.
    None when the clip has no file reference at all (generators, missing references)."""
    ref = clip.media_reference
    if isinstance(ref, otio.schema.ImageSequenceReference):
        try:
            return str(ref.target_url_for_image_number(0)) or None
        except Exception:  # noqa: BLE001 - OTIO raises plain errors on malformed sequences
            return ref.target_url_base or None
    if isinstance(ref, otio.schema.ExternalReference):
        return ref.target_url or None
    return None


def resolve(
    target: str, timeline_dir: Path | None, media_roots: Sequence[Path] = ()
) -> Resolved:
    """Find ``target`` on this machine: as written, then against the timeline's folder and
    each media root (relative paths), then under each media root by its trailing path
    parts (absolute paths from another machine, e.g. /Volumes/RAID/A001/clip.mov)."""
    local = _local_path(target)
    if local is None:
        return Resolved("remote", target)
    for candidate in _candidates(local, timeline_dir, media_roots):
        if candidate.is_file():
            return Resolved("local", target, os.path.abspath(candidate))
    return Resolved("missing", target)


def _local_path(target: str) -> str | None:
    """The filesystem path a target names, or None when it names something remote."""
    text = target.strip()
    if _is_windows_path(text):
        return text
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            return None  # file://server/share is a network path
        return url2pathname(parts.path)  # decodes %XX exactly once
    if scheme in NETWORK_SCHEMES or text[len(scheme) + 1:].startswith("//"):
        return None  # http, https, s3, gs, ftp, smb, or any scheme://host: never opened
    return text  # a plain path (a colon in a file name is not a scheme)


def _is_windows_path(text: str) -> bool:
    return len(text) > 2 and text[0].isalpha() and text[1] == ":" and text[2] in "\\/"


def _candidates(
    local: str, timeline_dir: Path | None, media_roots: Sequence[Path]
) -> list[Path]:
    if _is_windows_path(local):
        parts = PureWindowsPath(local).parts[1:]
        return _relinked(parts, media_roots)
    path = Path(local)
    if path.is_absolute():
        return [path, *_relinked(PurePosixPath(local).parts[1:], media_roots)]
    bases = ([timeline_dir] if timeline_dir is not None else [Path.cwd()]) + list(media_roots)
    return [base / path for base in bases]


def _relinked(parts: Sequence[str], media_roots: Sequence[Path]) -> list[Path]:
    """Each media root joined with ever shorter tails of the original path, longest first."""
    out: list[Path] = []
    for root in media_roots:
        for start in range(len(parts)):
            out.append(root.joinpath(*parts[start:]))
    return out
