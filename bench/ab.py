"""Two builds of aiclear side by side: ``check`` CPU time on the same timelines, alternating.

    python bench/ab.py OLD/.venv/bin/aiclear NEW/.venv/bin/aiclear TIMELINE... [--runs 5]

Each run starts both builds in turn (the order flips every round, so a load change hits
both), takes the child's CPU time (user + system) and prints medians and new ÷ old with
and without ``--no-media``. A full ``bench/run.py`` takes each command twice, which on a
shared machine moves ratios by ±10 %; this is the comparison for "did a change make the
check slower". Timelines: bench/gen.py, or the ones ``bench/run.py --cache DIR`` keeps.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import tempfile


def _cpu(cmd: list[str], env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("old", help="the old build's aiclear executable")
    parser.add_argument("new", help="the new build's aiclear executable")
    parser.add_argument("timelines", nargs="+")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    builds = {"old": args.old, "new": args.new}
    # a fresh HOME: no pins, caches or remembered heads of the person running it
    env = dict(os.environ, HOME=tempfile.mkdtemp(prefix="aiclear-ab-"))
    for path in args.timelines:
        for extra in ([], ["--no-media"]):
            times: dict[str, list[float]] = {"old": [], "new": []}
            for i in range(args.runs):
                for who in ("old", "new") if i % 2 == 0 else ("new", "old"):
                    cmd = [builds[who], "check", path, "--format", "json", *extra]
                    times[who].append(_cpu(cmd, env))
            old, new = statistics.median(times["old"]), statistics.median(times["new"])
            print(f"{os.path.basename(path)}  check {' '.join(extra) or '':10s}  old {old:6.2f} s"
                  f"  new {new:6.2f} s  new/old {new / old:5.3f}"
                  f"  (best {min(times['old']):.2f} / {min(times['new']):.2f})", flush=True)


if __name__ == "__main__":
    main()
