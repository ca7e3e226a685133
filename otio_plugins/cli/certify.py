"""``aiclear certify TIMELINE -o CUT.clearance.json --key KEYFILE``: a signed clearance
certificate for one timeline (refused while anything blocks, unless ``--intent review``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from aiclear.cli.common import SettingsSpec, add_scan_arguments
from aiclear.errors import AiclearError, LedgerError, UsageError
from aiclear.fileio import atomic_write, output_target
from aiclear.ledger import add_ledger_arguments


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "certify", help="write a signed clearance certificate for a cleared timeline",
        description="Scan a timeline against the ledger and, when nothing blocks, write a "
                    "clearance certificate (DSSE envelope, Ed25519) the studio can verify "
                    "offline with 'aiclear verify'.")
    parser.add_argument("timeline", metavar="TIMELINE", type=Path)
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="certificate file to write (atomic), e.g. cut.clearance.json")
    parser.add_argument("--key", required=True, metavar="KEYFILE", type=Path,
                        help="a production key (admin, producer or legal) in the ledger's keyring")
    parser.add_argument("--intent", choices=("final", "review"), default="final",
                        help="review: write a certificate marked review even though something "
                             "blocks (internal screening; 'verify' fails it)")
    add_scan_arguments(parser)
    add_ledger_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aiclear.gate import evaluate
    from aiclear.ledger.keys import load_key
    from aiclear.ledger.location import resolve_ledger
    from aiclear.ledger.statement import canonical
    from aiclear.ledger.view import LedgerView
    from aiclear.provenance import certificate, envelope, trust
    from aiclear.scan import scan_file

    out = output_target(args.output, args.timeline)
    key = load_key(args.key)
    location = resolve_ledger(args.ledger, args.timeline)
    if location is None:
        raise UsageError("certify needs the production's ledger (--ledger PATH|URL)")
    snapshot = trust.read_snapshot(location)
    if snapshot.head is None:
        raise LedgerError(f"{snapshot.location}: empty ledger (run 'aiclear ledger init')")
    trust.credential(snapshot, key.public_text)  # refuse a key that may not certify, early
    view = LedgerView(snapshot.audit, location=snapshot.location)
    settings = SettingsSpec.from_args(args)()
    settings.ledger_for = lambda _path: view  # the same snapshot the certificate names
    results = scan_file(args.timeline, settings)
    if len(results) != 1:
        raise UsageError(f"{args.timeline}: holds {len(results)} timelines; expected one "
                         "(export the sequence on its own)")
    result = results[0]
    if result.error is not None:
        raise AiclearError(result.error)
    gate = evaluate([result], "final", args.timeline, settings.profile.name)
    lines = [b.line() for b in gate.blockers] + _uncleared(result, gate.blockers)
    if lines and args.intent == "final":
        print(f"aiclear: certify refused: {len(lines)} problem(s) block {args.timeline} "  # noqa: T201
              f"({settings.profile.name} profile)", file=sys.stderr)
        for line in lines:
            print(f"  {line}", file=sys.stderr)  # noqa: T201
        return 1
    payload = certificate.build(result, args.timeline, settings.profile, snapshot, key,
                                intent=args.intent,
                                blockers=lines)
    problem = certificate.schema_problem(payload)
    if problem is not None:  # our own output must meet the schema we publish
        raise AiclearError(f"internal error: certificate fails its schema at {problem}")
    atomic_write(out, envelope.dumps(envelope.seal(payload, key)))
    head = snapshot.head
    sealed = envelope.payload_digest(canonical(payload))
    print(f"{payload['intent']} certificate for {args.timeline.name} -> {out}\n"  # noqa: T201
          f"  AI segments: {len(payload['segments'])}\n"
          f"  root:        {payload['root']['fingerprint']}\n"
          f"  ledger head: {head.seq} ({head.entry_hash[:12]}…)\n"
          f"  payload:     {sealed}")
    return 0


def _uncleared(result: Any, blockers: list[Any]) -> list[str]:
    """A clearance certificate clears: an enabled AI segment that the ledger has not
    cleared blocks it even under a profile that only warns about it."""
    named = {b.segment_id for b in blockers}
    return [f"{s.track} {s.clip!r} {s.start_tc}-{s.end_tc}: {s.status}, not cleared -> a signed "
            f"approval for {s.segment_id}" for s in result.segments
            if s.enabled and s.status != "cleared" and s.segment_id not in named]
