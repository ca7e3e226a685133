"""``aiclear ledger init|pin|root|log|verify|checkpoint|mirror|policy|catalogue|upgrade``:
create the ledger and its production root, pin it, read it, prove it intact and not rolled
back, re-pin the production's policy or approved-tools catalogue."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path

from aiclear.cli.common import Subparsers
from aiclear.errors import LedgerError, SigningKeyError
from aiclear.ledger import witness
from aiclear.ledger.audit import Audit
from aiclear.ledger.chain import Entry
from aiclear.ledger.keyring import Problem
from aiclear.ledger.keys import load_key, read_public
from aiclear.ledger.options import add_trust_root_argument, writer_location
from aiclear.ledger.output import clean, note, out, out_json
from aiclear.ledger.pins import applicable, check_fingerprint, pin_for_user
from aiclear.ledger.root import new_root
from aiclear.ledger.store import open_store
from aiclear.ledger.view import LedgerView
from aiclear.model import JsonObject
from aiclear.safety import shape
from aiclear.safety.fileio import atomic_write

LEDGER_HELP = "the ledger (default: $AICLEAR_LEDGER, else ./aiclear-ledger.sqlite)"


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("ledger", help="create, read and verify the clearance ledger")
    sub = parser.add_subparsers(dest="ledger_command", metavar="ACTION", required=True)

    init = sub.add_parser("init", help="create a ledger and its signed production root, and "
                          "pin that root for you")
    init.add_argument("--admin-key", required=True, metavar="KEYFILE", type=Path,
                      help="the admin key that signs the production root")
    init.add_argument("--admin", action="append", default=[], metavar="PUBKEY|FILE",
                      help="another admin public key listed in the root (repeatable)")
    init.add_argument("--production", default="", help="production name recorded in the root")
    init.add_argument("--profile", default="baseline", metavar="NAME|FILE",
                      help="the policy profile the root pins by content hash (default baseline)")
    init.add_argument("--catalogue", metavar="FILE", type=Path,
                      help="the approved-tools catalogue the root pins by content hash "
                      "(default: none pinned)")
    init.add_argument("--ledger", metavar="PATH|URL",
                      help="where to create it: a SQLite path or a postgresql:// URL")
    init.set_defaults(func=_init)

    pin = sub.add_parser("pin", help="trust a production root on this machine (your pins)")
    pin.add_argument("fingerprint", metavar="FINGERPRINT",
                     help="the production root's fingerprint (64 hex, as 'ledger init' prints it)")
    pin.add_argument("--note", default="", help="a comment kept beside the pin")
    pin.set_defaults(func=_pin)

    root = sub.add_parser("root", help="show the ledger's production root and whether it is "
                          "pinned here")
    root.add_argument("--ledger", metavar="PATH|URL", help=LEDGER_HELP)
    add_trust_root_argument(root)
    root.add_argument("--format", choices=("text", "json"), default="text",
                      help="text for people (default) or json")
    root.set_defaults(func=_root)

    log = sub.add_parser("log", help="list every entry, oldest first")
    log.add_argument("--ledger", metavar="PATH|URL", help=LEDGER_HELP)
    log.add_argument("--format", choices=("text", "json"), default="text",
                     help="text for people (default), json for scripts")
    log.set_defaults(func=_log)

    verify = sub.add_parser("verify", help="check every signature, the hash chain, the pin "
                            "and that the ledger did not go backwards")
    verify.add_argument("--ledger", metavar="PATH|URL", help=LEDGER_HELP)
    add_trust_root_argument(verify)
    verify.add_argument("--against", action="append", default=[], metavar="REPORT_OR_CERT",
                        type=Path, help="prove the head recorded in a report, tagged timeline, "
                        "certificate or checkpoint is a prefix of today's chain (repeatable)")
    verify.add_argument("--mirror", metavar="PATH|URL", help="compare with a mirror written by "
                        "'aiclear ledger mirror'")
    verify.set_defaults(func=_verify)

    point = sub.add_parser("checkpoint", help="write a signed checkpoint of the head")
    point.add_argument("--key", required=True, metavar="KEYFILE", type=Path,
                       help="a trusted key that signs the checkpoint")
    point.add_argument("-o", "--output", required=True, metavar="FILE", type=Path,
                       help="where to write the signed checkpoint")
    point.add_argument("--ledger", metavar="PATH|URL", help=LEDGER_HELP)
    point.set_defaults(func=_checkpoint)

    mirror = sub.add_parser("mirror", help="append every entry to a second store (a witness)")
    mirror.add_argument("dest", metavar="PATH|URL",
                        help="the witness store: a SQLite file or a second database URL")
    mirror.add_argument("--ledger", metavar="PATH|URL", help=LEDGER_HELP)
    mirror.set_defaults(func=_mirror)

    pol = sub.add_parser("policy", help="re-pin the production's policy profile (admin-signed)")
    pol.add_argument("--key", required=True, metavar="ADMIN_KEYFILE", type=Path,
                     help="an admin key of the production root")
    pol.add_argument("--profile", required=True, metavar="NAME|FILE",
                     help="the policy profile to pin by content hash")
    pol.add_argument("--note", default="", help="why the policy changes (kept in the entry)")
    pol.add_argument("--ledger", metavar="PATH|URL", help=LEDGER_HELP)
    pol.set_defaults(func=_policy)

    cat = sub.add_parser("catalogue", help="pin the production's approved-tools catalogue "
                         "(admin-signed)")
    cat.add_argument("--key", required=True, metavar="ADMIN_KEYFILE", type=Path,
                     help="an admin key of the production root")
    cat.add_argument("--catalogue", required=True, metavar="FILE", type=Path,
                     help="the approved-tools catalogue to pin by content hash")
    cat.add_argument("--note", default="", help="why the catalogue changes (kept in the entry)")
    cat.add_argument("--ledger", metavar="PATH|URL", help=LEDGER_HELP)
    cat.set_defaults(func=_catalogue)

    up = sub.add_parser("upgrade", help="carry a schema-1 ledger into a production root "
                        "(admin-signed; old entries kept and referenced by hash)")
    up.add_argument("--key", required=True, metavar="ADMIN_KEYFILE", type=Path,
                    help="the admin key that signs the new production root")
    up.add_argument("--profile", default="baseline", metavar="NAME|FILE",
                    help="the policy profile the new root pins (default baseline)")
    up.add_argument("--catalogue", metavar="FILE", type=Path,
                    help="the approved-tools catalogue the new root pins (default: none)")
    up.add_argument("--ledger", metavar="PATH|URL", help=LEDGER_HELP)
    up.set_defaults(func=_upgrade)


def _init(args: argparse.Namespace) -> int:
    admin = load_key(args.admin_key)
    if admin.role != "admin":
        raise SigningKeyError(f"{args.admin_key}: a {admin.role or 'role-less'} key; ledger init "
                              "needs one made with 'aiclear keys new --role admin'")
    location = writer_location(args.ledger)
    more = [_admin_public(a) for a in args.admin]
    with open_store(location, create=True) as store:
        if not store.is_empty():
            raise LedgerError(f"{store.location}: already initialised")
        production = " ".join(args.production.split())
        root = new_root(admin, production=production, profile=args.profile,
                        ledger=store.location, more_admins=more, catalogue=args.catalogue)
        store.append(root, admin)
        keyring = store.keyring()
    path = pin_for_user(keyring.root_fingerprint, production or store.location)
    out(f"created ledger {store.location}; entry 1: the production root, admin {admin.name}")
    out(f"root fingerprint: {keyring.root_fingerprint}")
    note(f"pinned it for you in {path}; other machines pin it with 'aiclear ledger pin "
         f"{keyring.root_fingerprint}' (or an administrator adds it to the system pins)")
    return 0


def _admin_public(arg: str) -> tuple[str, str]:
    public, offered = read_public(arg)
    return public, offered.get("name") or "admin"


def _pin(args: argparse.Namespace) -> int:
    fp = check_fingerprint(args.fingerprint)
    path = pin_for_user(fp, args.note)
    out(f"pinned {fp} in {path}")
    pins = applicable()
    if pins.source == "system" and not pins.pins(fp):
        note(f"the administrator's pins ({pins.path}) replace yours on this machine; this "
             "pin counts only where there are none")
    return 0


def _root(args: argparse.Namespace) -> int:
    pins = applicable(args.trust_root)
    with open_store(writer_location(args.ledger)) as store:
        view = LedgerView(store.audit(), location=store.location, pins=pins)
    trust = view.trust
    if args.format == "json":
        keyring = view.audit.keyring
        out_json(dict(trust.to_json(), policy=keyring.policy,
                      deliverables=keyring.deliverables, catalogue=keyring.catalogue or None))
    else:
        out(f"{trust.state}: {trust.location}: production {trust.production!r} "
            f"({trust.production_id}), root {trust.root or '-'}")
        if trust.reason:
            note(trust.reason)
    return 0 if trust.pinned else 1


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
    pins = applicable(args.trust_root)
    with open_store(writer_location(args.ledger)) as store:
        view = LedgerView.load(store, pins=pins)
        entries = store.entries() if args.mirror else []
        location = store.location
    checked = view.audit
    failed = _problems(checked, location)
    if view.trust.state == "legacy":
        note(view.trust.reason)
    elif not view.trust.pinned:
        out(f"{view.integrity_findings()[0].rule}: {view.trust.reason}")
        failed = True
    for path in args.against:
        failed = _against(path, checked) or failed
    if args.mirror:
        failed = _compare_mirror(args.mirror, entries) or failed
    if not failed:
        out(_summary(checked, location))
        out(f"head: entry {checked.head[0]} {checked.head[1]}; root {view.trust.root or '-'}")
    return 1 if failed else 0


def _problems(checked: Audit, location: str) -> bool:
    for problem in checked.problems:
        out(f"{problem.rule}: entry {problem.entry}: {problem.message}")
    if checked.problems:
        first = checked.problems[0]
        note(f"{location}: verification failed at entry {first.entry}: {first.message}")
    return bool(checked.problems)


def _against(path: Path, checked: Audit) -> bool:
    document, recorded = witness.read_evidence(path)
    signers = witness.checkpoint_signers(document, checked)
    by = f", checkpoint signed by {', '.join(signers)}" if signers else ""
    failed = False
    for head in recorded:
        problem = witness.prefix_problem(head, checked)
        if problem is None:
            out(f"ok: {path}: entry {head.seq} ({head.digest[:16]}…) is a prefix of today's "
                f"chain (now {checked.head[0]} entries){by}")
        else:
            out(f"ledger.rollback: {path}: {problem}")
            failed = True
    return failed


def _compare_mirror(dest: str, entries: list[Entry]) -> bool:
    with open_store(dest) as mirror:
        theirs = mirror.entries()
        where = mirror.location
    problem = witness.mirror_problem(entries, theirs)
    if problem is not None:
        out(f"ledger.rollback: mirror {where}: {problem}")
        return True
    if len(theirs) < len(entries):
        note(f"mirror {where} is {len(entries) - len(theirs)} entries behind (run 'aiclear "
             "ledger mirror')")
    return False


def _checkpoint(args: argparse.Namespace) -> int:
    key = load_key(args.key)
    with open_store(writer_location(args.ledger)) as store:
        checked = store.audit()
    if not checked.ok or checked.keyring.active(key.public_text) is None:
        raise LedgerError(f"{args.key}: refusing to checkpoint (the ledger must verify and the "
                          "key must be trusted by it)")
    document = witness.checkpoint(key, checked)
    atomic_write(args.output, json.dumps(document, indent=2) + "\n", overwrite=False)
    out(f"checkpoint of entry {checked.head[0]} ({checked.head[1]}) written to {args.output}")
    return 0


def _policy(args: argparse.Namespace) -> int:
    from aiclear.ledger.root import policy_pin
    from aiclear.ledger.statement import policy_statement

    admin = load_key(args.key)
    policy, deliverables = policy_pin(args.profile)
    with open_store(writer_location(args.ledger)) as store:
        statement = policy_statement(admin, policy=policy, deliverables=deliverables,
                                     production=store.keyring().production, note=args.note)
        entry = store.append(statement, admin)
    out(f"entry {entry.seq}: policy {policy['name']} ({policy['sha256'][:16]}…), deliverables "
        f"{' '.join(deliverables)}")
    return 0


def _catalogue(args: argparse.Namespace) -> int:
    from aiclear.ledger.root import catalogue_pin
    from aiclear.ledger.statement import catalogue_statement

    admin = load_key(args.key)
    pin = catalogue_pin(args.catalogue)
    with open_store(writer_location(args.ledger)) as store:
        statement = catalogue_statement(admin, catalogue=pin,
                                        production=store.keyring().production, note=args.note)
        entry = store.append(statement, admin)
    out(f"entry {entry.seq}: approved-tools catalogue {pin['name']} ({pin['sha256'][:16]}…)")
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    from aiclear.ledger.upgrade import upgrade

    admin = load_key(args.key)
    with open_store(writer_location(args.ledger)) as store:
        entries = upgrade(store, admin, args.profile, args.catalogue)
        keyring = store.keyring()
        location = store.location
    path = pin_for_user(keyring.root_fingerprint, keyring.production or location)
    out(f"upgraded {location}: {len(entries)} entries under production root "
        f"{keyring.root_fingerprint}; the schema-1 entries are kept as legacy entries")
    note(f"pinned the new root for you in {path}; pin it on other machines with 'aiclear "
         f"ledger pin {keyring.root_fingerprint}'")
    return 0


def _mirror(args: argparse.Namespace) -> int:
    with open_store(writer_location(args.ledger)) as store:
        entries = store.entries()
        source = store.location
    with open_store(args.dest, create=True) as mirror:
        theirs = mirror.entries()
        problem = witness.mirror_problem(entries, theirs)
        if problem is not None:
            raise LedgerError(f"{mirror.location}: refusing to mirror {source}: {problem}")
        mirror.append_raw(entries[len(theirs):])
        out(f"mirror {mirror.location}: {len(entries) - len(theirs)} new entries, now "
            f"{len(entries)} (head {entries[-1].entry_hash if entries else '-'})")
    return 0


def _summary(checked: Audit, location: str) -> str:
    active = sum(1 for k in checked.keyring.keys.values() if k.active)
    return (f"ok: {location}: {checked.count} entries, chain intact, every signature valid "
            f"({active} active keys, {len(checked.decisions)} decisions)")


def _entry_json(entry: Entry, problems: Mapping[int, Problem]) -> JsonObject:
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


def _entry_line(entry: Entry, problems: Mapping[int, Problem]) -> str:
    s = entry.statement() or {}
    mark = "!!" if entry.seq in problems else "  "
    if s.get("kind") == "keyring":
        what = f"keyring {s.get('action')} {s.get('name')} as {s.get('role')}"
    elif s.get("kind") == "root":
        names = ", ".join(str(a.get("name")) for a in shape.records(s.get("admins")))
        what = f"production root {s.get('production')!r} ({s.get('production_id')}), admin {names}"
    elif s.get("kind") == "policy":
        what = f"policy {s.get('policy')}"
    elif s.get("kind") == "catalogue":
        what = f"catalogue {s.get('catalogue')}"
    elif s.get("kind") == "declaration":
        fields = s.get("fields")
        what = f"declare {', '.join(sorted(fields)) if isinstance(fields, dict) else '?'} " \
               f"{s.get('asset_id')}"
    else:
        what = f"{s.get('decision')} {s.get('asset_id')}"
        extras = [f"{k}: {s[k]}" for k in ("conditions", "expiry", "note") if s.get(k)]
        if extras:
            what += " (" + "; ".join(extras) + ")"
    return clean(f"{mark}{entry.seq:>6}  {s.get('time', '?')}  {what}  [{_by(s)}]")


def _by(s: Mapping[str, object]) -> str:
    if s.get("kind") in ("decision", "declaration"):
        return f"{s.get('approver')}, {s.get('role')}"
    return "admin"
