"""``aiclear tag IN -o OUT``: a copy of the timeline with usage records on its AI clips."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import opentimelineio as otio

from aiclear.cli.common import Subparsers, add_scan_arguments, spec_from_args
from aiclear.errors import UsageError
from aiclear.gate import writeback as tag
from aiclear.ledger import add_ledger_arguments
from aiclear.safety.fileio import output_target, same_file
from aiclear.scan.core import scan_file


def register(sub: Subparsers) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "tag", help="write a copy of a timeline with aiclear records on its AI clips",
        description="Scan IN and write OUT with a usage record on every AI clip (and, for "
                    "formats that drop metadata, markers and comments that carry it).")
    parser.add_argument("input", metavar="IN", help="the timeline to read (never changed)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="the tagged copy to write (its suffix picks the format)")
    parser.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    add_scan_arguments(parser)
    add_ledger_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    src, out = Path(args.input), Path(args.output)
    if same_file(src, out) and not args.force:
        raise UsageError(f"{out}: is the input; refusing to overwrite it (pass --force)")
    if out.exists() and not args.force:
        raise UsageError(f"{out}: exists; refusing to overwrite it (pass --force)")
    out = output_target(out)
    results = scan_file(src, spec_from_args(args)())
    failed = [r for r in results if r.error]
    if failed:
        raise UsageError(failed[0].error or "cannot read input")
    timelines = [r.timeline for r in results]
    obj = timelines[0] if len(timelines) == 1 else otio.schema.SerializableCollection(
        src.stem, children=timelines)
    segments = [s for r in results for s in r.segments if s.item is not None]
    # one ledger view per location (ledger_factory): every timeline was judged against it
    judged_by = next((r.ledger for r in results if r.ledger is not None), None)
    tagged = tag.stamped_copy(obj, segments, ledger=judged_by)
    tag.write_timeline(tagged, out)  # aiclear's own write: the OTIO hook lets it through
    print(f"tagged {len(segments)} AI clip(s) -> {out}", file=sys.stderr)  # noqa: T201
    open_ = sum(s.status != "cleared" for r in results for s in r.segments)
    if open_:  # said every time, like a review export: a tagged copy is not a delivery
        print(f"aiclear: tag: {out} holds {open_} AI segment(s) not cleared: a working copy, "  # noqa: T201
              "not a delivery (deliver through aiclear gate)", file=sys.stderr)
    return 0
