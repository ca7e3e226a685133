"""The one place provenance asks the ledger about trust: which production root, which
head, is it pinned, and may this key speak for the production.

Everything in ``aiclear.provenance`` goes through these functions and types, so the
signed production root (root fingerprint, pins, signed checkpoints of the head) can be
wired in here alone.

Today's ledger has no signed root record yet, so the root is *derived*: its fingerprint
is a SHA-256 over the production name and the sorted public keys of the keyring's active
admins at a given head (``root_fingerprint``). It is stable for as long as the admins
are; adding or revoking an admin gives a new fingerprint, which is why a certificate
records the fingerprint of the head it was judged against. A pin is today only what the
caller gives (``--trust-root FP`` for one run).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiclear.errors import LedgerError, UsageError
from aiclear.ledger.audit import Audit, audit
from aiclear.ledger.chain import Entry
from aiclear.ledger.keyring import Keyring
from aiclear.ledger.keys import verify
from aiclear.ledger.statement import canonical

ROOT_VERSION = 1
#: roles whose keys may sign a clearance certificate for the production
CERTIFYING_ROLES = ("admin", "producer", "legal")
_FINGERPRINT = re.compile(r"^sha256:[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class Head:
    """The newest entry a judgement saw: its number and hash."""

    seq: int
    entry_hash: str

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "entry_hash": self.entry_hash}


@dataclass(frozen=True, slots=True)
class Root:
    """The production root: its fingerprint and what the fingerprint is computed over."""

    fingerprint: str
    production: str
    admins: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"fingerprint": self.fingerprint, "production": self.production,
                "admins": list(self.admins)}


@dataclass(slots=True)
class Snapshot:
    """One consistent read of a ledger: the entries up to ``head``, verified."""

    location: str
    entries: list[Entry]
    head: Head | None
    audit: Audit

    @property
    def keyring(self) -> Keyring:
        return self.audit.keyring

    @property
    def root(self) -> Root:
        return root_of(self.audit.keyring)


def root_fingerprint(production: str, admins: Iterable[str]) -> str:
    """``sha256:<hex>`` over the production name and its admin keys (sorted)."""
    body = canonical({"v": ROOT_VERSION, "production": production, "admins": sorted(admins)})
    return "sha256:" + hashlib.sha256(body).hexdigest()


def root_of(keyring: Keyring) -> Root:
    admins = tuple(sorted(k.public for k in keyring.admins()))
    return Root(root_fingerprint(keyring.production, admins), keyring.production, admins)


def root_from_json(block: Mapping[str, Any]) -> Root:
    """A root as a certificate states it (fields already schema-checked)."""
    admins = tuple(str(a) for a in block.get("admins") or ())
    return Root(str(block.get("fingerprint", "")), str(block.get("production", "")), admins)


def root_problem(root: Root) -> str | None:
    """Why a stated root does not hash to its own fingerprint, or None."""
    if root_fingerprint(root.production, root.admins) != root.fingerprint:
        return "its admin keys do not hash to its fingerprint"
    return None


def check_fingerprint(text: str) -> str:
    """A ``--trust-root`` value in canonical form; UsageError naming the expected shape."""
    value = text.strip().lower()
    if not value.startswith("sha256:"):
        value = "sha256:" + value
    if not _FINGERPRINT.match(value):
        raise UsageError(f"bad --trust-root {text!r} (expected sha256:<64 hex>, "
                         "the fingerprint 'aiclear certify' prints)")
    return value


def is_pinned(root: Root, pin: str | None) -> bool:
    """Whether ``root`` is the root the verifier pinned (today: ``--trust-root`` only)."""
    return pin is not None and root.fingerprint == check_fingerprint(pin)


def read_snapshot(location: str) -> Snapshot:
    """The ledger at ``location`` read once and verified (entries after the head row, if
    a writer appended between the two reads, are left for the next read)."""
    from aiclear.ledger.store import open_store  # SQLAlchemy only when a ledger is read

    with open_store(location) as store:
        stored = store.head()
        entries = store.entries()
        where = store.location
    head = Head(*stored) if stored else None
    if head is not None:
        entries = [e for e in entries if e.seq <= head.seq]
    return Snapshot(where, entries, head, audit(entries, stored))


def ledger_head(location: str) -> Head | None:
    """The ledger's head as its store records it (no verification: for display)."""
    from aiclear.ledger.store import open_store

    with open_store(location) as store:
        stored = store.head()
    return Head(*stored) if stored else None


def prefix(snapshot: Snapshot, head: Head) -> Snapshot:
    """The ledger as it stood at ``head`` (the entries up to it, verified against it);
    LedgerError when this ledger never had that head."""
    entries = [e for e in snapshot.entries if e.seq <= head.seq]
    if not entries or entries[-1].seq != head.seq or entries[-1].entry_hash != head.entry_hash:
        raise LedgerError(f"{snapshot.location}: does not contain the certified head "
                          f"(entry {head.seq} {head.entry_hash[:12]}…)")
    return Snapshot(snapshot.location, entries, head,
                    audit(entries, (head.seq, head.entry_hash)))


# --------------------------------------------------------------------------- signers

def credential(snapshot: Snapshot, public: str) -> dict[str, Any]:
    """What lets a verifier accept ``public`` as a certifying key of the root without the
    ledger: the keyring entry (statement and signature) in which an admin trusted it.
    LedgerError when the key may not certify."""
    info = snapshot.keyring.active(public)
    if info is None:
        raise LedgerError(f"{snapshot.location}: the signing key is not trusted by this "
                          "ledger's keyring (ask an admin to run 'aiclear keys trust')")
    if info.role not in CERTIFYING_ROLES:
        raise LedgerError(f"{snapshot.location}: {info.name}'s key has role {info.role}; "
                          "clearance certificates are signed by admin, producer or legal keys")
    for entry in reversed(snapshot.entries):
        statement = entry.statement() or {}
        if (statement.get("kind") == "keyring" and statement.get("action") == "trust"
                and statement.get("key") == public):
            return {"name": info.name, "role": info.role, "trusted_by": {
                "seq": entry.seq, "statement": statement, "signature": entry.signature}}
    raise LedgerError(f"{snapshot.location}: no keyring entry trusts the signing key")


def credential_problem(root: Root, public: str, cred: Mapping[str, Any]) -> str | None:
    """Why ``cred`` does not show ``public`` to be a certifying key of ``root``, or None."""
    trusted = cred.get("trusted_by")
    if not isinstance(trusted, Mapping):
        return "the signer carries no keyring entry"
    statement, signature = trusted.get("statement"), trusted.get("signature")
    if not isinstance(statement, dict) or not isinstance(signature, str):
        return "the signer's keyring entry is malformed"
    if statement.get("kind") != "keyring" or statement.get("action") != "trust":
        return "the signer's keyring entry is not a trust entry"
    if statement.get("key") != public:
        return "the signer's keyring entry trusts a different key"
    if statement.get("role") not in CERTIFYING_ROLES or statement.get("role") != cred.get("role"):
        return f"the signer's role {statement.get('role')!r} may not certify"
    admin = str(statement.get("signer", ""))
    if admin not in root.admins:
        return "the signer was trusted by a key that is not an admin of the root"
    if not verify(admin, signature, canonical(statement)):
        return "the signer's keyring entry does not verify"
    return None


def later_entries(snapshot: Snapshot, head: Head) -> Sequence[Entry]:
    return [e for e in snapshot.entries if e.seq > head.seq]
