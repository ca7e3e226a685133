"""``Prober``: the ``aiclear.services.MediaProber`` the scan calls for every timeline.

Resolves each clip's media, probes each distinct local file once (cache first, then the
worker pool), and hands back one ``MediaResult`` per clip.
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
from typing import TYPE_CHECKING, Any

from aiclear import limits
from aiclear.errors import InputError
from aiclear.media import evidence
from aiclear.media.probe import PROBE_VERSION, FileProbe, FileProber, ProbeConfig, unreadable
from aiclear.media.resolve import Folders, Resolved, reference_target, resolve
from aiclear.model import Finding
from aiclear.services import MediaResult
from aiclear.walk import ClipPlace

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
        media_section: Mapping[str, Any] | None = None,
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
        for place in clips:
            target = reference_target(place.clip)
            if target is None:
                resolved.append(None)
                continue
            if target not in memo:
                memo[target] = resolve(target, folder, self.media_roots, folders)
            resolved.append(memo[target])
        files = self.probe_paths(r.path for r in memo.values() if r.path is not None)
        return [None if r is None else _result(r, files) for r in resolved]

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
            results.update(self.cache.get_many(keys))
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


def _result(res: Resolved, files: Mapping[str, FileProbe]) -> MediaResult:
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
    return MediaResult(
        path=res.path,
        asset_id=probe.asset_id,
        evidence=[dict(e) for e in probe.evidence],
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
