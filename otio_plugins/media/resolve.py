"""Turn a clip's media reference into a local file, or say why there is none.

Only local files are ever opened. A URL with a network scheme (http, https, s3, ...) is
reported as remote and never touched: a timeline is hostile input, and fetching what it
names would leak the cut's existence, or worse, to whoever controls the URL.
"""

from __future__ import annotations

import os
import re
import unicodedata
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
#: characters that make urlsplit do more than cut "file://" off (query, fragment, and the
#: tab / newlines it deletes): such URLs take the general path
_URL_SPECIAL = re.compile("[?#\t\r\n]")


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
    target: str, timeline_dir: Path | None, media_roots: Sequence[Path] = (),
    folders: Folders | None = None,
) -> Resolved:
    """Find ``target`` on this machine: as written, then against the timeline's folder and
    each media root (relative paths), then under each media root by its trailing path
    parts (absolute paths from another machine, e.g. /Volumes/RAID/A001/clip.mov).

    ``folders`` answers "is this a file?" from one listing per folder; pass one for a
    whole timeline (``Prober.probe_many`` does) so that 50k missing clips in a few folders
    cost a few listings instead of 50k failed stats."""
    local = _local_path(target)
    if local is None:
        return Resolved("remote", target)
    folders = folders or Folders()
    for candidate in _candidates(local, timeline_dir, media_roots):
        if folders.is_file(candidate):
            return Resolved("local", target, os.path.abspath(candidate))
    return Resolved("missing", target)


class Folders:
    """Which files exist, from one ``os.scandir`` per folder, for one scan.

    Gives the answer ``Path(path).is_file()`` gives (a file, or a link to one) without a
    stat per path: a name in the listing is checked through its directory entry; a name
    not in it is not a file, unless the file system may spell it differently (case- or
    Unicode-normalisation-insensitive volumes, e.g. SMB, exFAT, APFS), which is then
    settled by a stat. A folder that cannot be listed but may still be searched
    (execute-only) falls back to a stat per path. The first path asked in a folder is a
    plain stat, and the folder is listed from the second: a render folder of 10,000
    frames that one clip points into (or a big folder a hostile timeline names once)
    costs a stat, not a listing. Listings are not refreshed: use one ``Folders`` per
    scan, not per process."""

    def __init__(self) -> None:
        self._entries: dict[str, dict[str, os.DirEntry[str]] | None] = {}
        self._folded: dict[str, frozenset[str]] = {}
        self._asked: set[str] = set()  # folders asked about once, not listed yet

    def is_file(self, path: str) -> bool:
        folder, name = _split(path)
        if not folder or name in ("", ".", ".."):
            return os.path.isfile(path)
        if folder not in self._entries and folder not in self._asked:
            self._asked.add(folder)
            return os.path.isfile(path)
        entries = self._listing(folder)
        if entries is None:
            return os.path.isfile(path)
        entry = entries.get(name)
        if entry is None:
            return (bool(entries) and _fold(name) in self._folded_names(folder, entries)
                    and os.path.isfile(path))
        try:
            return entry.is_file()  # follows a symbolic link, as Path.is_file does
        except OSError:
            return False

    def _listing(self, folder: str) -> dict[str, os.DirEntry[str]] | None:
        if folder not in self._entries:
            try:
                with os.scandir(folder) as listing:
                    self._entries[folder] = {e.name: e for e in listing}
            except (FileNotFoundError, NotADirectoryError):
                self._entries[folder] = {}  # a stat of anything below it fails the same way
            except (OSError, ValueError):
                self._entries[folder] = None  # e.g. not readable but searchable: stat each
        return self._entries[folder]

    def _folded_names(self, folder: str, entries: dict[str, os.DirEntry[str]]) -> frozenset[str]:
        if folder not in self._folded:
            self._folded[folder] = frozenset(_fold(n) for n in entries)
        return self._folded[folder]


def _split(path: str) -> tuple[str, str]:
    """``os.path.split`` for the plain absolute POSIX paths most candidates are, faster."""
    if os.sep == "/" and path.startswith("/") and not path.startswith("//"):
        head, _, name = path.rpartition("/")
        return head or "/", name
    return os.path.split(path)


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _local_path(target: str) -> str | None:
    """The filesystem path a target names, or None when it names something remote."""
    text = target.strip()
    if text.startswith("file:///") and not _URL_SPECIAL.search(text):
        return url2pathname(text[7:])  # what urlsplit gives for this plain form, ~10x cheaper
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
) -> list[str]:
    if _is_windows_path(local):
        parts = PureWindowsPath(local).parts[1:]
        return [str(p) for p in _relinked(parts, media_roots)]
    if _plain_posix(local):  # the common case, in strings: pathlib costs ~25 µs a clip
        if local.startswith("/"):
            if not media_roots:
                return [local]
            names = local.split("/")[1:]
            return [local, *(os.path.join(root, *names[start:])
                             for root in map(str, media_roots) for start in range(len(names)))]
        bases = [timeline_dir] if timeline_dir is not None else [Path.cwd()]
        return [os.path.join(base, local) for base in map(str, [*bases, *media_roots])]
    path = Path(local)
    if path.is_absolute():
        return [str(p) for p in (path, *_relinked(PurePosixPath(local).parts[1:], media_roots))]
    bases = ([timeline_dir] if timeline_dir is not None else [Path.cwd()]) + list(media_roots)
    return [str(base / path) for base in bases]


def _plain_posix(local: str) -> bool:
    """A POSIX path that pathlib would leave as written (no empty or ``.`` parts, no
    trailing slash), so joining strings gives exactly what joining Paths gives."""
    return (os.sep == "/" and local not in ("", ".") and "//" not in local
            and not local.startswith("./") and "/./" not in local
            and not local.endswith(("/", "/.")))


def _relinked(parts: Sequence[str], media_roots: Sequence[Path]) -> list[Path]:
    """Each media root joined with ever shorter tails of the original path, longest first."""
    out: list[Path] = []
    for root in media_roots:
        for start in range(len(parts)):
            out.append(root.joinpath(*parts[start:]))
    return out
