"""aiclear benchmark: generates its inputs and prints every issue-15 target beside its
measurement, all measured side by side in one run.

    python bench/run.py                         full run: 1k..200k clips, 1,000-timeline batch
    python bench/run.py --quick                 small sizes, for the smoke test (~30 s)
    python bench/run.py --sizes 10000,50000 --sections startup,scaling --no-docs

Prints the start-up costs (``aiclear --version``, a one-clip ``check`` and its ratio to a
plain OTIO read, what the OTIO hooks add to an ``otioconvert``), ``check`` ÷ plain read
with and without media evidence per size (medians and the best run, CPU time), peak
memory of ``check`` ÷ plain read, batch ``--jobs 2`` ÷ ``--jobs 1`` throughput, media
evidence warm ÷ cold and the panel's open-to-interactive ÷ read (from the media and panel
engineers' scripts), then a table of every target with its measurement. Unless
``--no-docs``, writes them to docs/benchmarks.md with the plot docs/bench_scaling.png
(regenerate those from a full run only).
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
SECTIONS = ("startup", "scaling", "phases", "batch", "media", "panel")


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
    parser.add_argument("--sections", type=lambda s: s.split(","), default=list(SECTIONS),
                        help="comma-separated subset of: " + ", ".join(SECTIONS))
    parser.add_argument("--no-docs", action="store_true",
                        help="print only: leave docs/benchmarks.md and the plot alone")
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
    wanted = set(args.sections)
    unknown = wanted - set(SECTIONS)
    if unknown:
        raise SystemExit(f"bench: unknown section(s) {', '.join(sorted(unknown))}")
    measure.compile_package()
    results: dict[str, Any] = {"quick": args.quick, "when": report.now(),
                               "load_start": measure.load_average()}
    print(f"inputs in {cache}; load {results['load_start']}")
    if "startup" in wanted:
        print("start-up (--version, one-clip check, hooks in otioconvert):", flush=True)
        results["startup"] = sections.startup(max(5, repeat))
    if "scaling" in wanted:
        print("time and memory against clip count:")
        results["scaling"] = sections.scaling(cache, sizes, repeat)
    if "phases" in wanted:
        results["phases"] = sections.phases(cache, sizes[min(2, len(sizes) - 1)])
    if "batch" in wanted:
        print(f"batch of {files} timelines, --jobs 1 vs 2:")
        results["batch"] = sections.batch(cache, files, 60, repeat)
    if wanted & {"media", "panel"}:
        print("media evidence and panel (their own scripts):")
    if "media" in wanted:
        results["media"] = sections.media(args.quick)
    if "panel" in wanted:
        results["panel"] = sections.panel(args.quick)
    results["load_end"] = measure.load_average()
    _print(results)
    _print_targets(results)
    if args.no_docs or not wanted.issuperset(SECTIONS):
        print("docs/benchmarks.md left alone (--no-docs or a subset of sections)")
        return 0
    written = report.write(results, args.out)
    print(f"wrote {written} and {written.parent / 'bench_scaling.png'}")
    return 0


def _print(results: dict[str, Any]) -> None:
    print("\nratios (CPU time; target in brackets; median, best run in parentheses):")
    if "startup" in results:
        st = results["startup"]
        print(f"  --version {st['version']['median']:.3f} s [<=0.08];"
              f" one-clip check {st['check']['median']:.3f} s [<=0.2]"
              f" = {st['check_read']:.2f}x the plain read [<=1.5]"
              f" ({st['read']['median']:.3f} s); hooks add {st['hook_added']:.3f} s to"
              f" otioconvert [<=0.1] ({st['convert_others']['median']:.3f} ->"
              f" {st['convert_hooked']['median']:.3f} s; {st['plugins_added']:.3f} s over"
              f" OTIO with no plugin at all)")
    for r in results.get("scaling", []):
        print(f"  {r['clips']:>7,} clips  check/read {report.med(r, 'check'):5.2f}x"
              f" ({r['check_cpu'] / r['read_cpu']:.2f}) [<=1.0]"
              f"  --no-media {report.med(r, 'nomedia'):5.2f}x ({r['nomedia_cpu'] / r['read_cpu']:.2f})"
              f" [<=1.0]  check/otiotool {r['check_cpu'] / r['otiotool_cpu']:5.2f}x"
              f"  memory {r['check_rss_mb'] / r['read_rss_mb']:4.2f}x [<=1.3]"
              f"  (read {r.get('read_cpu_median', r['read_cpu']):.2f} s,"
              f" check {r.get('check_cpu_median', r['check_cpu']):.2f} s)")
    if "phases" in results:
        p = results["phases"]
        print(f"  scan {p['scan_us']:.1f} us/clip vs read {p['read_us']:.1f} us/clip "
              f"(walk {p['walk_us']:.1f}, metadata {p['metadata_us']:.1f}, signals "
              f"{p['texts_us']:.1f}, match {p['match_us']:.1f}, rest {p['rest_us']:.1f});"
              f" media evidence {p.get('media_us', float('nan')):.1f} us/clip")
    if "batch" in results:
        b = results["batch"]
        print(f"  batch {b['files']} timelines: jobs2/jobs1 throughput {b['speedup']:.2f}x [>=1.8]"
              f" (wall), {b['projected']:.2f}x projected for 2 idle cores from CPU time;"
              f" reports identical: {b['identical']}")
    for name, target in (("media", "warm/cold [<=0.02]"), ("panel", "interactive/read [<=2]")):
        if name in results:
            part = results[name]
            print(f"  {name} {target}: {part['note'] or format(part['ratio'], '.3f')}")
    print(f"  load average at the end: {results['load_end']}")


def _print_targets(results: dict[str, Any]) -> None:
    print("\nissue 15 targets:")
    for key, what, value in report.measured(results):
        label, limit, higher = report.TARGETS[key]
        ok = value >= limit if higher else value <= limit
        sign = ">=" if higher else "<="
        print(f"  {'met ' if ok else 'MISS'}  {label}{', ' + what if what else ''}: "
              f"{value:.3f} (target {sign} {limit:g})")


if __name__ == "__main__":
    sys.exit(main())
