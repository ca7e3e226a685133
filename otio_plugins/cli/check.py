"""``aiclear check PATH...``: batch validation with exit codes for CI."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from aiclear.cli.common import Subparsers, add_scan_arguments, require_positive, spec_from_args
from aiclear.cli.terminal import done, print_report, print_summary
from aiclear.errors import UsageError
from aiclear.ledger import add_ledger_arguments
from aiclear.safety.fileio import write_output
from aiclear.scan import report
from aiclear.scan.batch import scan_paths
from aiclear.scan.executors import LOCAL, ExecutorSpec, parse_executor
from aiclear.timeline import read


def register(sub: Subparsers) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "check", help="check timelines for uncleared AI (exit 0 pass, 1 blocked, 2 error)",
        description="Find every AI clip on the timelines and report what blocks delivery.")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="timeline files or folders (searched recursively)")
    add_scan_arguments(parser)
    add_ledger_arguments(parser)
    parser.add_argument("--format", choices=report.FORMATS, default="text",
                        help="text for people (default), json for scripts, junit for CI servers")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report here (atomic; - for stdout)")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="timelines checked in parallel by the local pool (default 1)")
    parser.add_argument("--executor", type=_executor, default=LOCAL, metavar="local|dask://HOST:PORT",
                        help="where the checks run: 'local' process pool (default) or the Dask "
                             "scheduler at HOST:PORT (workers must see the same paths)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    jobs = require_positive(args.jobs, "--jobs")
    spec = spec_from_args(args)
    files = list(read.expand(args.paths))
    if not files:  # an empty folder is not a pass: fail closed
        raise UsageError(f"{', '.join(args.paths)}: no timeline files found "
                         "(expected files with a suffix an OTIO adapter reads)")
    if len(files) > 1:  # the batch draws the progress bar; parallel timelines probe serially
        media_jobs = 1 if jobs > 1 else jobs
        spec = replace(spec, media=replace(spec.media, progress=False, jobs=media_jobs))
    if args.executor.kind == "dask":  # workers run elsewhere: no relative paths, nothing unread
        spec = spec.for_cluster()
    result = scan_paths(files, spec, jobs=jobs, executor=args.executor)
    for failed in result.timelines:  # each unreadable input: one line on stderr as well
        if failed.error:
            print(f"aiclear: error: {failed.error}", file=sys.stderr)  # noqa: T201
    rendered = report.render(result, args.format)
    if args.output in (None, "-") and args.format == "text":
        print_report(rendered)  # colour on a terminal; the same bytes through a pipe
        print_summary(result)
    else:
        write_output(args.output, rendered, *files)
        if args.output not in (None, "-"):
            done(f"wrote the {args.format} report to {args.output}")
    return result.exit_code


def _executor(text: str) -> ExecutorSpec:
    try:
        return parse_executor(text)
    except UsageError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
