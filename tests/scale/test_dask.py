"""`aiclear check --executor dask://HOST:PORT` on a real LocalCluster: the same report."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiclear.cli import main
from aiclear.errors import ExecutorError, UsageError
from aiclear.scan import executors
from tests.conftest import SAMPLES

distributed = pytest.importorskip("distributed")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import gen  # noqa: E402 - the benchmark's timeline generator


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local:
        yield local.scheduler_address.replace("tcp://", "dask://")


@pytest.fixture
def inputs(tmp_path: Path) -> list[str]:
    big = gen.write_timeline(tmp_path / "generated_3000.otio", 3000, seed=7)
    broken = tmp_path / "broken.otio"
    broken.write_text("{not json")
    return [str(SAMPLES), str(big), str(broken), str(tmp_path / "missing.otio")]


def _check(args: list[str], out: Path) -> tuple[int, dict]:
    code = main(["check", *args, "--register", str(SAMPLES / "register.yaml"),
                 "--format", "json", "-o", str(out)])
    return code, json.loads(out.read_text())


def test_dask_report_is_identical_to_local(cluster: str, inputs: list[str], tmp_path: Path) -> None:
    local_code, local = _check(inputs, tmp_path / "local.json")
    dask_code, remote = _check([*inputs, "--executor", cluster], tmp_path / "dask.json")
    assert (tmp_path / "local.json").read_text() == (tmp_path / "dask.json").read_text()
    assert dask_code == local_code == 2  # the unreadable files make it an input error
    assert remote == local
    paths = [t["path"] for t in remote["timelines"]]
    assert paths[-2:] == inputs[-2:]  # order kept, errors reported under the given path
    assert [t["verdict"] for t in remote["timelines"][-2:]] == ["error", "error"]
    generated = next(t for t in remote["timelines"] if t["path"] == inputs[1])
    assert len(generated["segments"]) > 50  # a real scan happened on the workers


def test_relative_paths_are_reported_as_given(cluster: str, inputs: list[str], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SAMPLES.parent)
    rel = ["sample_timelines/genai_names.edl", "sample_timelines/nested_compound.otio", "nope.otio"]
    _, local = _check(rel, tmp_path / "local.json")
    _, remote = _check([*rel, "--executor", cluster], tmp_path / "dask.json")
    assert remote == local
    assert [t["path"] for t in remote["timelines"]] == rel
    assert "nope.otio" in remote["timelines"][-1]["error"]
    assert str(SAMPLES.parent) not in remote["timelines"][-1]["error"]


def test_executor_argument_is_checked(capsys: pytest.CaptureFixture[str]) -> None:
    assert executors.parse_executor("local") == executors.LOCAL
    assert executors.parse_executor("dask://sched.example:8786").address == "tcp://sched.example:8786"
    assert executors.parse_executor("dask+tls://10.0.0.5:8786").address == "tls://10.0.0.5:8786"
    for bad in ("dask://host", "dask://host:0", "dask://host:70000", "tcp://host:8786", "Dask"):
        with pytest.raises(UsageError, match="dask://HOST:PORT"):
            executors.parse_executor(bad)
    assert main(["check", str(SAMPLES), "--executor", "dask://nohost"]) == 2
    assert "--executor" in capsys.readouterr().err


def test_unreachable_scheduler_is_one_line_error(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(ExecutorError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        list(executors.dask_results("tcp://127.0.0.1:9", [SAMPLES / "clean_cut.otio"],
                                    lambda: None))  # type: ignore[arg-type, return-value]
    assert main(["check", str(SAMPLES / "clean_cut.otio"), "--executor", "dask://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("aiclear: error: cannot reach the Dask scheduler")


def test_media_evidence_is_probed_on_the_workers(cluster: str, tmp_path: Path) -> None:
    """Media hashing and probing run inside each timeline's task on the cluster."""
    import shutil
    import subprocess

    import opentimelineio as otio

    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    media = tmp_path / "media" / "plate_0420.mp4"
    media.parent.mkdir()
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-nostdin", "-f", "lavfi", "-i",
                    "testsrc=size=64x36:rate=24:duration=1", "-pix_fmt", "yuv420p", str(media)],
                   check=True)
    rng = otio.opentime.TimeRange(otio.opentime.RationalTime(0, 24), otio.opentime.RationalTime(24, 24))
    paths = []
    for i in range(3):
        timeline = otio.schema.Timeline(f"cut{i}")
        track = otio.schema.Track("V1")
        track.append(otio.schema.Clip(f"GENAI_plate_{i}", otio.schema.ExternalReference(
            target_url=media.as_uri(), available_range=rng), rng))
        timeline.tracks.append(track)
        path = tmp_path / f"cut{i}.otio"
        otio.adapters.write_to_file(timeline, str(path),
                                    hook_function_argument_map={"aiclear": {"intent": "off"}})
        paths.append(str(path))
    _, local = _check(paths, tmp_path / "local.json")
    _, remote = _check([*paths, "--executor", cluster], tmp_path / "dask.json")
    assert remote == local
    for timeline in remote["timelines"]:
        [segment] = timeline["segments"]
        assert segment["asset_id"].startswith("blake3:")  # the file was hashed by a worker
        assert segment["media"].endswith("plate_0420.mp4")
