"""``LedgerView``: the ledger's decisions, integrity and trust, as the scan sees them.

Built once per run from one read of the ledger (``LedgerView.load``), then answers
``decision()`` per asset from an in-memory index, so checking N clips is O(entries + N).
A ledger whose production root is not pinned here (or that went backwards) clears
nothing: ``decision()`` answers None and ``integrity_findings()`` holds a block finding
saying why and how to fix it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from aiclear.ledger import heads
from aiclear.ledger.audit import Audit
from aiclear.ledger.keyring import KeyInfo
from aiclear.ledger.pins import PinSet
from aiclear.ledger.roles import NEVER_CLEARS
from aiclear.ledger.statement import (
    LEGACY_VERSION,
    STATEMENT_VERSION,
    DecisionStatement,
    DeclarationStatement,
    expiry_moment,
)
from aiclear.model import BoundRecord, Decision, Declared, Finding, LedgerTrust

if TYPE_CHECKING:
    from aiclear.ledger.store import LedgerStore

UNDOING_ROLES = frozenset({"admin"})  # besides the roles that may clear the asset


class LedgerView:
    """Implements ``aiclear.scan.ports.ClearanceView``."""

    def __init__(self, checked: Audit, *, location: str = "", now: datetime | None = None,
                 pins: PinSet | None = None, rollback: str | None = None) -> None:
        self.audit = checked
        self.location = location
        self.now = now or datetime.now(UTC)
        self.trust = assess(checked, location, pins, rollback)
        self._rule = "ledger.rollback" if rollback else "ledger.unverified"
        self._by_asset: dict[str, list[tuple[int, DecisionStatement]]] = defaultdict(list)
        for seq, statement in checked.decisions:
            self._by_asset[statement["asset_id"]].append((seq, statement))
        self._declared: dict[str, list[tuple[int, DeclarationStatement]]] = defaultdict(list)
        for seq, declaration in checked.declarations:
            self._declared[declaration["asset_id"]].append((seq, declaration))

    @classmethod
    def load(cls, store: LedgerStore, now: datetime | None = None,
             pins: PinSet | None = None) -> LedgerView:
        """Verify the ledger, judge its trust, compare with (and raise) this machine's
        remembered head. ``pins`` defaults to ``pins.applicable()``."""
        from aiclear.ledger.pins import applicable

        pins = pins if pins is not None else applicable()
        return cls.judged(store.audit(), store.location, now=now, pins=pins)

    @classmethod
    def judged(cls, checked: Audit, location: str, *, now: datetime | None = None,
               pins: PinSet) -> LedgerView:
        """The view of an audit already made (one read of the ledger), judged like
        ``load``: pins, then this machine's remembered head (raised when it verifies)."""
        view = cls(checked, location=location, now=now, pins=pins)
        if not view.trust.pinned:
            return view
        keyring = checked.keyring
        rollback = heads.rollback_problem(keyring.production_id, checked.hashes,
                                          checked.head, location)
        if rollback is not None:
            return cls(checked, location=location, now=now, pins=pins, rollback=rollback)
        if checked.ok:
            heads.remember(keyring.production_id, keyring.root_fingerprint, checked.head)
        return view

    def decision(self, asset_id: str, accepted_roles: frozenset[str]) -> Decision | None:
        """The latest decision that counts. An approval counts only from an accepted role;
        a rejection or revocation only from an accepted role or an admin; nothing counts
        in a ledger this machine does not trust."""
        if not self.trust.pinned:
            return None
        accepted = frozenset(accepted_roles) - NEVER_CLEARS
        for seq, statement in reversed(self._by_asset.get(asset_id, ())):
            key = self.audit.keyring.active(statement["signer"])
            if key is None:
                continue  # revoked since: nothing it signed counts any more
            verdict = statement["decision"]
            if verdict in ("revoke", "reject") and key.role not in accepted | UNDOING_ROLES:
                continue  # a role that may not clear this asset may not undo its decision
            if verdict == "revoke":
                return None
            if verdict == "reject":
                return _decision("rejected", seq, statement, key)
            if verdict == "approve" and key.role in accepted and not self._expired(statement):
                return _decision("cleared", seq, statement, key)
        return None

    def pinned_policy(self) -> tuple[dict[str, object], list[str]]:
        """The production's policy ({name, sha256}) and deliverable suffixes, as its root
        (or a later admin-signed policy entry) pins them; compare a profile with
        ``aiclear.ledger.root.profile_digest``. Empty when the ledger has no root."""
        keyring = self.audit.keyring
        return dict(keyring.policy), list(keyring.deliverables)

    def pinned_catalogue(self) -> dict[str, str]:
        """The approved-tools catalogue ({name, sha256}) the root or a later admin-signed
        catalogue entry pins; compare a catalogue with
        ``aiclear.ledger.root.catalogue_digest``. Empty when none is pinned."""
        return dict(self.audit.keyring.catalogue)

    def declarations(self, asset_id: str) -> list[Declared]:
        """Signed record declarations on an asset, oldest first; a revoked key's count no
        more than its decisions do."""
        from aiclear.ledger.declaration import declared

        found = []
        for seq, statement in self._declared.get(asset_id, ()):
            key = self.audit.keyring.active(statement["signer"])
            if key is not None:
                found.append(declared(seq, statement, key.name, key.role))
        return found

    def integrity_findings(self) -> list[Finding]:
        where = f" in {self.location}" if self.location else ""
        found = [
            Finding(p.rule, "block", f"ledger entry {p.entry}{where}: {p.message}")
            for p in self.audit.problems
        ]
        if not self.trust.pinned:
            found.insert(0, Finding(self._rule, "block", self.trust.reason))
        return found

    def _expired(self, statement: DecisionStatement) -> bool:
        expiry = statement.get("expiry")
        if not expiry:
            return False
        end = expiry_moment(expiry)
        return end is None or end <= self.now  # an unreadable expiry has expired


