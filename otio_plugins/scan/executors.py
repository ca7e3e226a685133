"""Where batch checks run: ``local`` (a process pool, the default) or ``dask://HOST:PORT``.

On Dask every timeline file is one task on an existing cluster's workers. A task builds
the scan settings from the picklable ``SettingsSpec`` (once per worker process), scans
the file and sends back its results without the OTIO objects, exactly as the local
pool's workers do, so the report is the same. Results come back in the order of the
files. Workers read the files themselves: they need the same paths (a shared file
system); relative paths are made absolute against the client's working folder and
reported as given.
"""

from __future__ import annotations

import os
import pickle
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from aiclear.errors import ExecutorError, UsageError
from aiclear.model import Finding, TimelineResult
from aiclear.scan.core import error_result, scan_file
from aiclear.scan.settings import ScanSettings

SettingsFactory = Callable[[], ScanSettings]
_ADDRESS = re.compile(r"^dask(\+tls)?://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(?P<port>\d{1,5})$")
CONNECT_TIMEOUT = "20s"


@dataclass(frozen=True)
class ExecutorSpec:
    kind: str  # "local" | "dask"
    address: str | None = None  # the scheduler, as distributed spells it: tcp://host:port

    def __str__(self) -> str:
        return self.kind if self.address is None else self.address


LOCAL = ExecutorSpec("local")


def parse_executor(text: str) -> ExecutorSpec:
    """``local`` or ``dask://HOST:PORT`` (``dask+tls://HOST:PORT`` for a TLS scheduler)."""
    if text == "local":
        return LOCAL
    found = _ADDRESS.match(text)
    if not found or not 0 < int(found["port"]) < 65536:
        raise UsageError(f"--executor {text!r}: expected 'local' or dask://HOST:PORT "
                         "(e.g. dask://scheduler.example:8786)")
    scheme = "tls" if found.group(1) else "tcp"
    return ExecutorSpec("dask", f"{scheme}://{found['host']}:{found['port']}")


def dask_results(address: str, files: Sequence[Path], make_settings: SettingsFactory
                 ) -> Iterator[list[TimelineResult]]:
    """Scan ``files`` as tasks on the Dask scheduler at ``address``; in order."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--executor dask:// needs dask.distributed: "
                         "pip install 'aiclear[dask]'") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {err}") from None
    with client:
        given = [str(f) for f in files]
        readable = [os.path.abspath(f) for f in given]
        futures = client.map(scan_task, readable, given, make_settings=make_settings, pure=False)
        for future, label in zip(futures, given, strict=True):
            yield _result_of(future, label, make_settings)


def _result_of(future: object, label: str, make_settings: SettingsFactory) -> list[TimelineResult]:
    """A task's results; a task that failed (worker lost, ...) blocks its file."""
    try:
        return future.result()  # type: ignore[attr-defined]
    except Exception as err:  # noqa: BLE001 - fail closed: an unchecked file must block
        profile = _settings(make_settings).profile
        return [error_result(label, Path(label).stem, ExecutorError(f"task failed: {err}"), profile)]


_WORKER_SETTINGS: dict[bytes, ScanSettings] = {}


def _settings(make_settings: SettingsFactory) -> ScanSettings:
    """Settings built once per process for each distinct spec (profiles and registers parse once)."""
    key = pickle.dumps(make_settings)
    if key not in _WORKER_SETTINGS:
        _WORKER_SETTINGS[key] = make_settings()
    return _WORKER_SETTINGS[key]


def scan_task(path: str, label: str, make_settings: SettingsFactory) -> list[TimelineResult]:
    """One file checked on a worker: read ``path``, report it as ``label``."""
    results = detach(scan_file(Path(path), _settings(make_settings)))
    if path != label:
        for result in results:
            _relabel(result, path, label)
    return results


def detach(results: list[TimelineResult]) -> list[TimelineResult]:
    """Drop the OTIO objects and the media results (their re-hash callbacks), which stay in
    the worker process."""
    for result in results:
        result.timeline = None
        for segment in result.segments:
            segment.item = None
            segment.probe = None
    return results


def _relabel(result: TimelineResult, path: str, label: str) -> None:
    result.path = label if result.path == path else result.path
    if result.error:
        result.error = result.error.replace(path, label)
    result.findings = [_relabelled(f, path, label) for f in result.findings]
    for segment in result.segments:
        segment.findings = [_relabelled(f, path, label) for f in segment.findings]


def _relabelled(finding: Finding, path: str, label: str) -> Finding:
    if path not in finding.message:
        return finding
    return replace(finding, message=finding.message.replace(path, label))
