"""A few hostile cases through the real console script: a separate process, a time limit
and an address-space limit, so a hang, a memory blow-up or a C-level crash (which no
in-process test can survive) shows up as a failure."""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.hostile import corpus

EXE = shutil.which("aiclear") or str(Path(sys.executable).with_name("aiclear"))
MEMORY = 2 * 1024**3  # address space per run: a billion-laughs expansion would need far more
DEEP_JSON = '{"OTIO_SCHEMA": "Clip.2", "name": "x", "metadata": ' + '{"a": ' * 200_000 + "1" + "}" * 200_001


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _run(*args: str, timeout: float = 60) -> tuple[int, str, str, float]:
    started = time.monotonic()
    proc = subprocess.run([EXE, *args], capture_output=True, text=True, timeout=timeout,
                          preexec_fn=_limit_memory)
    return proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started


def test_otio_itself_crashes_on_deep_json_which_is_why_we_guard(tmp_path: Path) -> None:
    """OTIO's JSON reader recurses in C++: deep enough input kills the process (SIGSEGV)."""
    path = tmp_path / "deep.otio"
    path.write_text(DEEP_JSON)
    code = ("import opentimelineio as otio, sys\n"
            f"otio.adapters.read_from_file({str(path)!r})\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert proc.returncode != 0  # -11 (SIGSEGV) with OTIO 0.18; an exception would also do


Maker = Callable[[Path], Path]
CASES: list[tuple[str, Maker, list[str], str]] = [
    ("deep-json", lambda f: (f / "deep.otio").write_text(DEEP_JSON) and f / "deep.otio", [],
     r":1: JSON nested deeper than 512 levels"),
    ("billion-laughs", lambda f: (f / "laughs.xml").write_text(corpus.billion_laughs()) and f / "laughs.xml",
     [], r":3: XML declares entities"),
    ("fifo-timeline", lambda f: corpus.make_fifo(f / "pipe.edl"), [], r": is a FIFO, not a regular file"),
    ("deep-stacks", lambda f: corpus.deep_stacks(f, "stacks.otio", 10_000), [], r":\d+: JSON nested deeper"),
]


@pytest.mark.parametrize(("name", "make", "extra", "problem"), CASES, ids=[c[0] for c in CASES])
def test_console_script_blocks_with_one_line(name: str, make: Maker, extra: list[str], problem: str,
                                             tmp_path: Path) -> None:
    path = make(tmp_path)
    code, out, err, took = _run("check", str(path), *extra)
    assert code == 2
    assert took < 30
    assert "Traceback" not in err and err.count("\n") == 1  # one line
    assert re.match(r"aiclear: error: " + re.escape(str(path)) + problem, err), err
    assert "ERROR" in out  # the report blocks the timeline too


@pytest.mark.parametrize("profile", [
    "aiclear_profile: 1\nname: x\ndescription:\n"
    + "".join(f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else 'lol'}]\n" for i in range(10)),
    "aiclear_profile: 1\nname: x\ndetect: " + "[" * 50_000 + "]" * 50_000 + "\n",
], ids=["alias-bomb", "deep-yaml"])
def test_console_script_refuses_hostile_profiles_in_bounded_memory(profile: str, tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(profile)
    code, out, err, took = _run("check", str(SAMPLES / "clean_cut.otio"), "--profile", str(path))
    assert (code, out) == (2, "")
    assert took < 30
    corpus.assert_error_line(err, path, r"\d+", "YAML (aliases expand to more than|nested deeper than 512 levels).+")


def test_console_script_gate_fails_closed_on_a_device(tmp_path: Path) -> None:
    code, out, err, _ = _run("gate", "/dev/zero")
    assert code == 2 and out.startswith("ERROR")
    corpus.assert_error_line(err, "/dev/zero", None, r"is a device, not a regular file \(expected a timeline file\)")
