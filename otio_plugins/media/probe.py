"""Probe one local file: hash, C2PA, XMP and container tags. Runs inside a worker process.

Every file is hostile: anything a reader raises becomes "unreadable" evidence and a warn
finding, never an exception out of ``FileProber.probe``.
"""

from __future__ import annotations

import os
import stat
import struct
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from aiclear.media import c2pa_read, evidence, hashing, tags, xmp
from aiclear.model import Evidence, JsonObject

#: bump when the evidence a probe produces changes shape: old cache rows then miss
PROBE_VERSION = 3  # 2: blake3 ids, device/inode/ctime in the cache key; 3: C2PA evidence carries when


@dataclass(frozen=True, slots=True)
class ProbeConfig:
    """Everything a worker needs; plain data so it pickles into a spawned process."""

    trust_anchors_pem: str | None = None
    media_section: JsonObject = field(default_factory=dict)  # profile `media:`


@dataclass(slots=True)
class FileProbe:
    """The evidence one file gives; JSON-able for the cache and the worker pipe."""

    path: str
    size: int = -1
    mtime_ns: int = -1
    dev: int = -1
    ino: int = -1
    ctime_ns: int = -1
    asset_id: str | None = None  # blake3:<hex> of the bytes this probe read
    #: sha256:<hex> of the same bytes, filled in (and cached) only once a lookup needed it
    legacy_id: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    hints: JsonObject = field(default_factory=dict)
    is_ai: bool = False
    findings: list[dict[str, str]] = field(default_factory=list)
    cacheable: bool = True  # False for timeouts, crashes, or a file that changed meanwhile
    sidecar_key: str = ""  # the .c2pa sidecar's identity when the probe began (cache key)

    def to_json(self) -> JsonObject:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FileProbe:
        # Any: a true boundary, what ``to_json`` wrote read back (a cache row, a worker's
        # answer); each field goes into the dataclass as it was written
        return cls(**{k: data[k] for k in cls.__slots__ if k in data})


def unreadable(path: str, reason: str, *, cacheable: bool = True) -> FileProbe:
    ev, found = _unreadable_parts(path, reason)
    return FileProbe(path=path, evidence=[ev], findings=[found], cacheable=cacheable)


def _unreadable_parts(path: str, reason: str) -> tuple[Evidence, dict[str, str]]:
    name = os.path.basename(path)
    return (evidence.media_state("unreadable", f"unreadable: {reason}", path=path),
            evidence.finding("media.unreadable", f"{name}: media unreadable ({reason})"))


def _stamp(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class FileProber:
    """Per-process reader state: one c2pa context and one tool list for many files."""

    def __init__(self, config: ProbeConfig) -> None:
        self.context = c2pa_read.make_context(config.trust_anchors_pem)
        self.tools = tags.load_tools(config.media_section)

    def probe(self, path: str) -> FileProbe:
        try:
            before = os.stat(path)
            if not stat.S_ISREG(before.st_mode):
                return unreadable(path, "not a regular file")
            sidecar = c2pa_read.sidecar_signature(path)
            result = self._probe(path)
            after = os.stat(path)
        except OSError as err:
            return unreadable(path, err.strerror or type(err).__name__)
        result.size, result.mtime_ns = before.st_size, before.st_mtime_ns
        result.dev, result.ino, result.ctime_ns = before.st_dev, before.st_ino, before.st_ctime_ns
        result.sidecar_key = sidecar
        result.cacheable = result.cacheable and sidecar == c2pa_read.sidecar_signature(path)
        result.cacheable = result.cacheable and _stamp(before) == _stamp(after)
        return result

    def _probe(self, path: str) -> FileProbe:
        name = os.path.basename(path)
        result = FileProbe(path=path, asset_id=hashing.asset_id(path))
        c2pa_hint = None
        read = c2pa_read.read(path, self.context)
        if read is not None:
            ev, found, c2pa_hint = evidence.from_c2pa(read, name, self.tools)
            result.evidence += ev
            result.findings += found
        container = _container(path)
        if isinstance(container, str):  # keep what C2PA said; the container is broken
            broken, warning = _unreadable_parts(path, container)
            result.evidence.append(broken)
            result.findings.append(warning)
            container = ContainerInfo()
        packet, where = _xmp_packet(path, container)
        xmp_ev, xmp_hint = (evidence.from_xmp(xmp.source_types(packet), where,
                                              xmp.ai_system(packet), self.tools)
                            if packet else ([], None))
        tag_ev, tag_tool = tags.tag_evidence(container.format_tags, container.stream_tags,
                                             self.tools)
        result.evidence += xmp_ev + tag_ev
        result.is_ai = any(e.get("ai") for e in result.evidence)
        if result.is_ai:
            result.hints = evidence.merge_hints(c2pa_hint, xmp_hint, tag_tool)
        return result


@dataclass(slots=True)
class ContainerInfo:
    format_tags: dict[str, str] = field(default_factory=dict)
    stream_tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    xmp_packet: str | None = None


def _container(path: str) -> ContainerInfo | str:
    """Tags and the XMP packet via PyAV, or the reason the container cannot be opened."""
    import av  # PyAV (~0.05 s) only once a file is opened, never for missing media

    try:
        with av.open(path, options={"export_xmp": "1"}, metadata_errors="replace") as box:
            fmt = {str(k): str(v) for k, v in box.metadata.items()}
            streams = [(f"stream {s.index} ({s.type})",
                        {str(k): str(v) for k, v in s.metadata.items()}) for s in box.streams]
    except (av.FFmpegError, UnicodeDecodeError, ValueError, OSError) as err:
        return _reason(err)
    packet = fmt.pop("xmp", None)
    return ContainerInfo(fmt, streams, packet)


def _reason(err: Exception) -> str:
    text = getattr(err, "strerror", None) or str(err) or type(err).__name__
    return " ".join(str(text).split())[:160]


def _xmp_packet(path: str, info: ContainerInfo) -> tuple[str | bytes | None, str]:
    if info.xmp_packet:
        return info.xmp_packet, "container XMP"
    try:
        packet = xmp.still_packet(path)  # PNG / JPEG / TIFF by magic bytes, else None
    except (OSError, ValueError, struct.error):
        packet = None  # a malformed block: no XMP, the rest of the probe stands
    return packet, "still XMP"
