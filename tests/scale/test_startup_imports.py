"""Start-up stays cheap: what `aiclear --version`, a one-clip `check` and an OTIO read
and write with aiclear's hooks import (not timed: the modules are what costs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import opentimelineio as otio
import pytest

RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange
#: loaded only when they have work: a ledger file, media on disk, a profile or register
#: file to validate, an AAF file, a process pool (ElementTree is not listed: OTIO's own
#: plugin loading imports it for the xges adapter's schemadef)
HEAVY = ("sqlalchemy", "alembic", "av", "c2pa", "cryptography.x509", "jsonschema", "aaf2",
         "concurrent.futures.process", "sqlite3", "multiprocessing")

RUN = """
import contextlib, io, json, sys
{body}
print(json.dumps(sorted(sys.modules)))
"""


def _modules(body: str, cwd: Path) -> set[str]:
    done = subprocess.run([sys.executable, "-c", RUN.format(body=body)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture
def one_clip(tmp_path: Path) -> Path:
    timeline = otio.schema.Timeline("one")
    track = otio.schema.Track("V1")
    ref = otio.schema.ExternalReference("file:///nowhere/A001C003.mov", TR(RT(0, 24), RT(96, 24)))
    track.append(otio.schema.Clip("A001C003", ref, TR(RT(0, 24), RT(48, 24))))
    timeline.tracks.append(track)
    path = tmp_path / "one.otio"
    otio.adapters.write_to_file(timeline, str(path),
                                hook_function_argument_map={"aiclear": {"intent": "off"}})
    return path


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in HEAVY if m in modules)


def test_version_imports_no_command_and_not_otio(tmp_path: Path) -> None:
    got = _modules("from aiclear.cli import main\n"
                   "with contextlib.redirect_stdout(io.StringIO()): main(['--version'])", tmp_path)
    assert "opentimelineio" not in got
    assert not [m for m in got if m.startswith("aiclear.") and m != "aiclear.cli"]


def test_one_clip_check_loads_nothing_it_does_not_use(one_clip: Path) -> None:
    got = _modules("from aiclear.cli import main\n"
                   "with contextlib.redirect_stdout(io.StringIO()):\n"
                   "    assert main(['check', 'one.otio']) == 0", one_clip.parent)
    assert "aiclear.scan" in got and "aiclear.media.prober" in got  # it did check, with media
    assert _heavy(got) == []


def test_the_hooks_in_an_otio_read_and_write_load_no_ledger_or_media_library(
        one_clip: Path) -> None:
    got = _modules("import opentimelineio as otio\n"
                   "tl = otio.adapters.read_from_file('one.otio')\n"
                   "otio.adapters.write_to_file(tl, 'out.otio')", one_clip.parent)
    assert "aiclear.gate.onread" in got and "aiclear.gate.decision" in got  # both hooks ran
    assert _heavy(got) == []


def test_a_check_with_its_own_profile_and_register_still_validates_them(
        one_clip: Path) -> None:
    (one_clip.parent / "house.yaml").write_text("aiclear_profile: 1\nname: house\n"
                                                "extends: baseline\n", encoding="utf-8")
    (one_clip.parent / "reg.yaml").write_text("aiclear_register: 1\nassets: []\n",
                                              encoding="utf-8")
    got = _modules("from aiclear.cli import main\n"
                   "with contextlib.redirect_stdout(io.StringIO()):\n"
                   "    assert main(['check', 'one.otio', '--profile', 'house.yaml',"
                   " '--register', 'reg.yaml', '--no-media']) == 0", one_clip.parent)
    assert "jsonschema" in got
