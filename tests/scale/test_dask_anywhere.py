"""`check --executor dask://…` from any folder: relative timelines, register, profile and
media roots give the local report on workers started in another folder, with another
environment (a limit that would refuse the timeline, a ledger that does not exist), on a
real LocalCluster and on `dask scheduler` + `dask worker` processes (loopback only)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.cli import main

distributed = pytest.importorskip("distributed")

RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange
#: what the workers' own environment says: either would change the report if it counted
WORKER_ENV = {"AICLEAR_MAX_SECONDS": "1", "AICLEAR_LEDGER": "/nonexistent/aiclear-ledger.sqlite"}
ARGS = ["edit/cut.otio", "edit/second.otio", "--register", "register.yaml", "--profile",
        "house.yaml", "--media-root", "media", "--format", "json"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder whose command line uses relative paths only."""
    root = tmp_path / "project"
    (root / "edit").mkdir(parents=True)
    (root / "media" / "shots").mkdir(parents=True)
    (root / "profile_media").mkdir()
    (root / "media" / "shots" / "plate_0420.mov").write_bytes(b"not really a movie")
    (root / "profile_media" / "insert_07.mov").write_bytes(b"another file")
    (root / "register.yaml").write_text(
        "aiclear_register: 1\nproduction: Anywhere\nassets:\n"
        "  - id: REG-9\n    match: {file: plate_0420.mov}\n    tool: Runway Gen-4\n"
        "    use: background_element\n    source_type: trainedAlgorithmicMedia\n",
        encoding="utf-8")
    # the profile's own media root is relative to the profile file, not to anyone's folder
    (root / "house.yaml").write_text(
        "aiclear_profile: 1\nname: house\nextends: baseline\n"
        "media:\n  media_roots: [profile_media]\n", encoding="utf-8")
    for name, clips in (("cut", ["shots/plate_0420.mov", "GENAI_sky_v3.mov", "A001C002.mov"]),
                        ("second", ["insert_07.mov", "midjourney_matte_04.mov"])):
        timeline = otio.schema.Timeline(name)
        track = otio.schema.Track("V1")
        for clip in clips:  # 2 s each: over the workers' AICLEAR_MAX_SECONDS=1
            ref = otio.schema.ExternalReference(clip, TR(RT(0, 24), RT(96, 24)))
            track.append(otio.schema.Clip(Path(clip).stem, ref, TR(RT(0, 24), RT(48, 24))))
        timeline.tracks.append(track)
        otio.adapters.write_to_file(timeline, str(root / "edit" / f"{name}.otio"),
                                    hook_function_argument_map={"aiclear": {"intent": "off"}})
    return root


def _reports(project: Path, address: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    monkeypatch.chdir(project)
    for name in WORKER_ENV:
        monkeypatch.delenv(name, raising=False)
    local_code = main(["check", *ARGS, "-o", "local.json"])
    dask_code = main(["check", *ARGS, "-o", "dask.json", "--executor",
                      address.replace("tcp://", "dask://")])
    assert dask_code == local_code == 1  # provisional AI blocks; nothing failed to run
    return (project / "local.json").read_text(), (project / "dask.json").read_text()


def _assert_same(local: str, remote: str) -> None:
    assert remote == local
    report = json.loads(remote)
    assert [t["path"] for t in report["timelines"]] == ["edit/cut.otio", "edit/second.otio"]
    assert all(t["error"] is None for t in report["timelines"])
    cut, second = report["timelines"]
    plate = next(s for s in cut["segments"] if s["clip"] == "plate_0420")
    assert plate["evidence"][0]["register"] == "register.yaml"  # labelled as given
    assert plate["media"].endswith("media/shots/plate_0420.mov")  # found under --media-root
    insert = [s for s in second["segments"] if s["clip"] == "midjourney_matte_04"]
    assert insert and report["profile"] == "house (over baseline)"  # a local file only adds to its base
    media = [f for f in second["findings"] if f["rule"] == "media.unprobed"]
    assert media and "1 unreadable" in media[0]["message"]  # found by the profile's root


def test_local_cluster_started_elsewhere(project: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the worker processes start here, with WORKER_ENV
    for name, value in WORKER_ENV.items():
        monkeypatch.setenv(name, value)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster:
        local, remote = _reports(project, cluster.scheduler_address, monkeypatch)
    _assert_same(local, remote)


@pytest.fixture
def dask_processes(tmp_path: Path) -> Iterator[str]:
    """`dask scheduler` and `dask worker` in their own folders and environment."""
    dask = str(Path(sys.executable).parent / "dask")
    if not Path(dask).exists():
        pytest.skip("the dask command is not installed beside this Python")
    env = {**os.environ, **WORKER_ENV, "HOME": str(tmp_path / "worker_home"),
           "XDG_CACHE_HOME": str(tmp_path / "worker_home" / "cache")}
    folders = {name: tmp_path / name for name in ("scheduler_dir", "worker_dir")}
    for folder in folders.values():
        folder.mkdir()
    address_file = tmp_path / "scheduler.json"
    started: list[subprocess.Popen[bytes]] = []
    try:
        started.append(subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(address_file)],
            cwd=folders["scheduler_dir"], env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL))
        address = _wait_for_address(address_file, started[0])
        started.append(subprocess.Popen(
            [dask, "worker", address, "--nworkers", "1", "--nthreads", "1", "--host",
             "127.0.0.1", "--no-dashboard", "--local-directory", str(folders["worker_dir"])],
            cwd=folders["worker_dir"], env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL))
        with distributed.Client(address, timeout="30s", set_as_default=False) as client:
            client.wait_for_workers(1, timeout=90)
            [worker_cwd] = client.run(os.getcwd).values()
            assert worker_cwd == str(folders["worker_dir"])
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_for_address(path: Path, scheduler: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if scheduler.poll() is not None:
            pytest.fail(f"dask scheduler exited {scheduler.returncode}")
        if path.exists():
            try:
                return str(json.loads(path.read_text())["address"])
            except (ValueError, KeyError):
                pass  # written but not complete yet
        time.sleep(0.2)
    pytest.fail("dask scheduler did not start within 90 s")


def test_scheduler_and_worker_processes_in_other_folders(
        project: Path, dask_processes: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert dask_processes.startswith("tcp://127.0.0.1:")  # loopback only
    local, remote = _reports(project, dask_processes, monkeypatch)
    _assert_same(local, remote)


def test_without_the_clients_environment_the_worker_would_refuse(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The attack the environment overlay stops: a task run in the worker's own
    environment (here a 1 s limit) would report differently from the client."""
    from aiclear.scan import executors
    from aiclear.scan.settings import SettingsSpec

    monkeypatch.chdir(project)
    spec = SettingsSpec("house.yaml", ("register.yaml",)).for_cluster()
    path = str(project / "edit" / "cut.otio")
    clean = {name: None for name in executors.CLIENT_ENV}
    [ok] = executors.scan_task(path, "edit/cut.otio", spec, env=clean)
    monkeypatch.setenv("AICLEAR_MAX_SECONDS", "1")
    [refused] = executors.scan_task(path, "edit/cut.otio", spec, env=dict(os.environ))
    [again] = executors.scan_task(path, "edit/cut.otio", spec, env=clean)
    assert ok.error is None and again.error is None and refused.error is not None
    assert os.environ["AICLEAR_MAX_SECONDS"] == "1"  # the worker's own value is restored
    assert executors.client_environment()["AICLEAR_MAX_SECONDS"] == "1"
