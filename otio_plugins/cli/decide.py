"""``aiclear approve|reject|revoke ID --key KEYFILE``: sign a decision into the ledger.

ID is a full asset_id from the report, a unique prefix of one, or a segment_id
(``<12 hex>-V1-120``, matched exactly among ``--timeline``'s AI segments); prefixes are
looked up among the ledger's assets and, with ``--timeline``, that timeline's.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from aiclear.cli.common import Subparsers, add_scan_arguments, spec_from_args
from aiclear.errors import SigningKeyError
from aiclear.ledger.keys import load_key
from aiclear.ledger.options import writer_location
from aiclear.ledger.output import note, out
from aiclear.ledger.statement import decision_statement, parse_expiry
from aiclear.ledger.store import LedgerStore, open_store
from aiclear.scan.assets import AssetSource, resolve_asset_id, timeline_segments

_HELP = {
    "approve": "sign an approval: the asset may be used (if your role may clear its use)",
    "reject": "sign a rejection: the asset must not be used",
    "revoke": "withdraw the standing decision: the asset is provisional again",
}


def register(subparsers: Subparsers) -> None:
    for verb, text in _HELP.items():
        parser = subparsers.add_parser(verb, help=text)
        parser.add_argument("id", metavar="ID", help="asset_id, a unique prefix, or segment_id")
        parser.add_argument("--key", required=True, metavar="KEYFILE", type=Path,
                            help="your private key file (aiclear keys new); it must be trusted "
                            "by the ledger")
        parser.add_argument("--note", default="", help="free text kept with the decision")
        parser.add_argument("--scope", default="", help="what the decision covers, e.g. "
                            "'final deliverable, worldwide'")
        parser.add_argument("--production", default=None,
                            help="production name (default: the ledger's)")
        if verb == "approve":
            parser.add_argument("--conditions", default="", help="conditions of the approval")
            parser.add_argument("--expires", default=None, metavar="DATE",
                                help="YYYY-MM-DD (valid through that UTC day) or ISO time")
        parser.add_argument("--ledger", metavar="PATH|URL",
                            help="the ledger to sign into (default: $AICLEAR_LEDGER, else "
                            "beside --timeline, else ./aiclear-ledger.sqlite)")
        parser.add_argument("--timeline", metavar="PATH", type=Path,
                            help="look ID up in this timeline's AI segments; its folder holds "
                            "the default ledger")
        add_scan_arguments(parser)  # --profile / --register: scan --timeline as check does
        parser.set_defaults(func=_decide, verb=verb)


def _decide(args: argparse.Namespace) -> int:
    key = load_key(args.key)
    expiry = parse_expiry(getattr(args, "expires", None))
    with open_store(writer_location(args.ledger, args.timeline)) as store:
        keyring = store.keyring()
        info = keyring.active(key.public_text)
        if info is None:
            raise SigningKeyError(f"{args.key}: {key.name}'s key is not trusted by "
                                  f"{store.location} (ask an admin to run 'aiclear keys trust')")
        sources: list[AssetSource] = [store.known_assets]
        segments = None
        if args.timeline is not None:
            segments = timeline_segments(args.timeline, spec_from_args(args))
            sources.append(lambda: [asset for _, asset in segments()])
        asset_id = resolve_asset_id(args.id, sources, segments, str(args.timeline or ""))
        before = _standing(store, asset_id)
        # an approval made from the timeline is bound to the record it was given for
        # (aiclear.policy.claims); by bare asset id the record is unknown
        bound = segments.binding(args.id, asset_id) \
            if segments is not None and args.verb == "approve" else None
        statement = decision_statement(
            key, asset_id=asset_id, decision=args.verb, role=info.role, approver=info.name,
            production=args.production if args.production is not None else keyring.production,
            scope=args.scope, conditions=getattr(args, "conditions", ""), note=args.note,
            expiry=expiry, record=bound,
        )
        entry = store.append(statement, key)
    out(f"entry {entry.seq}: {args.verb} {asset_id} by {info.name} ({info.role})")
    if before is not None:
        note(f"{asset_id} was already decided: {before}; entry {entry.seq} supersedes it")
    if args.verb == "approve" and segments is not None and bound is None:
        note(f"{asset_id} is not on {args.timeline}: the approval is bound to no record "
             "(profiles that require bound approvals do not count it)")
    if args.verb == "approve" and info.role == "editor":
        note("recorded, but an editor's approval never clears a clip")
    return 0


def _standing(store: LedgerStore, asset_id: str) -> str | None:
    """The newest decision on the asset already in the ledger, as a phrase, or None."""
    last = None
    for entry in store.entries():
        if entry.asset_id == asset_id and entry.kind == "decision":
            last = entry
    statement = last.statement() if last is not None else None
    if last is None or not statement:
        return None
    return (f"{statement.get('decision')} by {statement.get('approver')} "
            f"({statement.get('role')}) at entry {last.seq}")
