"""Fixtures for the disclosure tests: the sample timeline scanned for real, profiles, media."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from aiclear.model import TimelineResult
from aiclear.policy.profile import Profile, load_profile
from aiclear.scan.core import scan_timeline
from aiclear.scan.settings import ScanSettings
from tests.disclose.builders import result_for, sample_timeline


@pytest.fixture
def documentary() -> Profile:
    return load_profile("documentary")


@pytest.fixture
def scanned(documentary: Profile) -> TimelineResult:
    """The sample timeline through the real scan (documentary profile, nothing cleared)."""
    return scan_timeline(sample_timeline(), ScanSettings(profile=documentary), "sample.otio")


@pytest.fixture
def sample() -> TimelineResult:
    """The sample timeline as hand-built segments, with ai_crowd cleared by legal."""
    return result_for(sample_timeline(), cleared=("ai_crowd",))


@pytest.fixture(scope="session")
def ffmpeg_bin() -> str:
    found = shutil.which("ffmpeg")
    if not found:
        pytest.skip("ffmpeg is not installed (apt-get install ffmpeg)")
    return found


@pytest.fixture(scope="session")
def reference_movie(tmp_path_factory: pytest.TempPathFactory, ffmpeg_bin: str) -> Path:
    """A 20 s, 320x180, 24 fps flat grey movie with a tone: the editor's reference export."""
    out = tmp_path_factory.mktemp("ref") / "reference.mov"
    subprocess.run(
        [ffmpeg_bin, "-v", "error", "-f", "lavfi", "-i", "color=c=0x505050:s=320x180:r=24:d=20",
         "-f", "lavfi", "-i", "sine=f=440:d=20", "-c:v", "libx264", "-pix_fmt", "yuv420p",
         "-qp", "0", "-c:a", "aac", "-shortest", str(out)],
        check=True, timeout=120)
    return out
