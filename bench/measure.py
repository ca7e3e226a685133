"""Run one command in a child process and measure it: wall time, CPU time, peak memory.

CPU time (user + system of the child) and peak RSS come from ``os.wait4``'s rusage,
so they describe exactly that process. Wall time includes waiting for the CPU, which on
a shared machine says as much about the neighbours as about us; both are reported.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PY = sys.executable
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # seconds, user + system
    rss_mb: float  # peak resident set size


def tool(name: str) -> str:
    """A console script installed beside this interpreter (the venv's), else on PATH."""
    local = BIN / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"bench: {name} is not installed (pip install -e '.[all]')")
    return found


#: the children may cache bytecode, as every installed package has it: with
#: PYTHONDONTWRITEBYTECODE set (as on some CI machines) each run compiles aiclear again,
#: ~0.1 s that no user pays
BASE_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
#: OTIO without any entry-point plugin: no aiclear hooks (and no other adapters, which a
#: .otio read does not need), i.e. what a plain read costs a site without aiclear
PLAIN_OTIO = {**BASE_ENV, "OTIO_DISABLE_ENTRYPOINTS_PLUGINS": "1"}
#: aiclear as users run it, with two hostile-input limits raised for the 200k-clip
#: timeline: its size (~480 MB of JSON > 256 MB) and its length (~115 h > 100 h)
CHECK_ENV = {**BASE_ENV, "AICLEAR_MAX_TIMELINE_BYTES": str(4 * 2**30),
             "AICLEAR_MAX_SECONDS": str(10**7)}


def run(cmd: list[str], ok: tuple[int, ...] = (0,), env: dict[str, str] | None = None) -> Run:
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             env=BASE_ENV if env is None else env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if child.stderr:
        child.stderr.close()
    if code not in ok:
        raise SystemExit(f"bench: {' '.join(cmd)} exited {code}: {err.strip()[-500:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def best(runs: list[Run]) -> Run:
    """The least disturbed of repeated runs: minimum of each measure."""
    return Run(min(r.wall for r in runs), min(r.cpu for r in runs), min(r.rss_mb for r in runs))


def median(runs: list[Run]) -> Run:
    """The typical run: median of each measure (reported beside the best)."""
    return Run(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
               statistics.median(r.rss_mb for r in runs))


def compile_package() -> None:
    """Write aiclear's bytecode once, as an install does, before anything is timed."""
    import compileall

    import aiclear

    compileall.compile_dir(str(Path(aiclear.__file__).parent), quiet=1)


def plain_read(path: Path) -> list[str]:
    return [PY, "-c", "import sys, opentimelineio as otio; otio.adapters.read_from_file(sys.argv[1])",
            str(path)]


def check(paths: list[Path], out: Path, jobs: int = 1, executor: str | None = None,
          extra: list[str] | None = None) -> list[str]:
    cmd = [tool("aiclear"), "check", *map(str, paths), "--format", "json", "-o", str(out),
           "--jobs", str(jobs)]
    return cmd + (["--executor", executor] if executor else []) + (extra or [])


def list_clips(path: Path) -> list[str]:
    return [tool("otiotool"), "-i", str(path), "--list-clips"]


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} / {five:.1f} (1 / 5 min) on {os.cpu_count()} cores"
