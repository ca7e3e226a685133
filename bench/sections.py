"""The benchmark's measurements, one function per question; each returns plain data.

Every ratio is measured side by side in one run: the commands being compared run in
turn, repeated, and the least disturbed run of each counts (bench/measure.py).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import gen
import measure

HERE = Path(__file__).resolve().parent


def scaling(cache: Path, sizes: list[int], repeat: int) -> list[dict[str, Any]]:
    """check vs plain read vs otiotool --list-clips, per timeline size."""
    rows = []
    for clips in sizes:
        path = gen.write_timeline(cache / f"timeline_{clips}.otio", clips)
        out = cache / f"report_{clips}.json"
        runs: dict[str, list[measure.Run]] = {"read": [], "check": [], "nomedia": [], "otiotool": []}
        for _ in range(repeat):  # interleaved, so a busy spell hits all of them alike
            runs["read"].append(measure.run(measure.plain_read(path), env=measure.PLAIN_OTIO))
            runs["check"].append(measure.run(measure.check([path], out), ok=(0, 1),
                                             env=measure.CHECK_ENV))
            runs["nomedia"].append(measure.run(measure.check([path], out, extra=["--no-media"]),
                                               ok=(0, 1), env=measure.CHECK_ENV))
            runs["otiotool"].append(measure.run(measure.list_clips(path), env=measure.PLAIN_OTIO))
        best = {k: measure.best(v) for k, v in runs.items()}
        typical = {k: measure.median(v) for k, v in runs.items()}
        rows.append({"clips": clips, "mb": round(path.stat().st_size / 2**20, 1),
                     **{f"{k}_{m}": round(getattr(r, m), 3) for k, r in best.items()
                        for m in ("wall", "cpu", "rss_mb")},
                     **{f"{k}_cpu_median": round(r.cpu, 3) for k, r in typical.items()}})
        print(f"  {clips:>7} clips: read {best['read'].cpu:6.2f} s cpu, check {best['check'].cpu:6.2f}"
              f" (--no-media {best['nomedia'].cpu:6.2f}), "
              f"otiotool {best['otiotool'].cpu:6.2f}; peak MB read {best['read'].rss_mb:.0f}, "
              f"check {best['check'].rss_mb:.0f}", flush=True)
    return rows


def startup(repeat: int) -> dict[str, Any]:
    """--version, a one-clip check ÷ its plain read, and the hooks in otioconvert."""
    done = subprocess.run([measure.PY, str(HERE / "startup.py"), "--repeat", str(repeat)],
                          check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout))


def phases(cache: Path, clips: int) -> dict[str, Any]:
    """CPU µs per clip of each part of the scan (bench/phases.py in its own process)."""
    path = gen.write_timeline(cache / f"timeline_{clips}.otio", clips)
    done = subprocess.run([measure.PY, str(HERE / "phases.py"), str(path)], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout)


def batch(cache: Path, files: int, clips: int, repeat: int) -> dict[str, Any]:
    """Throughput of --jobs 2 over --jobs 1 on many small timelines; reports must match.

    Wall time is what the target is about, but on a shared machine other people's work
    takes the second core. So the run also records CPU time of the main process apart
    from its pool workers, and projects the speed-up on two idle cores by Amdahl's law,
    counting all of the main process's work as serial: jobs1 CPU ÷ (main + workers / 2).
    """
    folder = cache / f"batch_{files}x{clips}"
    gen.write_batch(folder, files, clips)
    outs = {jobs: cache / f"batch_j{jobs}.json" for jobs in (1, 2)}
    runs: dict[int, list[measure.Run]] = {1: [], 2: []}
    split: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    for _ in range(repeat):
        for jobs in (1, 2):
            cpu_file = cache / f"batch_cpu_j{jobs}.json"
            cmd = [measure.PY, str(HERE / "cpu_split.py"), str(cpu_file),
                   *measure.check([folder], outs[jobs], jobs=jobs)[1:]]
            runs[jobs].append(measure.run(cmd, ok=(0, 1)))
            split[jobs].append(json.loads(cpu_file.read_text()))
    same = outs[1].read_text() == outs[2].read_text()
    one, two = measure.best(runs[1]), measure.best(runs[2])
    serial = min(s["parent"] + s["workers"] for s in split[1])
    parent = min(s["parent"] for s in split[2])
    workers = min(s["workers"] for s in split[2])
    return {"files": files, "clips": clips, "jobs1_wall": round(one.wall, 3),
            "jobs2_wall": round(two.wall, 3), "speedup": round(one.wall / two.wall, 3),
            "jobs1_cpu": round(serial, 3), "jobs2_parent_cpu": round(parent, 3),
            "jobs2_workers_cpu": round(workers, 3),
            "projected": round(serial / (parent + workers / 2), 3), "identical": same}


def _script(name: str, args: list[str], pattern: str) -> dict[str, Any]:
    """Run a sibling benchmark script (another engineer's) and pick its ratio out."""
    script = HERE / name
    if not script.exists():
        return {"ratio": None, "note": f"n/a (bench/{name} not on main yet)"}
    done = subprocess.run([measure.PY, str(script), *args], capture_output=True, text=True)
    found = re.search(pattern, done.stdout)
    if done.returncode != 0 or not found:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return {"ratio": None, "note": f"failed: {tail[0][:200]}"}
    return {"ratio": float(found.group(1)), "note": "", "output": done.stdout.strip()}


def media(quick: bool) -> dict[str, Any]:
    try:
        import aiclear.media  # noqa: F401 - only asks whether it is installed
    except ImportError:
        return {"ratio": None, "note": "n/a (media evidence not on main yet)"}
    args = ["--files", "40" if quick else "1000"]
    return _script("media_bench.py", args, r"warm/cold ratio:\s*([0-9.]+)")


def panel(quick: bool) -> dict[str, Any]:
    try:
        import PySide6  # noqa: F401 - the panel needs Qt
    except ImportError:
        return {"ratio": None, "note": "n/a (PySide6 not installed)"}
    return _script("panel_bench.py", ["2000" if quick else "50000"],
                   r"interactive:.*?ratio\s*([0-9.]+)x")


def tmp_cache() -> Path:
    return Path(tempfile.mkdtemp(prefix="aiclear-bench-"))


if __name__ == "__main__":
    sys.exit("run bench/run.py")
