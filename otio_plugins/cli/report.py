"""``aiclear report PATH... -o genai-use.html``: the production-wide GenAI use report."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import UTC, date, datetime

from aiclear.cli.common import Subparsers, add_scan_arguments, require_positive, spec_from_args
from aiclear.errors import UsageError
from aiclear.ledger import add_ledger_arguments
from aiclear.safety.fileio import write_output
from aiclear.scan.batch import scan_paths
from aiclear.timeline import read

SUFFIXES = {".html": "html", ".htm": "html", ".json": "json", ".csv": "csv"}


def register(sub: Subparsers) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "report", help="write the production-wide GenAI use report (HTML, JSON or CSV)",
        description="Scan every timeline given and list each distinct AI asset once: where it "
                    "is used, its tool and data terms, use, risk tier, guiding-principle answers, "
                    "people, rights and decisions; open escalations first.")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="timeline files or folders (searched recursively)")
    parser.add_argument("--format", choices=("html", "json", "csv"), default=None,
                        help="default: from the -o suffix, else html")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write the report here (atomic; default or - for stdout)")
    parser.add_argument("--production", metavar="NAME",
                        help="production name (default: the register's or catalogue's)")
    parser.add_argument("--date", type=_date, default=None, metavar="YYYY-MM-DD",
                        help="report date (default: today, UTC)")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="timelines scanned in parallel (default 1)")
    add_scan_arguments(parser)
    add_ledger_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aiclear.disclose.usereport import build, render

    jobs = require_positive(args.jobs, "--jobs")
    fmt = args.format or _format_from(args.output)
    spec = spec_from_args(args)
    files = list(read.expand(args.paths))
    if not files:  # an empty folder is not an empty report: fail closed
        raise UsageError(f"{', '.join(args.paths)}: no timeline files found "
                         "(expected files with a suffix an OTIO adapter reads)")
    if len(files) > 1:
        spec = replace(spec, media=replace(spec.media, progress=False, jobs=1 if jobs > 1 else jobs))
    settings = spec()  # validates profile, registers and catalogue before any scan
    result = scan_paths(files, spec, jobs=jobs)
    for failed in result.timelines:
        if failed.error:
            print(f"aiclear: error: {failed.error}", file=sys.stderr)  # noqa: T201
    named = [r.production for r in settings.registers if r.production]
    if settings.catalogue is not None and settings.catalogue.production:
        named.append(settings.catalogue.production)
    use_report = build(result, production=args.production or (named[0] if named else ""),
                       date=(args.date or datetime.now(UTC).date()).isoformat(),
                       catalogue=settings.catalogue.label if settings.catalogue else "")
    write_output(args.output, render(use_report, fmt), *files)
    return result.exit_code


def _format_from(output: str | None) -> str:
    if not output or output == "-":
        return "html"
    for suffix, fmt in SUFFIXES.items():
        if output.lower().endswith(suffix):
            return fmt
    return "html"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None
