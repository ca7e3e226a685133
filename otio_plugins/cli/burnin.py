"""``aiclear burnin TIMELINE --reference REF.mov -o OUT.mov``: a labelled review copy."""

from __future__ import annotations

import argparse

from aiclear.cli.common import Subparsers, add_scan_arguments
from aiclear.cli.disclose import scan_one
from aiclear.cli.terminal import done, progress_bar
from aiclear.errors import UsageError
from aiclear.ledger import add_ledger_arguments
from aiclear.safety.fileio import output_target


def register(sub: Subparsers) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "burnin", help="burn AI labels and PROVISIONAL marks into a review copy",
        description="Draw each AI segment's on-screen label, and PROVISIONAL over anything not "
                    "cleared, on the movie exported from the cut (its first frame is the "
                    "timeline's first frame). For internal review, never for delivery.")
    parser.add_argument("timeline", metavar="TIMELINE", help="the timeline file (any OTIO format)")
    parser.add_argument("--reference", required=True, metavar="REF",
                        help="the reference movie exported from that timeline")
    parser.add_argument("--lang", default=None, metavar="LANG",
                        help="en, fr, de, es or ja (default: the profile's disclosure.language)")
    parser.add_argument("--font", default=None, metavar="FILE",
                        help="font file (default: one found by fontconfig for the text)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="movie to write")
    add_scan_arguments(parser)
    add_ledger_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aiclear.disclose.render import burn_in

    if args.output == "-":
        raise UsageError("-o -: a movie cannot go to stdout; give a file name")
    out = output_target(args.output, args.timeline, args.reference)
    result, profile = scan_one(args)
    with progress_bar("burning in labels") as advance:
        burn_in(result, args.reference, out, profile, args.lang, args.font, progress=advance)
    done(f"wrote {out} ({len(result.segments)} AI segment(s) labelled)")
    return 0
