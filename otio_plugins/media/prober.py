"""``Prober``: the ``aiclear.scan.ports.MediaProber`` the scan calls for every timeline.

Resolves each clip's media, probes each distinct local file once (cache first, then the
worker pool), and hands back one ``MediaResult`` per clip.

Identity is the hash of bytes read here. A cached row is a shortcut for finding
evidence, never for clearing: a result whose identity came from the cache carries
``recheck``, and the scan hashes those bytes again before any approval clears them (so
``check``, ``aiclear gate``, the OTIO write hook and exports judge what clears on bytes read
now, and only what clears is hashed twice). An image sequence is hashed frame by frame,
every frame of its available range in order (aiclear.media.hashing.sequence_id); a
missing frame leaves it without identity.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import opentimelineio as otio

from aiclear.errors import InputError
from aiclear.media import evidence, hashing
from aiclear.media.probe import PROBE_VERSION, FileProbe, FileProber, ProbeConfig, unreadable
from aiclear.media.resolve import Folders, Resolved, reference_target, resolve
from aiclear.model import Finding, MediaResult
from aiclear.safety import limits
from aiclear.timeline.walk import ClipPlace

if TYPE_CHECKING:  # sqlite3 and multiprocessing load when a file exists to be probed
    from aiclear.media import pool
    from aiclear.media.cache import EvidenceCache

DEFAULT_TIMEOUT = limits.PROBE_TIMEOUT.default  # per file, plus 1 s per 50 MB hashed


class Prober:
    """Media evidence for clips. Thread-compatible, not thread-safe: one per scan thread."""

    def __init__(
        self,
        *,
        media_roots: Sequence[str | Path] = (),
        trust_anchors: str | Path | Sequence[str | Path] | None = None,
        use_cache: bool = True,
        cache_path: Path | None = None,
        jobs: int | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        media_section: Mapping[str, object] | None = None,
        progress: bool | None = None,
        bytes_per_second: float = 50e6,
    ) -> None:
        self.media_roots = [Path(r).expanduser().resolve() for r in media_roots]
        self.config = ProbeConfig(load_anchors(trust_anchors), dict(media_section or {}))
        self._use_cache, self._cache_path = use_cache, cache_path
        self._cache: EvidenceCache | None = None
        self.jobs = (os.cpu_count() or 1) if jobs is None else max(0, jobs)
        self.timeout = timeout  # seconds per file, plus size / bytes_per_second
        self.bytes_per_second = bytes_per_second
        self.progress = sys.stderr.isatty() if progress is None else progress
        self.probed = 0  # files actually opened by a probe (cache misses)
        self._pool: pool.WorkerPool | None = None
        self._inline: FileProber | None = None
        self._legacy_ids: dict[str, str | None] = {}  # per run: files do not change under us
        self._frame_ids: dict[str, str | None] = {}
        self._cached_paths: set[str] = set()  # identities this run took from the cache
        self._probes: Mapping[str, FileProbe] = {}

    @property
    def cache(self) -> EvidenceCache | None:
        """The evidence cache (None with ``use_cache=False``), made on first use: its key
        needs the C2PA library's version, which a timeline whose media is all missing
        never has to load."""
        if self._cache is None and self._use_cache:
            from aiclear.media.cache import EvidenceCache

            self._cache = EvidenceCache(self._cache_path, fingerprint(self.config))
        return self._cache

    # -- the MediaProber protocol -------------------------------------------------------
    def probe_many(
        self, clips: Sequence[ClipPlace], timeline_path: Path | None
    ) -> list[MediaResult | None]:
        folder = Path(timeline_path).resolve().parent if timeline_path else None
        memo: dict[str, Resolved] = {}
        folders = Folders()  # one listing per folder for this timeline, not a stat per clip
        resolved: list[Resolved | None] = []
        sequences: dict[int, list[str] | str] = {}  # clip index -> frame targets, or why none
        for index, place in enumerate(clips):
            target = reference_target(place.clip)
            if target is None:
                resolved.append(None)
                continue
            if target not in memo:
                memo[target] = resolve(target, folder, self.media_roots, folders)
            resolved.append(memo[target])
            ref = place.clip.media_reference
            if isinstance(ref, otio.schema.ImageSequenceReference):
                sequences[index] = _frame_targets(ref)
        files = self.probe_paths(r.path for r in memo.values() if r.path is not None)
        self._probes = files  # this timeline's probes: where a sha256, once computed, is kept
        out = [None if r is None else _result(r, files, self._legacy, self._cached_paths)
               for r in resolved]
        for index, frames in sequences.items():
            found = out[index]
            if found is not None and found.asset_id:
                out[index] = self._sequence(found, frames, folder, memo)
        return out

    # -- identity -------------------------------------------------------------------------
    def _legacy(self, path: str, fresh: bool = False) -> str | None:
        """The pre-BLAKE3 ``sha256:`` id of a file. Computed once and kept in the media
        cache beside the probe; ``fresh=True`` hashes the bytes now (once per run), which
        the scan asks for before a sha256 approval may clear."""
        probe = self._probes.get(path)
        if not fresh and probe is not None and probe.legacy_id:
            return probe.legacy_id
        if path not in self._legacy_ids:
            try:
                self._legacy_ids[path] = hashing.legacy_id(path)
            except OSError:
                self._legacy_ids[path] = None
            if probe is not None and self._legacy_ids[path] and probe.cacheable:
                probe.legacy_id = self._legacy_ids[path]
                if self.cache is not None:
                    self.cache.put_many([probe])  # under the probe's stamp: a changed file misses
        return self._legacy_ids[path]

    def _sequence(self, first: MediaResult, frames: list[str] | str, folder: Path | None,
                  memo: dict[str, Resolved]) -> MediaResult:
        """``first`` (the first frame's evidence) with the identity of the whole sequence,
        or without any identity when a frame cannot be read."""
        first.legacy_id = None  # a sha256 of the first frame never identified a sequence
        first.recheck = None  # every frame is hashed below, now
        if isinstance(frames, str):
            return _without_identity(first, frames, first.path or "")
        ids: list[str] = []
        for number, target in enumerate(frames):
            if target not in memo:
                memo[target] = resolve(target, folder, self.media_roots)
            where = memo[target]
            frame_id = self._frame_id(where.path) if where.path else None
            if frame_id is None:
                return _without_identity(first, f"frame {number} of {len(frames)} "
                                                f"({target}) is {where.state} or unreadable",
                                         target)
            ids.append(frame_id)
        first.asset_id = hashing.sequence_id(ids)
        return first

    def _frame_id(self, path: str) -> str | None:
        if path not in self._frame_ids:
            try:
                self._frame_ids[path] = hashing.asset_id(path)
            except OSError:
                self._frame_ids[path] = None
        return self._frame_ids[path]

    # -- files ----------------------------------------------------------------------------
    def probe_paths(self, paths: Iterable[str]) -> dict[str, FileProbe]:
        """Evidence for each distinct local path, from the cache when the file is unchanged."""
        wanted = list(dict.fromkeys(paths))
        if not wanted:
            return {}  # all media missing or remote: no cache, no workers
        from aiclear.media import pool
        from aiclear.media.cache import FileKey

        results: dict[str, FileProbe] = {}
        keys: list[FileKey] = []
        for path in wanted:
            try:
                keys.append(FileKey.of(path))
            except OSError as err:
                results[path] = unreadable(path, err.strerror or "cannot stat", cacheable=False)
        if keys and self.cache is not None:
            cached = self.cache.get_many(keys)
            self._cached_paths.update(cached)  # their identity is re-hashed before it clears
            results.update(cached)
        todo = [k for k in keys if k.path not in results]
        fresh: list[FileProbe] = []
        with _progress(len(todo), self.progress) as tick:
            def done(probe: FileProbe) -> None:
                results[probe.path] = probe
                fresh.append(probe)
                tick()

            if todo and (self.jobs == 0 or not pool.can_spawn()):
                self._inline = self._inline or FileProber(self.config)
                pool.run_inline([k.path for k in todo], self._inline, done)
            elif todo:
                if self._pool is None:
                    self._pool = pool.WorkerPool(self.config, self.jobs, self.timeout,
                                                 self.bytes_per_second)
                    weakref.finalize(self, self._pool.close)
                self._pool.run([(k.path, k.size) for k in todo], done)
        self.probed += len(fresh)
        if fresh and self.cache is not None:
            self.cache.put_many(fresh)
        return results

    def close(self) -> None:
        """Stop the probe workers and close the cache (also done when collected)."""
        if self._pool is not None:
            self._pool.close()
        if self._cache is not None:
            self._cache.close()

    def __enter__(self) -> Prober:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _frame_targets(ref: otio.schema.ImageSequenceReference) -> list[str] | str:
    """Every frame's URL in order, or why the frames cannot be listed."""
    try:
        count = ref.number_of_images_in_sequence()
        if count <= 0:
            return "image sequence without an available range: its frames are unknown"
        return [str(ref.target_url_for_image_number(i)) for i in range(count)]
    except Exception as err:  # noqa: BLE001 - OTIO raises plain errors on malformed sequences
        return f"image sequence frames cannot be listed ({type(err).__name__}: {err})"


def _without_identity(first: MediaResult, why: str, target: str) -> MediaResult:
    """A sequence with a frame aiclear cannot read has no content identity: it cannot be
    cleared by a content approval and counts as unprobed media."""
    first.asset_id = None
    first.legacy_id = None
    first.recheck = None
    first.evidence.append(evidence.media_state("unreadable", f"unreadable: {why}",
                                               path=first.path, target=target))
    first.findings.append(Finding("media.unreadable", "warn",
                                  f"{os.path.basename(first.path or '')}: {why}"))
    return first


def _rehash(path: str) -> str | None:
    try:
        return hashing.asset_id(path)
    except OSError:
        return None


def _result(res: Resolved, files: Mapping[str, FileProbe],
            legacy: Callable[[str, bool], str | None] | None = None,
            cached: set[str] | frozenset[str] = frozenset()) -> MediaResult:
    name = os.path.basename(res.target.rstrip("/")) or res.target
    if res.state == "remote":
        name = os.path.basename(res.target.rstrip("/")) or res.target
        return MediaResult(
            evidence=[evidence.media_state("remote", "not probed: remote", target=res.target)],
            findings=[Finding("media.remote", "warn",
                              f"{name}: media is at a network URL and was not probed")])
    if res.state == "missing" or res.path is None:
        return MediaResult(
            evidence=[evidence.media_state("missing", "missing", target=res.target)],
            findings=[Finding("media.missing", "warn", f"{res.target}: media file not found")])
    probe = files[res.path]
    path = res.path
    return MediaResult(
        path=path,
        asset_id=probe.asset_id,
        legacy_id=((lambda fresh=False: legacy(path, fresh)) if legacy is not None
                   and probe.asset_id else None),
        recheck=(lambda: _rehash(path)) if path in cached and probe.asset_id else None,
        evidence=[e.copy() for e in probe.evidence],
        hints=json.loads(json.dumps(probe.hints)),  # a deep copy: callers may edit records
        is_ai=probe.is_ai,
        findings=[Finding(f["rule"], "warn", f["message"]) for f in probe.findings],
    )


def load_anchors(source: str | Path | Sequence[str | Path] | None) -> str | None:
    """PEM text of one or more trust-anchor bundles, checked to hold certificates."""
    if source is None or source == "":
        return None
    from cryptography import x509  # ~0.03 s: only when anchors are given

    paths = [source] if isinstance(source, (str, Path)) else list(source)
    texts: list[str] = []
    for item in paths:
        path = Path(item).expanduser()
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InputError(path, f"cannot read trust anchors ({err.strerror})") from None
        try:
            if not x509.load_pem_x509_certificates(data):
                raise ValueError("empty")
        except ValueError:
            raise InputError(path, "no readable certificate",
                             expected="a PEM bundle of trust-anchor certificates") from None
        texts.append(data.decode("ascii", "replace"))
    return "\n".join(texts)


def fingerprint(config: ProbeConfig) -> str:
    """Cache rows are only valid for the configuration that produced them."""
    import c2pa  # here, not at the top: a scan whose media is all missing never reads C2PA

    media = config.media_section
    blob = json.dumps({
        "probe": PROBE_VERSION,
        "c2pa": c2pa.sdk_version(),
        "anchors": config.trust_anchors_pem or "",
        "tools": media.get("ai_tools") or [],
        "tag_keys": media.get("tag_keys") or [],
    }, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


@contextmanager
def _progress(total: int, enabled: bool) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr for runs worth watching: only on a terminal, only in the
    main process (timeline workers would draw over each other), and never on top of a
    bar the caller already shows (rich allows one live display)."""
    if not enabled or total < 2:
        yield lambda: None
        return
    import multiprocessing as mp  # here: ~0.01 s of every start-up otherwise

    if mp.current_process().name != "MainProcess":
        yield lambda: None
        return
    from rich.console import Console
    from rich.errors import LiveError
    from rich.progress import Progress

    bar = Progress(console=Console(stderr=True), transient=True)
    try:
        bar.start()
    except LiveError:
        yield lambda: None
        return
    try:
        task = bar.add_task("probing media", total=total)
        yield lambda: bar.advance(task)
    finally:
        bar.stop()
