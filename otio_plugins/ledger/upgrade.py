"""``aiclear ledger upgrade``: carry a schema-1 ledger into the signed-into-place model.

A schema-1 ledger (signatures over the statement alone, no production root) keeps
verifying read-only but clears nothing. An admin of it re-anchors it: the old rows move,
untouched, to ``aiclear_legacy_entries``; the new chain starts with a production root
(which records how many legacy entries there were and the legacy head hash), the admin
re-issues each keyring change in order, and each old decision becomes a ``carried`` entry
naming its legacy entry by number and hash, holding the original statement and signature
(the original signer vouches for what it says, the admin for where it stands).
"""

from __future__ import annotations

from pathlib import Path

from aiclear.errors import LedgerError, SigningKeyError
from aiclear.ledger.audit import audit
from aiclear.ledger.chain import Entry
from aiclear.ledger.keyring import well_formed
from aiclear.ledger.keys import SigningKey
from aiclear.ledger.root import new_root
from aiclear.ledger.statement import LEGACY_VERSION, STATEMENT_VERSION, keyring_statement, utc_now
from aiclear.ledger.store import LedgerStore
from aiclear.model import JsonObject


def upgrade(store: LedgerStore, admin: SigningKey, profile: str = "baseline",
            catalogue: str | Path | None = None) -> list[Entry]:
    """Re-anchor ``store`` (see the module doc), its new root pinning ``profile`` and, when
    given, the ``catalogue`` file; returns the new chain's entries."""
    old = store.entries()
    checked = audit(old, store.head())
    if checked.keyring.schema != LEGACY_VERSION:
        raise LedgerError(f"{store.location}: not a schema-1 ledger (nothing to upgrade)")
    if not checked.ok:
        first = checked.problems[0]
        raise LedgerError(f"{store.location}: entry {first.entry} fails verification "
                          f"({first.message}); restore a good copy before upgrading")
    info = checked.keyring.active(admin.public_text)
    if info is None or info.role != "admin":
        raise SigningKeyError(f"{admin.path or admin.name}: not an active admin key of "
                              f"{store.location}")
    production = checked.keyring.production

    def build(entries: list[Entry]) -> list[JsonObject]:
        root = new_root(admin, production=production, profile=profile, ledger=store.location,
                        catalogue=catalogue)
        root["legacy"] = {"entries": len(entries), "head": entries[-1].entry_hash}
        return [root, *(s for e in entries if (s := _carry(e, admin, production)))]

    return store.upgrade(build, admin)


def _carry(entry: Entry, admin: SigningKey, production: str) -> JsonObject | None:
    statement = entry.statement() or {}
    where = f"carried from legacy entry {entry.seq} ({entry.entry_hash[:16]})"
    # every legacy entry verified (upgrade() refuses otherwise), so a keyring entry is
    # well formed; one that is not is carried and refused by the store as no decision
    if well_formed(statement, entry.seq, LEGACY_VERSION) and statement["kind"] == "keyring":
        if statement["key"] == admin.public_text and statement["action"] == "trust":
            return None  # the root lists the upgrading admin
        return keyring_statement(admin, action=statement["action"], key=statement["key"],
                                 name=statement["name"], role=statement["role"],
                                 production=production, note=where)
    return {
        "v": STATEMENT_VERSION,
        "kind": "carried",
        "legacy_seq": entry.seq,
        "legacy_hash": entry.entry_hash,
        "original": statement,
        "original_signature": entry.signature,
        "production": production,
        "time": utc_now(),
        "signer": admin.public_text,
    }
