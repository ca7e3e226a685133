"""Crash safety: SIGKILL at random moments during ``tag -o``, ``disclose -o`` and ledger
writes leaves either no output or a complete, valid one, and a ledger that verifies
with every acknowledged decision in it (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import opentimelineio as otio
import pytest

from tests.hostile import corpus

pytestmark = pytest.mark.slow
ROUNDS = int(os.environ.get("AICLEAR_CRASH_ROUNDS", "4"))
EXE = shutil.which("aiclear") or str(Path(sys.executable).with_name("aiclear"))
RNG = random.Random(int(os.environ.get("AICLEAR_CRASH_SEED", "20261125")))


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(XDG_CACHE_HOME=str(tmp / "cache"), XDG_DATA_HOME=str(tmp / "data"),
               XDG_CONFIG_HOME=str(tmp / "config"))
    env.pop("AICLEAR_LEDGER", None)
    return env


def _kill_after(cmd: list[str], delay: float, env: dict[str, str]) -> bool:
    """Run ``cmd``; SIGKILL it after ``delay`` s. True when it was killed while running."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        return True


def _temps(out: Path) -> list[Path]:
    """The hidden temp files an atomic write of ``out`` makes beside it."""
    return [p for p in out.parent.iterdir() if p.name.startswith(f".{out.stem}.")]


def _kill_while_writing(cmd: list[str], out: Path, env: dict[str, str], limit: float) -> bool:
    """SIGKILL ``cmd`` the moment its temp output file appears. True when caught writing."""
    for stale in _temps(out):
        stale.unlink()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < deadline:
        if _temps(out):
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            return bool(_temps(out))  # still there: the rename had not happened
        time.sleep(0.0005)
    proc.kill()
    proc.wait(timeout=30)
    return False


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


def _crash_rounds(cmd: list[str], out: Path, valid: Callable[[Path], bool], tmp: Path,
                  old: bytes | None = None) -> int:
    """Kill ``cmd`` ROUNDS times at random moments (weighted to its late, writing phase), then
    ROUNDS times the moment its temp file appears (between write and rename).
    After each: ``out`` is absent (or still ``old``), or complete and valid."""
    env = _env(tmp)
    full = min(_timed(cmd, env), _timed(cmd, env))  # the first run also warms caches
    assert valid(out)
    killed = 0
    for _ in range(ROUNDS):
        if old is None:
            out.unlink(missing_ok=True)
        else:
            out.write_bytes(old)
        killed += _kill_after(cmd, RNG.uniform(0.3, 0.95) * full, env)
        if out.exists() and (old is None or out.read_bytes() != old):
            assert valid(out), f"partial output after SIGKILL: {out}"
    assert killed >= ROUNDS // 2  # most rounds really interrupted the command
    mid_write = 0
    for _ in range(ROUNDS):  # and kills aimed at the write itself
        if old is None:
            out.unlink(missing_ok=True)
        else:
            out.write_bytes(old)
        mid_write += _kill_while_writing(cmd, out, env, 3 * full + 5)
        if out.exists() and (old is None or out.read_bytes() != old):
            assert valid(out), f"partial output after SIGKILL while writing: {out}"
    return mid_write


