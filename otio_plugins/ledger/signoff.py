"""Sign a decision on an asset into the ledger with a key file, and read an asset's history.

The same steps as ``aiclear approve|reject|revoke`` (aiclear.cli.decide), for callers that
already know the asset_id (the panel's session): the key must be trusted by the ledger's
keyring, whose role and name go into the statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aiclear.errors import SigningKeyError

if TYPE_CHECKING:  # the store, keyring and keys load SQLAlchemy and cryptography: on use
    from aiclear.ledger.keyring import KeyInfo, Keyring
    from aiclear.ledger.keys import SigningKey

VERBS = ("approve", "reject", "revoke")


@dataclass(frozen=True, slots=True)
class HistoryItem:
    seq: int
    time: str
    decision: str
    approver: str
    role: str
    note: str
    conditions: str


def sign_decision(location: str, asset_id: str, verb: str, key_file: Path, *, note: str = "",
                  conditions: str = "", expires: str | None = None,
                  record: Mapping[str, object] | None = None) -> int:
    """Append a signed decision; returns the new entry's sequence number. ``record``: the
    claims an approval is given for (aiclear.policy.claims.binding), bound into it."""
    from aiclear.ledger.keys import load_key
    from aiclear.ledger.statement import decision_statement, parse_expiry
    from aiclear.ledger.store import open_store

    key = load_key(key_file)
    expiry = parse_expiry(expires) if verb == "approve" else None
    with open_store(location) as store:
        keyring = store.keyring()
        info = trusted_key(keyring, key, key_file, store.location)
        statement = decision_statement(
            key, asset_id=asset_id, decision=verb, role=info.role, approver=info.name,
            production=keyring.production, scope="", note=note, expiry=expiry,
            conditions=conditions if verb == "approve" else "",
            record=record if verb == "approve" else None)
        return int(store.append(statement, key).seq)


def trusted_key(keyring: Keyring, key: SigningKey, key_file: Path, location: str) -> KeyInfo:
    """The keyring's entry (name, role) for the key, or SigningKeyError naming the ledger."""
    info = keyring.active(key.public_text)
    if info is None:
        raise SigningKeyError(f"{key_file}: {key.name}'s key is not trusted by "
                              f"{location} (ask an admin to run 'aiclear keys trust')")
    return info


def asset_history(location: str, asset_id: str) -> list[HistoryItem]:
    """Every decision the ledger at ``location`` holds on an asset, oldest first."""
    from aiclear.ledger.store import open_store

    with open_store(location) as store:
        entries = [e for e in store.entries() if e.asset_id == asset_id]
    return [_history_item(e.seq, e.statement() or {}) for e in entries]


def _history_item(seq: int, statement: Mapping[str, object]) -> HistoryItem:
    return HistoryItem(
        seq=seq, time=str(statement.get("time", "")), decision=_what(statement),
        approver=str(statement.get("approver", "")), role=str(statement.get("role", "")),
        note=str(statement.get("note", "")), conditions=str(statement.get("conditions", "")))


def _what(statement: Mapping[str, object]) -> str:
    """``approve`` / ``reject`` / ``revoke``, or ``declare use, people`` for a declaration."""
    fields = statement.get("fields")
    if statement.get("kind") == "declaration" and isinstance(fields, dict):
        return "declare " + ", ".join(f"{k}={_short(v)}" for k, v in sorted(fields.items()))
    return str(statement.get("decision", ""))


def _short(value: object) -> str:
    if isinstance(value, list):
        return f"{len(value)} item(s)"
    return str(value)


@dataclass(frozen=True, slots=True)
class Target:
    """Where a sign-off goes and who signs it, as the dialog shows before signing."""

    ledger: str  # the location (a URL's password redacted)
    production: str
    signer: str  # "Lea Legal (legal)", or why the key cannot sign
    role: str | None  # the keyring's role for the key; None when it cannot sign


def signing_target(location: str | None, key_file: Path | None) -> Target:
    """Read the ledger's production and the key's holder; never raises (the dialog shows
    the problem inline)."""
    from aiclear.errors import AiclearError
    from aiclear.ledger.keys import load_key
    from aiclear.ledger.store import open_store

    if location is None:
        return Target("(no ledger in this build)", "", "", None)
    try:
        with open_store(location) as store:
            keyring = store.keyring()
            where, production = store.location, keyring.production
    except AiclearError as err:
        return Target(location, "", f"cannot read the ledger: {err}", None)
    if key_file is None or not str(key_file).strip():
        return Target(where, production, "choose your key file", None)
    try:
        key = load_key(Path(key_file))
    except AiclearError as err:
        return Target(where, production, str(err), None)
    info = keyring.active(key.public_text)
    if info is None:
        return Target(where, production, f"{key.name}'s key is not trusted by this ledger "
                      "(ask an admin to run 'aiclear keys trust')", None)
    return Target(where, production, f"{info.name} ({info.role})", info.role)


def sign_declaration(location: str, asset_id: str, fields: Mapping[str, object],
                     key_file: Path, *, note: str = "") -> int:
    """Append a signed declaration (aiclear.ledger.declaration); returns the new entry's
    sequence number."""
    from aiclear.ledger.declaration import declaration_statement
    from aiclear.ledger.keys import load_key
    from aiclear.ledger.store import open_store

    key = load_key(key_file)
    with open_store(location) as store:
        keyring = store.keyring()
        info = trusted_key(keyring, key, key_file, store.location)
        statement = declaration_statement(key, asset_id=asset_id, fields=dict(fields),
                                          production=keyring.production, role=info.role,
                                          approver=info.name, note=note)
        return int(store.append(statement, key).seq)
