"""``aiclear verify CERT --trust-root FP [--timeline FILE] [--media FILE] [--ledger URL]``:
offline verification of a clearance certificate (exit 0 verified, 1 failed, 2 error)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from aiclear.cli.common import Subparsers, add_scan_arguments, spec_from_args
from aiclear.errors import InputError
from aiclear.safety.fileio import write_output

if TYPE_CHECKING:
    from aiclear.model import TimelineResult
    from aiclear.provenance.verify import Verification


def register(sub: Subparsers) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "verify", help="verify a clearance certificate offline (exit 0 ok, 1 failed, 2 error)",
        description="Check a clearance certificate's signature against a pinned production "
                    "root, and optionally the timeline, the signed master and the ledger.")
    parser.add_argument("certificate", metavar="CERT", type=Path,
                        help="the clearance certificate (aiclear certify)")
    parser.add_argument("--trust-root", required=True, metavar="FP",
                        help="the production root fingerprint you pin (the 64 hex 'aiclear ledger "
                             "init' and 'ledger root' print; sha256:<hex> reads the same)")
    parser.add_argument("--timeline", type=Path, metavar="FILE",
                        help="check the timeline hashes to the certified one and holds exactly "
                             "its AI segments")
    parser.add_argument("--media", type=Path, metavar="FILE",
                        help="check the signed master's Content Credentials against the "
                             "certificate (with --trust-anchors: require Trusted)")
    parser.add_argument("--ledger", metavar="PATH|URL",
                        help="check the ledger still holds the certified head and revokes nothing")
    parser.add_argument("--allow-review", action="store_true",
                        help="accept a certificate marked review")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="a readable table (default) or json")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the result here (atomic)")
    add_scan_arguments(parser)
    parser.set_defaults(func=run, profile=None)


def run(args: argparse.Namespace) -> int:
    from aiclear.policy.profile import load_profile
    from aiclear.provenance import trust
    from aiclear.provenance.verify import Options, read_certificate, verify

    pin = trust.check_fingerprint(args.trust_root)
    anchors = _anchors(args.trust_anchors) if args.trust_anchors else None
    data = read_certificate(args.certificate)
    options = Options(trust_root=pin, timeline=args.timeline, media=args.media,
                      ledger=args.ledger, c2pa_anchors=anchors,
                      profile=lambda name: load_profile(args.profile or name),
                      scan=lambda path, policy: _scan(args, path, policy), allow_review=args.allow_review)
    result = verify(data, str(args.certificate), options)
    text = (json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n"
            if args.format == "json" else _table(result))
    write_output(args.output, text, args.certificate)
    if result.verdict == "error":
        print(f"aiclear: error: cannot verify: {result.reason()}", file=sys.stderr)  # noqa: T201
    elif result.failed:
        print(f"aiclear: verification failed: {result.reason()}", file=sys.stderr)  # noqa: T201
    return result.exit_code


def _scan(args: argparse.Namespace, path: Path, policy: str) -> TimelineResult:
    """The timeline scanned as check scans it, under the certified policy and without a
    ledger (the certificate says what was cleared; here only which AI segments it holds)."""
    from aiclear.scan.core import scan_file

    settings = replace(spec_from_args(args), profile=args.profile or policy)()
    settings.ledger_for = None
    results = scan_file(path, settings)
    return results[0] if len(results) == 1 else _many(path, len(results))


def _many(path: Path, count: int) -> TimelineResult:
    from aiclear.model import TimelineResult

    return TimelineResult(str(path), path.stem, 0.0,
                          error=f"{path}: holds {count} timelines; expected one")


def _anchors(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, "cannot read the trust anchors", expected="a PEM bundle") from err


def _table(result: Verification) -> str:
    rows = [("CHECK", "RESULT", "DETAIL")] + [(c.name, c.result.upper(), c.detail)
                                              for c in result.checks]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    lines = [f"{r[0].ljust(widths[0])}  {r[1].ljust(widths[1])}  {' '.join(r[2].split())}"
             for r in rows]
    verdict = {"pass": "VERIFIED", "fail": f"FAILED: {result.reason()}",
               "error": f"CANNOT VERIFY: {result.reason()}"}[result.verdict]
    return "\n".join([*lines, f"{verdict}  ({result.certificate})"]) + "\n"