@pytest.fixture(scope="module")
def big_cut(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cut with 3,000 clips, every third one AI, so the scan and the write take a while."""
    tl = otio.schema.Timeline("big", global_start_time=corpus.RT(86400, 24))
    track = otio.schema.Track("V1")
    for i in range(3000):
        name = f"GENAI_plate_{i}" if i % 3 == 0 else f"SC{i:04d}_TK01"
        ref = otio.schema.ExternalReference(target_url=f"/media/{name}.mov",
                                            available_range=corpus.TR(corpus.RT(0, 24), corpus.RT(100, 24)))
        track.append(otio.schema.Clip(name, media_reference=ref,
                                      source_range=corpus.TR(corpus.RT(0, 24), corpus.RT(12, 24))))
    tl.tracks.append(track)
    path = tmp_path_factory.mktemp("big") / "big.otio"
    tl.to_json_file(str(path))
    return path


def _tagged_ok(path: Path) -> bool:
    tl = otio.adapters.read_from_file(str(path), hook_function_argument_map=corpus.NO_TAG)
    clips = list(tl.find_clips())
    tagged = [c for c in clips if "aiclear" in c.metadata]
    return len(clips) == 3000 and len(tagged) == 1000


def test_sigkill_during_tag_leaves_no_partial_output(big_cut: Path, tmp_path: Path) -> None:
    out = tmp_path / "tagged.otio"
    assert _crash_rounds([EXE, "tag", str(big_cut), "-o", str(out), "--force"], out, _tagged_ok,
                         tmp_path) >= 1  # at least one kill landed between the write and the rename


def test_sigkill_during_tag_force_keeps_the_old_file_or_the_new(big_cut: Path, tmp_path: Path) -> None:
    out = tmp_path / "tagged.otio"
    old = corpus.base_timeline().to_json_string().encode()
    out.write_bytes(old)
    _crash_rounds([EXE, "tag", str(big_cut), "-o", str(out), "--force"], out, _tagged_ok, tmp_path,
                  old=old)


def _srt_ok(path: Path) -> bool:
    text = path.read_text()
    cues = re.findall(r"^\d+\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\n", text, re.M)
    return len(cues) > 0 and text.endswith("\n")


def test_sigkill_during_disclose_leaves_no_partial_output(big_cut: Path, tmp_path: Path) -> None:
    out = tmp_path / "captions.srt"
    cmd = [EXE, "disclose", str(big_cut), "--format", "srt", "-o", str(out)]
    _crash_rounds(cmd, out, _srt_ok, tmp_path)


# ------------------------------------------------------------------ the ledger

APPROVER = """
import sys
from aiclear.cli import main
key, ledger, first = sys.argv[1], sys.argv[2], int(sys.argv[3])
for n in range(first, first + 100000):
    code = main(["approve", "sha256:%064x" % n, "--key", key, "--ledger", ledger,
                 "--note", "crash test %d " % n + "x" * 500])
    if code:
        sys.exit(code)
    print("ACK %d" % n, flush=True)
"""




def _acks(stream: Any, count: int) -> list[str]:
    """Lines up to and including the ``count``-th acknowledgement."""
    lines: list[str] = []
    while sum(line.startswith("ACK ") for line in lines) < count:
        line = stream.readline()
        assert line, "the approver died: " + "".join(lines)
        lines.append(line)
    return lines


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], env=env, capture_output=True, text=True, timeout=120)


def _entries(env: dict[str, str], ledger: str) -> list[dict]:
    done = _cli(env, "ledger", "log", "--ledger", ledger, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_sigkill_during_ledger_writes_leaves_a_ledger_that_verifies(ledger_location: str,
                                                                    tmp_path: Path) -> None:
    env = _env(tmp_path)
    admin, legal = tmp_path / "admin.key", tmp_path / "legal.key"
    assert _cli(env, "keys", "new", "--name", "Ada", "--role", "admin", "-o", str(admin)).returncode == 0
    made = _cli(env, "keys", "new", "--name", "Lea", "--role", "legal", "-o", str(legal))
    assert made.returncode == 0
    assert _cli(env, "ledger", "init", "--production", "Crash", "--admin-key", str(admin),
                "--ledger", ledger_location).returncode == 0
    trusted = _cli(env, "keys", "trust", made.stdout.strip(), "--name", "Lea", "--role", "legal",
                   "--by", str(admin), "--ledger", ledger_location)
    assert trusted.returncode == 0, trusted.stderr
    acknowledged: set[int] = set()
    killed = 0
    first = 1
    for _ in range(ROUNDS):
        proc = subprocess.Popen([sys.executable, "-c", APPROVER, str(legal), ledger_location, str(first)],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        # let a few approvals through, then kill at a random moment inside the next ones
        lines = _acks(proc.stdout, RNG.randint(1, 3))
        time.sleep(RNG.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate(timeout=30)
        killed += proc.returncode == -signal.SIGKILL
        acknowledged |= {int(n) for n in re.findall(r"^ACK (\d+)$", "".join(lines + [rest]), re.M)}
        done = _cli(env, "ledger", "verify", "--ledger", ledger_location)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "chain intact, every signature valid" in done.stdout
        decisions = [e for e in _entries(env, ledger_location) if e["statement"].get("kind") == "decision"]
        assert all(e["valid"] for e in decisions)
        numbers = [int(e["statement"]["asset_id"].split(":")[1], 16) for e in decisions]
        assert len(numbers) == len(set(numbers))  # nothing written twice
        assert acknowledged <= set(numbers)  # every acknowledged decision survived the kill
        assert len(set(numbers) - acknowledged) <= 1  # at most the one in flight, committed
        acknowledged = set(numbers)
        first = max(numbers) + 1
    assert killed == ROUNDS
