"""``aiclear certify TIMELINE -o CUT.clearance.json --key KEYFILE``: a signed clearance
certificate for one timeline (refused while anything blocks, unless ``--intent review``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aiclear.cli.common import Subparsers, add_scan_arguments, spec_from_args
from aiclear.ledger import add_ledger_arguments
from aiclear.safety.fileio import atomic_write, output_target


def register(sub: Subparsers) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "certify", help="write a signed clearance certificate for a cleared timeline",
        description="Scan a timeline against the ledger and, when nothing blocks, write a "
                    "clearance certificate (DSSE envelope, Ed25519) the studio can verify "
                    "offline with 'aiclear verify'.")
    parser.add_argument("timeline", metavar="TIMELINE", type=Path,
                        help="the cut to certify (any file an installed OTIO adapter reads)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="certificate file to write (atomic), e.g. cut.clearance.json")
    parser.add_argument("--key", required=True, metavar="KEYFILE", type=Path,
                        help="a production key (admin, producer or legal) in the ledger's keyring")
    parser.add_argument("--intent", choices=("final", "review"), default="final",
                        help="review: write a certificate marked review even though something "
                             "blocks, or the ledger's root is not pinned here (internal "
                             "screening; 'verify' fails it)")
    add_scan_arguments(parser)
    add_ledger_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aiclear.ledger.location import resolve_ledger
    from aiclear.provenance import envelope
    from aiclear.provenance.issue import CertifyRefused, certify_file

    out = output_target(args.output, args.timeline, args.key)
    location = resolve_ledger(args.ledger, args.timeline)
    try:
        issued = certify_file(args.timeline, spec_from_args(args)(), location, args.key,
                              intent=args.intent, trust_root=args.trust_root)
    except CertifyRefused as refused:
        print(str(refused), file=sys.stderr)  # noqa: T201
        for line in refused.lines:
            print(f"  {line}", file=sys.stderr)  # noqa: T201
        return 1
    atomic_write(out, envelope.dumps(issued.envelope))
    payload = issued.payload
    head = payload["ledger"]["head"]  # issue() refuses an empty ledger: never None here
    at = f"{head['seq']} ({head['entry_hash'][:12]}…)" if head is not None else "none"
    print(f"{payload['intent']} certificate for {args.timeline.name} -> {out}\n"  # noqa: T201
          f"  AI segments: {len(payload['segments'])}\n"
          f"  root:        {payload['root']['fingerprint']}\n"
          f"  ledger head: {at}\n"
          f"  payload:     {issued.digest}")
    return 0
