"""Check many timelines: a local process pool by default or a Dask cluster; a progress bar
on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from aiclear.model import Report, TimelineResult
from aiclear.scan.core import scan_file
from aiclear.scan.executors import LOCAL, ExecutorSpec, dask_results, detach
from aiclear.scan.settings import ScanSettings

SettingsFactory = Callable[[], ScanSettings]


def scan_paths(paths: Iterable[Path], make_settings: SettingsFactory, jobs: int = 1,
               executor: ExecutorSpec = LOCAL) -> Report:
    """Scan every file; results come back in the order of ``paths``.

    ``make_settings`` builds the settings inside each worker process (media probers and
    ledger connections do not cross process boundaries). ``executor`` is the local
    process pool (``jobs`` workers) or a Dask cluster (its workers decide the parallelism).
    """
    files = list(paths)
    settings = make_settings()  # also validates profile and registers before any worker starts
    report = Report(profile=settings.profile.name)
    if executor.kind == "dask" and executor.address and files:
        for results in _progress(dask_results(executor.address, files, make_settings), len(files)):
            report.timelines.extend(results)
        return report
    if jobs <= 1 or len(files) <= 1:
        for results in _progress(map(lambda p: scan_file(p, settings), files), len(files)):
            report.timelines.extend(results)
        return report
    from concurrent.futures import ProcessPoolExecutor  # only for a pool (~0.02 s)

    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=(make_settings,)) as pool:
        chunks = max(1, min(32, len(files) // (jobs * 4)))
        for results in _progress(pool.map(_scan_in_worker, files, chunksize=chunks), len(files)):
            report.timelines.extend(results)
    return report


_WORKER_SETTINGS: ScanSettings | None = None


def _init_worker(make_settings: SettingsFactory) -> None:
    global _WORKER_SETTINGS
    _WORKER_SETTINGS = make_settings()


def _scan_in_worker(path: Path) -> list[TimelineResult]:
    assert _WORKER_SETTINGS is not None
    return detach(scan_file(path, _WORKER_SETTINGS))  # OTIO objects stay in the worker


def _progress(items: Iterable[list[TimelineResult]], total: int) -> Iterable[list[TimelineResult]]:
    if total < 2 or not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("checking", total=total)
        for item in items:
            bar.advance(task)
            yield item
