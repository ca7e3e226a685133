"""``aiclear approve|reject|revoke ID --key KEYFILE``: sign a decision into the ledger.

ID is a full asset_id from the report, a unique prefix of one, or a segment_id
(``<12 hex>-V1-120``); prefixes are looked up among the ledger's assets and, with
``--timeline``, that timeline's AI segments.
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
from aiclear.ledger.store import open_store
from aiclear.scan.assets import AssetSource, resolve_asset_id, timeline_assets

_HELP = {
    "approve": "sign an approval: the asset may be used (if your role may clear its use)",
    "reject": "sign a rejection: the asset must not be used",
    "revoke": "withdraw the standing decision: the asset is provisional again",
}


def register(subparsers: Subparsers) -> None:
    for verb, text in _HELP.items():
        parser = subparsers.add_parser(verb, help=text)
        parser.add_argument("id", metavar="ID", help="asset_id, a unique prefix, or segment_id")
        parser.add_argument("--key", required=True, metavar="KEYFILE", type=Path)
        parser.add_argument("--note", default="", help="free text kept with the decision")
        parser.add_argument("--scope", default="", help="what the decision covers, e.g. "
                            "'final deliverable, worldwide'")
        parser.add_argument("--production", default=None,
                            help="production name (default: the ledger's)")
        if verb == "approve":
            parser.add_argument("--conditions", default="", help="conditions of the approval")
            parser.add_argument("--expires", default=None, metavar="DATE",
                                help="YYYY-MM-DD (valid through that UTC day) or ISO time")
        parser.add_argument("--ledger", metavar="PATH|URL")
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
        if args.timeline is not None:
            sources.append(timeline_assets(args.timeline, spec_from_args(args)))
        asset_id = resolve_asset_id(args.id, sources)
        statement = decision_statement(
            key, asset_id=asset_id, decision=args.verb, role=info.role, approver=info.name,
            production=args.production if args.production is not None else keyring.production,
            scope=args.scope, conditions=getattr(args, "conditions", ""), note=args.note,
            expiry=expiry,
        )
        entry = store.append(statement, key)
    out(f"entry {entry.seq}: {args.verb} {asset_id} by {info.name} ({info.role})")
    if args.verb == "approve" and info.role == "editor":
        note("recorded, but an editor's approval never clears a clip")
    return 0
