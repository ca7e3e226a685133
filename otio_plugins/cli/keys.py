"""``aiclear keys new|trust|revoke|list``: signing keys and the production's keyring."""

from __future__ import annotations

import argparse
from pathlib import Path

from aiclear.cli.common import Subparsers
from aiclear.errors import LedgerError, SigningKeyError, UsageError
from aiclear.ledger.keyring import KeyInfo, Keyring
from aiclear.ledger.keys import (
    ROLES,
    SigningKey,
    check_name,
    check_role,
    load_key,
    new_key,
    read_public,
    write_key,
)
from aiclear.ledger.options import writer_location
from aiclear.ledger.output import note, out, out_json
from aiclear.ledger.statement import keyring_statement
from aiclear.ledger.store import LedgerStore, open_store
from aiclear.model import JsonObject

LEDGER_HELP = "the ledger (default: $AICLEAR_LEDGER, else ./aiclear-ledger.sqlite)"


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("keys", help="create signing keys; manage the keyring")
    sub = parser.add_subparsers(dest="keys_command", metavar="ACTION", required=True)

    new = sub.add_parser("new", help="write a new private key file and print its public key")
    new.add_argument("--name", required=True, help="the key holder, e.g. 'Ada Lovelace'")
    new.add_argument("--role", required=True, choices=ROLES,
                     help="what the key may do: admin manages keys, legal and producer clear, "
                     "editor declares and never clears")
    new.add_argument("-o", "--output", required=True, metavar="KEYFILE", type=Path,
                     help="private key file to write (mode 0600; keep it to yourself)")
    new.add_argument("--force", action="store_true", help="replace an existing key file")
    new.set_defaults(func=_new)

    trust = sub.add_parser("trust", help="add a public key to the ledger's keyring (admin)")
    trust.add_argument("key", metavar="PUBKEY|FILE",
                       help="the public key text (ed25519:...) or a key file holding it")
    trust.add_argument("--name", help="defaults to the name in a key file")
    trust.add_argument("--role", choices=ROLES, help="defaults to the role in a key file")
    _admin_arguments(trust)
    trust.set_defaults(func=_trust)

    revoke = sub.add_parser("revoke", help="revoke a key: nothing it signed counts any more")
    revoke.add_argument("key", metavar="PUBKEY|FILE",
                        help="the public key text (ed25519:...) or a key file holding it")
    _admin_arguments(revoke)
    revoke.set_defaults(func=_revoke)

    listing = sub.add_parser("list", help="show the keyring")
    listing.add_argument("--ledger", metavar="PATH|URL", help=LEDGER_HELP)
    listing.add_argument("--format", choices=("text", "json"), default="text",
                         help="text for people (default), json for scripts")
    listing.set_defaults(func=_list)


def _admin_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--by", required=True, metavar="ADMIN_KEYFILE", type=Path,
                        help="an admin's key file: only admins change the keyring")
    parser.add_argument("--note", default="", help="why, kept in the ledger entry")
    parser.add_argument("--ledger", metavar="PATH|URL", help=LEDGER_HELP)


def _new(args: argparse.Namespace) -> int:
    key = new_key(args.name, args.role)
    write_key(key, args.output, overwrite=args.force)
    out(key.public_text)
    if key.role == "admin":
        after = (f"create the ledger with it: aiclear ledger init --admin-key {args.output} "
                 "(or, on an existing ledger, have an admin trust the public key above)")
    else:
        after = "send the public key above to your ledger admin"
    note(f"wrote {args.output} (mode 0600) for {key.name} ({key.role}); {after}")
    return 0


def _trust(args: argparse.Namespace) -> int:
    public, offered = read_public(args.key)
    name = check_name(args.name or offered.get("name") or "")
    role = check_role(args.role or offered.get("role") or "")
    with open_store(writer_location(args.ledger)) as store:
        admin, keyring = _admin(store, args.by)
        known = keyring.keys.get(public)
        if known is not None and known.active and known.role == role:
            raise UsageError(f"{name}'s key is already trusted as {role} (entry "
                             f"{known.trusted_at})")
        if known is not None and known.role == "admin" and len(keyring.admins()) == 1:
            raise UsageError("refusing to take the admin role from the last admin key "
                             "(trust another admin first)")
        statement = keyring_statement(admin, action="trust", key=public, name=name, role=role,
                                      production=keyring.production, note=args.note)
        entry = store.append(statement, admin)
    out(f"entry {entry.seq}: trusted {name} as {role} ({public})")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    public, _ = read_public(args.key)
    with open_store(writer_location(args.ledger)) as store:
        admin, keyring = _admin(store, args.by)
        target = keyring.keys.get(public)
        if target is None or not target.active:
            raise UsageError(f"{public} is not a trusted key of this ledger")
        if target.role == "admin" and len(keyring.admins()) == 1:
            raise UsageError("refusing to revoke the last admin key (trust another admin first)")
        statement = keyring_statement(admin, action="revoke", key=public, name=target.name,
                                      role=target.role, production=keyring.production,
                                      note=args.note)
        entry = store.append(statement, admin)
    out(f"entry {entry.seq}: revoked {target.name} ({target.role}); nothing this key signed "
        "counts any more")
    return 0


def _list(args: argparse.Namespace) -> int:
    with open_store(writer_location(args.ledger)) as store:
        keyring = store.keyring()
    keys = sorted(keyring.keys.values(), key=lambda k: k.trusted_at)
    if args.format == "json":
        out_json([_key_json(k) for k in keys])
        return 0
    for k in keys:
        state = "active" if k.active else f"revoked at entry {k.revoked_at}"
        out(f"{k.name:<24} {k.role:<9} {state:<22} {k.public}")
    return 0


def _admin(store: LedgerStore, path: Path) -> tuple[SigningKey, Keyring]:
    admin = load_key(path)
    keyring = store.keyring()
    if not keyring.keys:
        raise LedgerError(f"{store.location}: ledger has no keyring yet (run 'aiclear ledger "
                          "init --admin-key KEYFILE')")
    info = keyring.active(admin.public_text)
    if info is None or info.role != "admin":
        raise SigningKeyError(f"{path}: not an active admin key of this ledger")
    return admin, keyring


def _key_json(k: KeyInfo) -> JsonObject:
    return {"name": k.name, "role": k.role, "key": k.public, "trusted_at": k.trusted_at,
            "revoked_at": k.revoked_at, "active": k.active}