def assess(checked: Audit, location: str, pins: PinSet | None,
           rollback: str | None = None) -> LedgerTrust:
    """Pinned, unverified or legacy, with the one-line reason and fix."""
    keyring = checked.keyring
    fp = keyring.root_fingerprint
    name = f"ledger {location}" if location else "the ledger"

    def trust(state: Literal["pinned", "unverified", "legacy"], reason: str,
              pinned_by: str = "") -> LedgerTrust:
        return LedgerTrust(state, reason, location, fp, keyring.production_id,
                           keyring.production, checked.head[0], checked.head[1], pinned_by)

    if keyring.schema == LEGACY_VERSION:
        return trust("legacy", f"{name} is a schema-1 ledger with no production root: it "
                     "clears nothing until an admin runs 'aiclear ledger upgrade --key "
                     "ADMIN.key'")
    if keyring.schema != STATEMENT_VERSION:
        return trust("unverified", f"{name} has no valid production root at entry 1 (create "
                     "one with 'aiclear ledger init')")
    if pins is None or not pins.pins(fp):
        return trust("unverified", _unpinned_reason(name, fp, pins))
    if rollback is not None:
        return trust("unverified", rollback, pins.source)
    return trust("pinned", "", pins.source)


def _unpinned_reason(name: str, fp: str, pins: PinSet | None) -> str:
    short = fp[:16] + "…"
    if pins is not None and pins.source == "system":
        narrowed = f" (and --trust-root names {pins.trust_root[:16]}…)" if pins.trust_root else ""
        return (f"{name}: production root {short} is not pinned by the administrator "
                f"({pins.path}){narrowed} — ask the administrator to add {fp} there")
    if pins is not None and pins.source == "trust-root":
        return (f"{name}: production root {short} is not the root pinned for this run "
                f"(--trust-root {pins.trust_root[:16]}…) — this is another production's "
                "ledger, or a copy made by someone else")
    return (f"{name}: production root {short} is not pinned on this machine — pin it with "
            f"'aiclear ledger pin {fp}' or pass --trust-root {fp}")


def _decision(status: str, seq: int, statement: DecisionStatement, key: KeyInfo) -> Decision:
    """Name and role as the keyring gives them (a key file's header is only a label)."""
    return Decision(
        status="cleared" if status == "cleared" else "rejected",
        approver=key.name,
        role=key.role,
        time=statement["time"],
        entry=str(seq),
        conditions=statement["conditions"] or None,
        expires=statement.get("expiry") or None,
        record=_bound(statement),
    )


def _bound(statement: DecisionStatement) -> BoundRecord | None:
    """The claims an approval was signed for (the keyring checked they hash to sha256)."""
    record = statement.get("record")
    if record is None:
        return None
    return BoundRecord(sha256=record["sha256"], fields=dict(record["fields"]))
