"""Worker processes that probe one file at a time, each under a time limit.

Why not ``concurrent.futures.ProcessPoolExecutor``: on Python 3.11 it cannot stop one
running task, and a stuck native call (a hostile file looping inside libavformat or
c2pa-rs) would hold a worker, and the whole scan, forever. Here each worker gets one path
at a time over its own pipe; the parent knows when each started, kills a worker that runs
past the limit (the file becomes "unreadable: timed out") and starts a fresh one. A
worker that dies (a segfault on a crafted file) costs only its current file.
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
        self.started = 0.0

    def assign(self, path: str) -> None:
        self.path, self.started = path, time.monotonic()
        self.conn.send(path)

    def stop(self, *, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                self.proc.kill()
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def run(
    paths: Iterable[str], config: ProbeConfig, jobs: int, timeout: float, done: Done
) -> None:
    """Probe every path with up to ``jobs`` workers; ``done`` gets each result as it lands."""
    queue = deque(paths)
    if not queue:
        return
    workers = [_Worker(config) for _ in range(max(1, min(jobs, len(queue))))]
    try:
        _loop(workers, queue, config, timeout, done)
    finally:
        for worker in workers:
            worker.stop(kill=worker.path is not None)


def _loop(
    workers: list[_Worker], queue: deque[str], config: ProbeConfig, timeout: float, done: Done
) -> None:
    while queue or any(w.path is not None for w in workers):
        for worker in workers:
            if worker.ready and worker.path is None and queue:
                worker.assign(queue.popleft())
        for conn in wait([w.conn for w in workers], timeout=_next_deadline(workers, timeout)):
            index = next(i for i, w in enumerate(workers) if w.conn is conn)
            workers[index] = _receive(workers[index], config, done)
        for index, worker in enumerate(workers):
            if worker.path is not None and time.monotonic() - worker.started > timeout:
                done(unreadable(worker.path, f"timed out after {timeout:g} s", cacheable=False))
                worker.stop(kill=True)
                workers[index] = _Worker(config)


def _receive(worker: _Worker, config: ProbeConfig, done: Done) -> _Worker:
    """Handle one message; returns the worker to keep (a fresh one if it died)."""
    try:
        kind, payload = worker.conn.recv()
    except (EOFError, OSError):
        if not worker.ready:  # died while importing: respawning would only loop
            worker.stop(kill=True)
            raise MediaError(None, "the media probe worker failed to start") from None
        if worker.path is not None:
            done(unreadable(worker.path, "the probe process crashed", cacheable=False))
        worker.path = None
        worker.stop(kill=True)
        return _Worker(config)
    if kind == "ready":
        worker.ready = True
    else:
        worker.path = None
        done(FileProbe.from_json(payload))
    return worker


def _next_deadline(workers: list[_Worker], timeout: float) -> float | None:
    busy = [w.started + timeout for w in workers if w.path is not None]
    if not busy:
        return None  # only waiting for workers to become ready
    return max(0.0, min(busy) - time.monotonic()) + 0.01


def run_inline(paths: Iterable[str], config: ProbeConfig, done: Done) -> None:
    """The same work in this process, without a time limit (for debugging and tiny runs)."""
    prober = FileProber(config)
    for path in paths:
        done(prober.probe(path))
