"""Worker processes that probe one file at a time, each under a time limit.

Why not ``concurrent.futures.ProcessPoolExecutor``: on Python 3.11 it cannot stop one
running task, and a stuck native call (a hostile file looping inside libavformat or
c2pa-rs) would hold a worker, and the whole scan, forever. Here each worker gets one path
at a time over its own pipe; the parent knows when each started, kills a worker that runs
past the limit (the file becomes "unreadable: timed out") and starts a fresh one. A
worker that dies (a segfault on a crafted file) costs only its current file.

Workers are started on first use and kept for the next timeline, so a batch of many
small timelines pays the start-up (about 0.2 s, in parallel) once.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections import deque
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection, wait

from aiclear.errors import MediaError
from aiclear.media.probe import FileProbe, FileProber, ProbeConfig, unreadable

Done = Callable[[FileProbe], None]
_CTX = mp.get_context("spawn")  # no inherited threads, locks or open c2pa handles


def _worker_main(conn: Connection, config: ProbeConfig) -> None:
    prober = FileProber(config)
    conn.send(("ready", None))
    while True:
        try:
            path = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if path is None:
            return
        try:
            result = prober.probe(path)
        except Exception as err:  # noqa: BLE001 - one hostile file must not end the scan
            result = unreadable(path, f"probe failed: {type(err).__name__}: {err}")
        conn.send(("done", result.to_json()))


class _Worker:
    def __init__(self, config: ProbeConfig) -> None:
        self.conn, child = _CTX.Pipe()
        self.proc = _CTX.Process(target=_worker_main, args=(child, config), daemon=True)
        self.proc.start()
        child.close()
        self.ready = False
        self.path: str | None = None
        self.limit = 0.0
        self.deadline = 0.0

    def assign(self, path: str, limit: float) -> None:
        self.path, self.limit = path, limit
        self.deadline = time.monotonic() + limit
        self.conn.send(path)

    def stop(self, *, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                kill = True
        if kill:
            self.proc.kill()
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def can_spawn() -> bool:
    """False inside a daemonic process (multiprocessing.Pool, some dask workers)."""
    return not mp.current_process().daemon


class WorkerPool:
    """Up to ``jobs`` probe workers, started on demand, kept until ``close``.

    A file's time limit is ``timeout`` plus one second per ``bytes_per_second`` of its size:
    hashing a 200 GB camera original is slow, not stuck."""

    def __init__(self, config: ProbeConfig, jobs: int, timeout: float,
                 bytes_per_second: float = 50e6) -> None:
        self.config, self.jobs, self.timeout = config, max(1, jobs), timeout
        self.bytes_per_second = bytes_per_second
        self.workers: list[_Worker] = []

    def run(self, files: Iterable[tuple[str, int]], done: Done) -> None:
        """Probe every (path, size); ``done`` gets each result as it lands."""
        queue = deque(files)
        while len(self.workers) < min(self.jobs, len(queue)):
            self.workers.append(_Worker(self.config))
        try:
            while queue or self._busy():
                self._dispatch(queue)
                self._collect(done)
                self._expire(done)
        except BaseException:
            self.close()  # half-done workers hold stale paths: start clean next time
            raise

    def close(self) -> None:
        workers, self.workers = self.workers, []
        for worker in workers:
            worker.stop(kill=worker.path is not None)

    def _busy(self) -> bool:
        return any(w.path is not None for w in self.workers)

    def _dispatch(self, queue: deque[tuple[str, int]]) -> None:
        for worker in self.workers:
            if worker.ready and worker.path is None and queue:
                path, size = queue.popleft()
                worker.assign(path, self.timeout + max(0, size) / self.bytes_per_second)

    def _collect(self, done: Done) -> None:
        deadlines = [w.deadline for w in self.workers if w.path is not None]
        wait_for = max(0.0, min(deadlines) - time.monotonic()) + 0.01 if deadlines else None
        for conn in wait([w.conn for w in self.workers], timeout=wait_for):
            index = next(i for i, w in enumerate(self.workers) if w.conn is conn)
            self.workers[index] = self._receive(self.workers[index], done)

    def _receive(self, worker: _Worker, done: Done) -> _Worker:
        """Handle one message; returns the worker to keep (a fresh one if it died)."""
        try:
            kind, payload = worker.conn.recv()
        except (EOFError, OSError):
            if not worker.ready:  # died while starting: respawning would only loop
                raise MediaError(None, "the media probe worker failed to start") from None
            if worker.path is not None:
                done(unreadable(worker.path, "the probe process crashed", cacheable=False))
            worker.path = None
            worker.stop(kill=True)
            return _Worker(self.config)
        if kind == "ready":
            worker.ready = True
        else:
            worker.path = None
            done(FileProbe.from_json(payload))
        return worker

    def _expire(self, done: Done) -> None:
        for index, worker in enumerate(self.workers):
            if worker.path is not None and time.monotonic() > worker.deadline:
                done(unreadable(worker.path, f"timed out after {worker.limit:.3g} s",
                                cacheable=False))
                worker.path = None
                worker.stop(kill=True)
                self.workers[index] = _Worker(self.config)


def run_inline(paths: Iterable[str], prober: FileProber, done: Done) -> None:
    """The same work in this process, without a time limit (jobs=0, daemonic parents)."""
    for path in paths:
        done(prober.probe(path))
