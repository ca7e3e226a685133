"""Where batch checks run: ``local`` (a process pool, the default) or ``dask://HOST:PORT``.

On Dask every timeline file is one task on an existing cluster's workers. A task builds
the scan settings from the picklable ``SettingsSpec`` (once per worker process), scans
the file and sends back its results without the OTIO objects, exactly as the local
pool's workers do, so the report is the same. Results come back in the order of the
files. Workers read the timelines and media themselves: they need the same paths (a
shared file system); relative paths are made absolute against the client's working folder
and reported as given. What the check depends on besides those travels with each task:
the profile and registers already read (``SettingsSpec.for_cluster``), the other path
options made absolute, and the client's limits and ledger variables (``CLIENT_ENV``), so
a worker in another folder, or started with another environment, gives the local report.
"""

from __future__ import annotations

import os
import pickle
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from aiclear.errors import ExecutorError, UsageError
from aiclear.model import Finding, TimelineResult
from aiclear.safety import limits
from aiclear.scan.core import error_result, scan_file
from aiclear.scan.settings import ScanSettings

if TYPE_CHECKING:  # annotations only: dask.distributed is optional (aiclear[dask])
    from distributed import Future

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
        # sent once to every worker, not inside each of a thousand tasks (registers can be big)
        shared = client.scatter(make_settings, broadcast=True, hash=False)
        futures = client.map(scan_task, readable, given, make_settings=shared,
                             env=client_environment(), pure=False)
        for future, label in zip(futures, given, strict=True):
            yield _result_of(future, label, make_settings)


def _result_of(future: Future, label: str, make_settings: SettingsFactory) -> list[TimelineResult]:
    """A task's results; a task that failed (worker lost, ...) blocks its file."""
    try:
        results: list[TimelineResult] = future.result()
        return results
    except Exception as err:  # noqa: BLE001 - fail closed: an unchecked file must block
        profile = _settings(make_settings).profile
        return [error_result(label, Path(label).stem, ExecutorError(f"task failed: {err}"), profile)]


_WORKER_SETTINGS: dict[bytes, ScanSettings] = {}
#: what a check reads from the environment: the limits on hostile input and the ledger.
#: The client's values travel with every task, so a worker started with other ones (or
#: none) gives the client's report
CLIENT_ENV = (*(limit.env for limit in limits.ALL), "AICLEAR_LEDGER")
_ENV_LOCK = threading.Lock()  # os.environ is per process: one task's overlay at a time


def client_environment() -> dict[str, str | None]:
    """The client's ``CLIENT_ENV`` values (None: unset); a ledger file path made absolute."""
    env = {name: os.environ.get(name) for name in CLIENT_ENV}
    ledger = (env.get("AICLEAR_LEDGER") or "").strip()
    if ledger and "://" not in ledger:
        env["AICLEAR_LEDGER"] = os.path.abspath(os.path.expanduser(ledger))
    return env


@contextmanager
def _environment(env: Mapping[str, str | None]) -> Iterator[None]:
    """Run with ``env`` applied to this process's environment, then restore it."""
    with _ENV_LOCK:
        saved = {name: os.environ.get(name) for name in env}
        _apply(env)
        try:
            yield
        finally:
            _apply(saved)


def _apply(env: Mapping[str, str | None]) -> None:
    for name, value in env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _settings(make_settings: SettingsFactory, env: Mapping[str, str | None] | None = None
              ) -> ScanSettings:
    """Settings built once per process for each distinct spec (profiles and registers parse once)."""
    key = pickle.dumps((make_settings, sorted((env or {}).items())))
    if key not in _WORKER_SETTINGS:
        _WORKER_SETTINGS[key] = make_settings()
    return _WORKER_SETTINGS[key]


def scan_task(path: str, label: str, make_settings: SettingsFactory,
              env: Mapping[str, str | None] | None = None) -> list[TimelineResult]:
    """One file checked on a worker: read ``path``, report it as ``label``, in the
    client's environment ``env`` (``client_environment()``)."""
    with _environment(env or {}):
        results = detach(scan_file(Path(path), _settings(make_settings, env)))
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
