"""``aiclear ledger init|log|verify``: create the ledger, read it, and prove it intact."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from aiclear.errors import LedgerError, SigningKeyError
from aiclear.ledger.audit import Audit
from aiclear.ledger.chain import Entry
from aiclear.ledger.keys import load_key
from aiclear.ledger.options import writer_location
from aiclear.ledger.output import clean, note, out, out_json
from aiclear.ledger.statement import keyring_statement, sign
from aiclear.ledger.store import open_store

LEDGER_HELP = "the ledger (default: $AICLEAR_LEDGER, else ./aiclear-ledger.sqlite)"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("ledger", help="create, read and verify the clearance ledger")
    sub = parser.add_subparsers(dest="ledger_command", metavar="ACTION", required=True)

    init = sub.add_parser("init", help="create a ledger whose first trusted key is the admin")
    init.add_argument("--admin-key", required=True, metavar="KEYFILE", type=Path,
                      help="the first admin's key file (aiclear keys new --role admin)")
    init.add_argument("--production", default="", help="production name recorded in entry 1")
    init.add_argument("--ledger", metavar="PATH|URL",
                      help="where to create it: a SQLite path or a postgresql:// URL")
    init.set_defaults(func=_init)

    log = sub.add_parser("log", help="list every entry, oldest first")
    log.add_argument("--ledger", metavar="PATH|URL", help=LEDGER_HELP)
    log.add_argument("--format", choices=("text", "json"), default="text",
                     help="text for people (default), json for scripts")
    log.set_defaults(func=_log)

    verify = sub.add_parser("verify", help="check every signature and the hash chain")
    verify.add_argument("--ledger", metavar="PATH|URL", help=LEDGER_HELP)
    verify.set_defaults(func=_verify)


def _init(args: argparse.Namespace) -> int:
    admin = load_key(args.admin_key)
    if admin.role != "admin":
        raise SigningKeyError(f"{args.admin_key}: a {admin.role or 'role-less'} key; ledger init "
                              "needs one made with 'aiclear keys new --role admin'")
    location = writer_location(args.ledger)
    with open_store(location, create=True) as store:
        if not store.is_empty():
            raise LedgerError(f"{store.location}: already initialised")
        production = " ".join(args.production.split())
        statement = keyring_statement(admin, action="trust", key=admin.public_text,
                                      name=admin.name, role="admin", production=production)
        store.append(statement, sign(admin, statement))
        out(f"created ledger {store.location}; entry 1: {admin.name} is its admin")
    return 0


def _log(args: argparse.Namespace) -> int:
    with open_store(writer_location(args.ledger)) as store:
        entries = store.entries()
        checked = store.audit()
    problems = {p.entry: p for p in checked.problems}
    if args.format == "json":
        out_json([_entry_json(e, problems) for e in entries])
        return 0
    for entry in entries:
        out(_entry_line(entry, problems))
    if problems:
        note(f"{len(problems)} entr{'y' if len(problems) == 1 else 'ies'} failed verification "
             "(marked !!); run 'aiclear ledger verify'")
    return 0


def _verify(args: argparse.Namespace) -> int:
    with open_store(writer_location(args.ledger)) as store:
        checked = store.audit()
        location = store.location
    if checked.ok:
        out(_summary(checked, location))
        return 0
    for problem in checked.problems:
        out(f"{problem.rule}: entry {problem.entry}: {problem.message}")
    first = checked.problems[0]
    note(f"{location}: verification failed at entry {first.entry}: {first.message}")
    return 1


def _summary(checked: Audit, location: str) -> str:
    active = sum(1 for k in checked.keyring.keys.values() if k.active)
    return (f"ok: {location}: {checked.count} entries, chain intact, every signature valid "
            f"({active} active keys, {len(checked.decisions)} decisions)")


def _entry_json(entry: Entry, problems: dict[int, Any]) -> dict[str, Any]:
    problem = problems.get(entry.seq)
    return {
        "entry": entry.seq,
        "entry_hash": entry.entry_hash,
        "prev_hash": entry.prev_hash,
        "statement": entry.statement(),
        "signature": entry.signature,
        "valid": problem is None,
        "problem": None if problem is None else {"rule": problem.rule,
                                                 "message": problem.message},
    }


def _entry_line(entry: Entry, problems: dict[int, Any]) -> str:
    s = entry.statement() or {}
    mark = "!!" if entry.seq in problems else "  "
    if s.get("kind") == "keyring":
        what = f"keyring {s.get('action')} {s.get('name')} as {s.get('role')}"
    else:
        what = f"{s.get('decision')} {s.get('asset_id')}"
        extras = [f"{k}: {s[k]}" for k in ("conditions", "expiry", "note") if s.get(k)]
        if extras:
            what += " (" + "; ".join(extras) + ")"
    return clean(f"{mark}{entry.seq:>6}  {s.get('time', '?')}  {what}  [{_by(s)}]")


def _by(s: dict[str, Any]) -> str:
    if s.get("kind") == "decision":
        return f"{s.get('approver')}, {s.get('role')}"
    return "admin"
