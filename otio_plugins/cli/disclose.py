"""``aiclear disclose TIMELINE --format FMT -o OUT``: on-screen, credit and cue-sheet disclosures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from aiclear.cli.common import Subparsers, add_scan_arguments, spec_from_args
from aiclear.cli.terminal import done
from aiclear.errors import AiclearError, UsageError
from aiclear.ledger import add_ledger_arguments
from aiclear.model import TimelineResult
from aiclear.safety.fileio import atomic_write, output_target

if TYPE_CHECKING:
    from aiclear.policy.profile import Profile


def register(sub: Subparsers) -> None:
    from aiclear.disclose.formats import FORMATS

    parser: argparse.ArgumentParser = sub.add_parser(
        "disclose", help="write AI disclosures: captions, credits, cue sheet, overlays",
        description="Scan a timeline and write its AI disclosures in one format.")
    parser.add_argument("timeline", metavar="TIMELINE", help="the timeline file (any OTIO format)")
    parser.add_argument("--format", required=True, choices=FORMATS, metavar="FMT",
                        help="one of: " + ", ".join(FORMATS))
    parser.add_argument("--lang", default=None, metavar="LANG",
                        help="en, fr, de, es or ja (default: the profile's disclosure.language)")
    parser.add_argument("--font", default=None, metavar="FILE",
                        help="font file for the credit card (default: one found by fontconfig)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="file to write (atomic); - writes a text format to stdout")
    add_scan_arguments(parser)
    add_ledger_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aiclear.disclose.formats import RENDER_FORMATS, render_card, write_text

    if args.format in RENDER_FORMATS:
        if args.output == "-":
            raise UsageError(f"--format {args.format} renders a file: give -o a file name")
        card = output_target(args.output, args.timeline)
        result, profile = scan_one(args)
        render_card(args.format, result, card, profile, args.lang, args.font)
        done(f"wrote {card} ({args.format})")
        return 0
    out = None if args.output == "-" else output_target(args.output, args.timeline)
    result, profile = scan_one(args)
    text = write_text(args.format, result, profile, args.lang)
    if out is None:
        sys.stdout.write(text)
    else:
        atomic_write(out, text)
        done(f"wrote {out} ({args.format}, {len(result.segments)} AI segment(s))")
    return 0


def scan_one(args: argparse.Namespace) -> tuple[TimelineResult, Profile]:
    """Scan the one timeline in ``args.timeline``; a failed scan is an error, never empty output."""
    from aiclear.scan.core import scan_file

    settings = spec_from_args(args)()
    results = scan_file(Path(args.timeline), settings)
    if len(results) != 1:
        names = ", ".join(r.name for r in results)
        raise UsageError(f"{args.timeline}: holds {len(results)} timelines ({names}); "
                         "expected one (export the sequence on its own)")
    result = results[0]
    if result.error is not None:
        raise AiclearError(result.error)  # already one line naming the file
    return result, settings.profile


