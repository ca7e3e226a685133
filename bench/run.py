"""aiclear benchmark: generates its inputs and prints every scale ratio, side by side.

    python bench/run.py            full run: 1k..200k clips, 1,000-timeline batch (~10 min)
    python bench/run.py --quick    small sizes, for the smoke test (~30 s)

Prints `check` ÷ plain OTIO read and ÷ `otiotool --list-clips` per size, peak memory
of `check` ÷ plain read, batch `--jobs 2` ÷ `--jobs 1` throughput, media evidence warm ÷
cold and the panel's open-to-interactive ÷ read (both from the media and panel
engineers' scripts when they are present), and writes them to docs/benchmarks.md with
the plot docs/bench_scaling.png.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402 - bench modules sit beside this script
import report  # noqa: E402
import sections  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FULL_SIZES = [1_000, 10_000, 50_000, 200_000]
QUICK_SIZES = [500, 2_000]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")],
                        help="clip counts, comma-separated (overrides the defaults)")
    parser.add_argument("--repeat", type=int, help="runs per command (best counts)")
    parser.add_argument("--batch", type=int, help="timelines in the batch (default 1000)")
    parser.add_argument("--cache", type=Path, help="keep generated inputs here (reused)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs",
                        help="folder for benchmarks.md and bench_scaling.png (default docs/)")
    parser.add_argument("--render", type=Path, metavar="JSON",
                        help="measure nothing: write the report again from a benchmarks.json")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.render:
        written = report.write(json.loads(args.render.read_text(encoding="utf-8")), args.out)
        print(f"wrote {written}")
        return 0
    sizes = args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES)
    repeat = args.repeat or (1 if args.quick else 2)
    files = args.batch or (16 if args.quick else 1_000)
    cache = args.cache or sections.tmp_cache()
    cache.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"quick": args.quick, "when": report.now(),
                               "load_start": measure.load_average()}
    print(f"inputs in {cache}; load {results['load_start']}")
    print("time and memory against clip count:")
    results["scaling"] = sections.scaling(cache, sizes, repeat)
    results["phases"] = sections.phases(cache, sizes[min(2, len(sizes) - 1)])
    print(f"batch of {files} timelines, --jobs 1 vs 2:")
    results["batch"] = sections.batch(cache, files, 60, repeat)
    print("media evidence and panel (their own scripts):")
    results["media"] = sections.media(args.quick)
    results["panel"] = sections.panel(args.quick)
    results["load_end"] = measure.load_average()
    _print(results)
    written = report.write(results, args.out)
    print(f"wrote {written} and {written.parent / 'bench_scaling.png'}")
    return 0


def _print(results: dict[str, Any]) -> None:
    print("\nratios (CPU time; target in brackets):")
    for r in results["scaling"]:
        print(f"  {r['clips']:>7,} clips  check/read {r['check_cpu'] / r['read_cpu']:5.2f}x [<=1.5]"
              f"  (wall {r['check_wall'] / r['read_wall']:5.2f}x;"
              f" --no-media {r['nomedia_cpu'] / r['read_cpu']:5.2f}x)"
              f"  check/otiotool {r['check_cpu'] / r['otiotool_cpu']:5.2f}x"
              f"  memory {r['check_rss_mb'] / r['read_rss_mb']:4.2f}x [<=1.5]")
    p = results["phases"]
    print(f"  scan {p['scan_us']:.1f} us/clip vs read {p['read_us']:.1f} us/clip "
          f"(walk {p['walk_us']:.1f}, metadata {p['metadata_us']:.1f}, signals {p['texts_us']:.1f}, "
          f"match {p['match_us']:.1f}, rest {p['rest_us']:.1f})")
    b = results["batch"]
    print(f"  batch {b['files']} timelines: jobs2/jobs1 throughput {b['speedup']:.2f}x [>=1.8]"
          f" (wall), {b['projected']:.2f}x projected for 2 idle cores from CPU time;"
          f" reports identical: {b['identical']}")
    for name, target in (("media", "warm/cold [<=0.05]"), ("panel", "interactive/read [<=2]")):
        part = results[name]
        shown = part["note"] or f"{part['ratio']:.3f}"
        print(f"  {name} {target}: {shown}")
    print(f"  load average at the end: {results['load_end']}")


if __name__ == "__main__":
    sys.exit(main())
