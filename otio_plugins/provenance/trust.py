"""The one place provenance asks the ledger about trust: which production root, which
head, is it pinned here, and may this key speak for the production.

The root is the ledger's signed production root (entry 1 of a schema-2 ledger,
``aiclear.ledger.root``); its fingerprint is the SHA-256 (64 hex) of the root statement's
canonical JSON (``aiclear.ledger.keyring.fingerprint``), the same value ``aiclear ledger
init`` and ``ledger root`` print and ``ledger pin`` stores. A certificate carries the root
statement itself and its entry-1 signature, so a studio hashes it offline and compares the
hash with its pin.

A signer's credential is either the root itself (an admin listed in it) or the keyring
entry in which one of the root's admins trusted the key, carried *with its place*
(production id, entry number, previous hash) so its signature (DSSE PAE,
``aiclear.ledger.envelope.verify_entry``) verifies offline. A key trusted by an admin who
was added after the root is refused (fail closed): the verifier has only the root, and a
chain of keyring entries is not carried.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiclear.errors import LedgerError, UsageError
from aiclear.ledger.audit import Audit, audit
from aiclear.ledger.chain import GENESIS_HASH, Entry
from aiclear.ledger.envelope import verify_entry
from aiclear.ledger.keyring import Keyring, fingerprint
from aiclear.ledger.pins import PinSet
from aiclear.model import LedgerTrust
from aiclear.provenance.payload import Credential, EntryRef, RootBlock
from aiclear.safety import shape

if TYPE_CHECKING:
    from aiclear.ledger.view import LedgerView  # imported where a snapshot is judged

#: roles whose keys may sign a clearance certificate for the production
CERTIFYING_ROLES = ("admin", "producer", "legal")
_DISPLAY = re.compile(r"^(sha256:)?[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class Head:
    """The newest entry a judgement saw: its number and hash."""

    seq: int
    entry_hash: str

    def to_json(self) -> EntryRef:
        return {"seq": self.seq, "entry_hash": self.entry_hash}


@dataclass(frozen=True, slots=True)
class Root:
    """The production root as a certificate states it: the signed statement (entry 1),
    its signature, and what a reader wants without parsing it."""

    fingerprint: str  # 64 hex, as ledger init / ledger root print it
    production: str
    production_id: str
    admins: tuple[str, ...]
    statement: Mapping[str, object]
    signature: str

    def to_json(self) -> RootBlock:
        return {"fingerprint": self.fingerprint, "production": self.production,
                "production_id": self.production_id, "admins": list(self.admins),
                "statement": dict(self.statement), "signature": self.signature}


@dataclass(slots=True)
class Snapshot:
    """One consistent read of a ledger: the entries up to ``head``, verified, and (when
    read with pins) its trust as the view judges it."""

    location: str
    entries: list[Entry]
    head: Head | None
    audit: Audit
    view: LedgerView | None = None  # judged against this machine's pins (read with pins)

    @property
    def keyring(self) -> Keyring:
        return self.audit.keyring

    @property
    def judged(self) -> LedgerView:
        """The view judged against this machine's pins; LedgerError when read without."""
        if self.view is None:
            raise LedgerError(f"{self.location}: read without pins")
        return self.view

    @property
    def trust(self) -> LedgerTrust:
        return self.judged.trust

    @property
    def root(self) -> Root:
        """The production root of entry 1; LedgerError when the ledger has none."""
        first = self.entries[0] if self.entries else None
        statement = first.statement() if first is not None else None
        if (first is None or statement is None or statement.get("kind") != "root"
                or self.keyring.root_fingerprint != fingerprint(statement)):
            raise LedgerError(f"{self.location}: has no valid production root at entry 1 "
                              "(a schema-1 ledger: run 'aiclear ledger upgrade')")
        return root_from_statement(statement, first.signature)


def root_from_statement(statement: Mapping[str, object], signature: str) -> Root:
    admins = tuple(str(a.get("key")) for a in shape.records(statement.get("admins")))
    return Root(fingerprint(dict(statement)), str(statement.get("production", "")),
                str(statement.get("production_id", "")), admins, statement, signature)


def root_from_json(block: RootBlock) -> Root:
    """A root as a certificate states it (fields already schema-checked)."""
    return Root(bare(block["fingerprint"]), block["production"], block["production_id"],
                tuple(block["admins"]), block["statement"], block["signature"])


def root_problem(root: Root) -> str | None:
    """Why a stated root is not the signed root statement it carries, or None."""
    statement = dict(root.statement)
    if statement.get("kind") != "root":
        return "it carries no production root statement"
    if fingerprint(statement) != root.fingerprint:
        return "its root statement does not hash to its fingerprint"
    stated = root_from_statement(statement, root.signature)
    if (stated.production, stated.production_id, stated.admins) != (
            root.production, root.production_id, root.admins):
        return "its production or admins are not those of its root statement"
    signer = str(statement.get("signer", ""))
    if signer not in root.admins or not verify_entry(
            signer, root.signature, root.production_id, 1, GENESIS_HASH, statement):
        return "its root statement is not signed by one of its admins as entry 1"
    return None


def bare(text: str) -> str:
    """A fingerprint without the ``sha256:`` display prefix, lower case."""
    return text.strip().lower().removeprefix("sha256:")


