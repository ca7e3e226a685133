"""The shared walk against the two traversals it replaced, side by side, in CPU time.

    python bench/walk_bench.py [--sizes 10000,50000] [--rounds 5] [--cache DIR]

For each size (bench/gen.py's conform-like timeline: four tracks, gaps, transitions,
nested compounds) prints the median and best CPU seconds (``time.process_time``; the
machine is shared) of:

- read: a plain OTIO read of the .otio file (the yardstick of every ratio);
- old scan walk: ``ClipPlace`` per clip, as ``check`` walked before (bench/legacy_walk.py);
- old lanes: the panel's own second traversal into frame lists (bench/legacy_walk.py);
- new check walk: ``walk.columns`` then the scan's places from the columns;
- new panel walk: ``walk.columns`` once, then the lanes and the scan's places from it.

The panel's open does both (lanes on open, the scan after), so its old cost is old scan
walk + old lanes. The phases run in a rotated order each round, so drift from the other
processes on the machine falls on all of them alike. Prints the two merge tests: the
panel walk no slower than old scan walk + old lanes, the check walk within ~3% of the old.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen  # noqa: E402 - bench modules sit beside this script
import legacy_walk  # noqa: E402
import opentimelineio as otio  # noqa: E402
from phases import _timed  # noqa: E402 - gc.collect, then process_time around one call

from aiclear.timeline import lanes, walk  # noqa: E402
from aiclear.timeline.read import NO_TAG  # noqa: E402

PHASES = ("read", "old scan walk", "old lanes", "new check walk", "new panel walk")
NOISE = 1.03  # the check walk may be this much slower before it counts as slower


def _read(path: Path) -> otio.schema.Timeline:
    timeline: otio.schema.Timeline = otio.adapters.read_from_file(
        str(path), hook_function_argument_map=NO_TAG)  # as check reads: no tag-on-read hook
    return timeline


def _panel(timeline: otio.schema.Timeline, rate: float) -> None:
    tracks = walk.columns(timeline)
    lanes.from_walk(tracks, rate)
    walk.all_places(tracks)


def measure(path: Path, rounds: int) -> dict[str, list[float]]:
    """CPU seconds of every phase, ``rounds`` times each, in a rotated order."""
    timeline = _read(path)
    rate = walk.timeline_rate(timeline)
    work: dict[str, Callable[[], object]] = {
        "read": lambda: _read(path),
        "old scan walk": lambda: list(legacy_walk.scan_places(timeline)),
        "old lanes": lambda: legacy_walk.panel_lanes(timeline, rate),
        "new check walk": lambda: walk.all_places(walk.columns(timeline)),
        "new panel walk": lambda: _panel(timeline, rate),
    }
    for fn in work.values():  # warm: imports, the kind cache, the file cache
        fn()
    times: dict[str, list[float]] = {name: [] for name in PHASES}
    for r in range(rounds):
        for name in PHASES[r % len(PHASES):] + PHASES[:r % len(PHASES)]:
            times[name].append(_timed(work[name])[0])
    return times


def show(clips: int, times: dict[str, list[float]]) -> tuple[float, float]:
    """Print one size's table; returns (panel new/old, check new/old) on medians."""
    med = {name: statistics.median(t) for name, t in times.items()}
    best = {name: min(t) for name, t in times.items()}
    read = med["read"]
    old_both = med["old scan walk"] + med["old lanes"]
    print(f"\n{clips:,} clips ({len(times['read'])} rounds; CPU seconds)")
    print(f"  {'phase':34s} {'median':>8s} {'best':>8s} {'µs/clip':>8s} {'÷ read':>7s}")
    rows = [*[(name, med[name], best[name]) for name in PHASES],
            ("old scan walk + old lanes", old_both,
             best["old scan walk"] + best["old lanes"])]
    for name, m, b in rows:
        print(f"  {name:34s} {m:8.3f} {b:8.3f} {m / clips * 1e6:8.2f} {m / read:7.3f}")
    panel = med["new panel walk"] / old_both
    check = med["new check walk"] / med["old scan walk"]
    print(f"  panel open: new ÷ old = {panel:.3f} (merge test <= 1.000: "
          f"{'pass' if panel <= 1.0 else 'FAIL'}); read + walk(s) {(read + old_both) / read:.3f}x "
          f"-> {(read + med['new panel walk']) / read:.3f}x read")
    print(f"  check:      new ÷ old = {check:.3f} (merge test <= {NOISE:.3f}: "
          f"{'pass' if check <= NOISE else 'FAIL'}); read + walk {(read + med['old scan walk']) / read:.3f}x "
          f"-> {(read + med['new check walk']) / read:.3f}x read")
    return panel, check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000", help="clip counts, comma separated")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each phase (median)")
    parser.add_argument("--cache", type=Path, help="keep generated inputs here (reused)")
    args = parser.parse_args(argv)
    cache = args.cache or Path(tempfile.mkdtemp(prefix="aiclear-walk-bench-"))
    passed = True
    for clips in (int(s) for s in args.sizes.split(",")):
        path = gen.write_timeline(cache / f"bench_{clips}.otio", clips)
        panel, check = show(clips, measure(path, args.rounds))
        passed = passed and panel <= 1.0 and check <= NOISE
    print(f"\nmerge tests: {'pass' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
