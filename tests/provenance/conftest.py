"""A small production made at test time: a C2PA test PKI (root -> intermediate -> signer,
scripts/demo_pki.py), a camera clip and a C2PA-signed AI clip rendered by ffmpeg, a
timeline cutting them, a ledger with an admin, a legal clearer and an editor, and the
master rendered from the timeline by ffmpeg."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import opentimelineio as otio
import pytest

from tests.ledger.conftest import keys, ledger  # noqa: F401 - the ledger tests' fixtures
from tests.ledger.ledger_helpers import run
from tests.media import media_gen as g

ROOT = Path(__file__).resolve().parents[2]
RATE = 24
RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange


def _demo_pki() -> Any:
    spec = importlib.util.spec_from_file_location("demo_pki", ROOT / "scripts" / "demo_pki.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["demo_pki"] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def video(path: Path, seconds: float, source: str = "testsrc") -> Path:
    g.ffmpeg("-f", "lavfi", "-i", f"{source}=size=64x48:rate={RATE}:duration={seconds}",
             "-c:v", "libx264", "-pix_fmt", "yuv420p", str(path))
    return path


@dataclass(frozen=True)
class Sources:
    folder: Path
    pki: Any
    camera: Path
    ai: Path


@pytest.fixture(scope="session")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    g.need("ffmpeg")
    folder = tmp_path_factory.mktemp("sources")
    pki = _demo_pki().make_pki(folder / "pki", "Test Post House", "es256")
    camera = video(folder / "A001C003_camera.mp4", 2, "smptebars")
    plain = video(folder / "plain.mp4", 1)
    ai = g.sign(pki, plain, folder / "B007C001_plate.mp4", g.actions(
        g.created(g.TRAINED, {"name": "Example Text-to-Video Model", "version": "1.0"})))
    plain.unlink()
    return Sources(folder, pki, camera, ai)


def clip(name: str, media: Path, start: int, frames: int) -> otio.schema.Clip:
    return otio.schema.Clip(name, media_reference=otio.schema.ExternalReference(
        media.as_uri(), available_range=TR(RT(0, RATE), RT(48, RATE))),
        source_range=TR(RT(start, RATE), RT(frames, RATE)))


def cut(camera: Path, ai: Path, name: str = "reel 1") -> otio.schema.Timeline:
    """camera 0-24, the AI plate 24-48, camera again 48-60 (frames at 24 fps)."""
    tl = otio.schema.Timeline(name)
    tl.tracks.append(otio.schema.Track("V1", children=[
        clip("SC01_TK01", camera, 0, 24), clip("SC01_PLATE", ai, 0, 24),
        clip("SC01_TK02", camera, 24, 12)]))
    return tl


def render_master(camera: Path, ai: Path, out: Path, frames: tuple[int, int, int] = (24, 24, 12)
                  ) -> Path:
    """The cut rendered by ffmpeg: the same trims as the timeline, concatenated."""
    a, b, c = frames
    graph = (f"[0:v]trim=start_frame=0:end_frame={a},setpts=PTS-STARTPTS[a];"
             f"[1:v]trim=start_frame=0:end_frame={b},setpts=PTS-STARTPTS[b];"
             f"[2:v]trim=start_frame={a}:end_frame={a + c},setpts=PTS-STARTPTS[c];"
             "[a][b][c]concat=n=3:v=1:a=0[v]")
    g.ffmpeg("-i", str(camera), "-i", str(ai), "-i", str(camera), "-filter_complex", graph,
             "-map", "[v]", "-r", str(RATE), "-c:v", "libx264", "-pix_fmt", "yuv420p", str(out))
    return out


REGISTER = """aiclear_register: 1
production: Night Shift
assets:
  - id: REG-001
    match: {{file: {name}}}
    tool: Example Text-to-Video Model
    vendor: Example Labs
    version: "1.0"
    use: background_element
    lifecycle: final
    source_type: trainedAlgorithmicMedia
    people:
      - name: Maria Lopez
        consent: {{status: granted, ref: CONSENT-2026-014}}
"""


@dataclass
class Production:
    folder: Path
    sources: Sources
    timeline: Path
    ledger: str
    keys: Any
    capsys: Any

    def aiclear(self, *argv: Any) -> tuple[int, str, str]:
        return run(self.capsys, *argv)

    @property
    def register(self) -> Path:
        return self.folder / "register.yaml"

    def scan_args(self) -> list[str]:
        return ["--trust-anchors", str(self.sources.pki.root_pem), "--register", str(self.register)]


@pytest.fixture
def production(tmp_path: Path, sources: Sources, keys: Any, ledger: str,  # noqa: F811
               capsys: pytest.CaptureFixture[str]) -> Production:
    """A copy of the sources beside a timeline cutting them, and an initialised ledger
    (tests/ledger/conftest.py: admin, legal, producer and editor keys; outsider untrusted)."""
    camera = Path(shutil.copy(sources.camera, tmp_path / sources.camera.name))
    ai = Path(shutil.copy(sources.ai, tmp_path / sources.ai.name))
    path = tmp_path / "reel1.otio"
    cut(camera, ai).to_json_file(str(path))  # no hooks: the gate is not under test here
    (tmp_path / "register.yaml").write_text(REGISTER.format(name=ai.name))
    return Production(tmp_path, Sources(tmp_path, sources.pki, camera, ai), path, ledger, keys,
                      capsys)
