"""``aiclear gate TIMELINE``: the export gate for conform scripts.

Exit 0 pass, 1 blocked, 2 error. Fails closed: a timeline that cannot be read or checked
exits 2 and never 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from aiclear.cli.common import Subparsers, add_scan_arguments, spec_from_args
from aiclear.errors import AiclearError
from aiclear.gate import decision as gate
from aiclear.ledger import add_ledger_arguments
from aiclear.scan.core import error_result, scan_file


def register(sub: Subparsers) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "gate", help="may this timeline be delivered? (exit 0 pass, 1 blocked, 2 error)",
        description="Check one timeline the way the OTIO export gate does and list every "
                    "segment that blocks delivery, with how to resolve it.")
    parser.add_argument("timeline", metavar="TIMELINE", help="the timeline to gate")
    parser.add_argument("--intent", choices=("final", "review"), default="final",
                        help="final (default) blocks on anything unresolved; review "
                             "(internal screening) reports but passes")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text for people (default), json for conform scripts")
    add_scan_arguments(parser)
    add_ledger_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.timeline)
    spec = spec_from_args(args)
    settings = spec()  # a bad profile or register is a usage error (exit 2)
    if getattr(args, "no_media", False):
        settings.media_off = "--no-media"  # media it does not read counts as unprobed
    try:
        results = scan_file(path, settings)
    except AiclearError:
        raise
    except Exception as err:  # noqa: BLE001 - fail closed: any error while deciding blocks
        results = [error_result(path, path.stem, err, settings.profile)]
    for failed in results:  # an unreadable timeline: one line on stderr as well
        if failed.error:
            print(f"aiclear: error: {failed.error}", file=sys.stderr)  # noqa: T201
    verdict = gate.evaluate(results, args.intent, path, settings.profile.name)
    out = json.dumps(verdict.to_json(), indent=2) + "\n" if args.format == "json" else _text(verdict)
    sys.stdout.write(out)
    return verdict.exit_code


def _text(result: gate.GateResult) -> str:
    errors = [r.error for r in result.results if r.error]
    head = {"pass": "PASS", "blocked": "BLOCKED", "error": "ERROR"}[result.verdict]
    blocking = (f"{len(result.blockers)} would block a final delivery"
                if result.intent == "review" else f"{len(result.blockers)} blocking")
    lines = [f"{head}  {result.target}  (profile {result.profile}, intent {result.intent}): "
             f"{len(result.segments)} AI segment(s), {blocking}"]
    lines += [f"  error: {e}" for e in errors]
    for b in result.blockers:
        where = f"{b.track:<4} {b.start_tc} - {b.end_tc}  {b.clip}" if b.clip else "timeline"
        lines += [f"  {where}", f"      {b.rule}: {b.reason}", f"      resolve: {b.resolve}"]
    if result.intent == "review" and result.blockers:
        lines.append("  review export: passes; screen it with a PROVISIONAL label on these segments")
    return "\n".join(lines) + "\n"