def check_fingerprint(text: str) -> str:
    """A ``--trust-root`` value as the 64 hex that ``ledger init``/``ledger root`` print
    (``sha256:<hex>`` accepted too); UsageError naming the expected shape."""
    if not _DISPLAY.match(text.strip().lower()):
        raise UsageError(f"bad --trust-root {text!r} (expected the 64 hex digits printed by "
                         "'aiclear ledger init', 'aiclear ledger root' or 'aiclear certify')")
    return bare(text)


def is_pinned(root: Root, pin: str | None) -> bool:
    """Whether ``root`` is the root the verifier pinned with ``--trust-root``."""
    return pin is not None and root.fingerprint == check_fingerprint(pin)


def read_snapshot(location: str, pins: PinSet | None = None) -> Snapshot:
    """The ledger at ``location`` read once and verified (entries after the head row, if
    a writer appended between the two reads, are left for the next read). With ``pins``,
    also judged as ``check`` judges it (pinned, unverified or legacy; rolled back)."""
    from aiclear.ledger.store import open_store  # SQLAlchemy only when a ledger is read
    from aiclear.ledger.view import LedgerView

    with open_store(location) as store:
        stored = store.head()
        entries = store.entries()
        where = store.location
    head = Head(*stored) if stored else None
    if head is not None:
        entries = [e for e in entries if e.seq <= head.seq]
    snapshot = Snapshot(where, entries, head, audit(entries, stored))
    if pins is not None:
        snapshot.view = LedgerView.judged(snapshot.audit, where, pins=pins)
    return snapshot


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


def certify_problem(snapshot: Snapshot, intent: str) -> str | None:
    """Why this ledger cannot back a certificate of ``intent``, or None. A legacy or
    rootless ledger backs none; an unpinned (or rolled-back) one only a review."""
    trust = snapshot.trust
    if trust.state == "legacy" or not trust.root:
        return trust.reason
    if intent == "final" and not trust.pinned:
        return f"a final certificate needs a ledger pinned here: {trust.reason}"
    return None


# --------------------------------------------------------------------------- signers

def credential(snapshot: Snapshot, public: str) -> Credential:
    """What lets a verifier accept ``public`` as a certifying key of the root without the
    ledger: nothing more for an admin the root lists, else the keyring entry (with its
    place) in which one of the root's admins trusted it. LedgerError when the key may not
    certify, or could not be shown to."""
    info = snapshot.keyring.active(public)
    if info is None:
        raise LedgerError(f"{snapshot.location}: the signing key is not trusted by this "
                          "ledger's keyring (ask an admin to run 'aiclear keys trust')")
    if info.role not in CERTIFYING_ROLES:
        raise LedgerError(f"{snapshot.location}: {info.name}'s key has role {info.role}; "
                          "clearance certificates are signed by admin, producer or legal keys")
    root = snapshot.root
    if info.role == "admin" and public in root.admins and info.trusted_at == 1:
        return {"name": info.name, "role": info.role, "trusted_by": None}
    for entry in reversed(snapshot.entries):
        statement = entry.statement() or {}
        if (statement.get("kind") == "keyring" and statement.get("action") == "trust"
                and statement.get("key") == public):
            if statement.get("signer") not in root.admins:
                raise LedgerError(f"{snapshot.location}: {info.name}'s key was trusted by an "
                                  "admin added after the production root; a certificate must "
                                  "be signed by a key a root admin trusted")
            return {"name": info.name, "role": info.role, "trusted_by": {
                "production_id": snapshot.keyring.production_id, "seq": entry.seq,
                "prev_hash": entry.prev_hash, "statement": statement,
                "signature": entry.signature}}
    raise LedgerError(f"{snapshot.location}: no keyring entry trusts the signing key")


def credential_problem(root: Root, public: str, cred: Mapping[str, object]) -> str | None:
    """Why ``cred`` does not show ``public`` to be a certifying key of ``root``, or None."""
    trusted = cred.get("trusted_by")
    if trusted is None:
        if cred.get("role") == "admin" and public in root.admins:
            return None
        return "the signer carries no keyring entry and is not an admin of the root"
    if not isinstance(trusted, Mapping):
        return "the signer's keyring entry is malformed"
    statement, signature = trusted.get("statement"), trusted.get("signature")
    seq, prev = trusted.get("seq"), trusted.get("prev_hash")
    if not (isinstance(statement, dict) and isinstance(signature, str) and isinstance(seq, int)
            and isinstance(prev, str)):
        return "the signer's keyring entry is malformed"
    if statement.get("kind") != "keyring" or statement.get("action") != "trust":
        return "the signer's keyring entry is not a trust entry"
    if statement.get("key") != public:
        return "the signer's keyring entry trusts a different key"
    if statement.get("role") not in CERTIFYING_ROLES or statement.get("role") != cred.get("role"):
        return f"the signer's role {statement.get('role')!r} may not certify"
    if trusted.get("production_id") != root.production_id:
        return "the signer's keyring entry belongs to another production"
    admin = str(statement.get("signer", ""))
    if admin not in root.admins:
        return "the signer was trusted by a key that is not an admin of the root"
    if not verify_entry(admin, signature, root.production_id, seq, prev, statement):
        return "the signer's keyring entry does not verify"
    return None


def later_entries(snapshot: Snapshot, head: Head) -> Sequence[Entry]:
    return [e for e in snapshot.entries if e.seq > head.seq]
