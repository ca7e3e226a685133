"""``LedgerView``: the ledger's decisions and integrity, as the scan sees them.

Built once per run from one read of the ledger (``LedgerView.load``), then answers
``decision()`` per asset from an in-memory index, so checking N clips is O(entries + N).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiclear.ledger.audit import Audit
from aiclear.ledger.keyring import KeyInfo
from aiclear.ledger.roles import NEVER_CLEARS
from aiclear.ledger.statement import expiry_moment
from aiclear.model import Decision, Finding
from aiclear.services import Declared

if TYPE_CHECKING:
    from aiclear.ledger.store import LedgerStore


class LedgerView:
    """Implements ``aiclear.services.ClearanceView``."""

    def __init__(self, checked: Audit, *, location: str = "", now: datetime | None = None
                 ) -> None:
        self.audit = checked
        self.location = location
        self.now = now or datetime.now(UTC)
        self._by_asset: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for seq, statement in checked.decisions:
            self._by_asset[statement["asset_id"]].append((seq, statement))
        self._declared: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for seq, statement in checked.declarations:
            self._declared[statement["asset_id"]].append((seq, statement))

    @classmethod
    def load(cls, store: LedgerStore, now: datetime | None = None) -> LedgerView:
        return cls(store.audit(), location=store.location, now=now)

    def decision(self, asset_id: str, accepted_roles: frozenset[str]) -> Decision | None:
        """The latest decision that counts; an approval counts only from an accepted role."""
        accepted = frozenset(accepted_roles) - NEVER_CLEARS
        for seq, statement in reversed(self._by_asset.get(asset_id, ())):
            key = self.audit.keyring.active(statement["signer"])
            if key is None:
                continue  # revoked since: nothing it signed counts any more
            verdict = statement["decision"]
            if verdict == "revoke":
                return None
            if verdict == "reject":
                return _decision("rejected", seq, statement, key)
            if key.role in accepted and not self._expired(statement):
                return _decision("cleared", seq, statement, key)
        return None

    def declarations(self, asset_id: str) -> list[Declared]:
        """Signed record declarations on an asset, oldest first; a revoked key's count no
        more than its decisions do."""
        from aiclear.ledger.declaration import declared

        return [declared(seq, statement) for seq, statement in self._declared.get(asset_id, ())
                if self.audit.keyring.active(statement["signer"]) is not None]

    def integrity_findings(self) -> list[Finding]:
        where = f" in {self.location}" if self.location else ""
        return [
            Finding(p.rule, "block", f"ledger entry {p.entry}{where}: {p.message}")
            for p in self.audit.problems
        ]

    def _expired(self, statement: dict[str, Any]) -> bool:
        expiry = statement.get("expiry")
        if not expiry:
            return False
        end = expiry_moment(str(expiry))
        return end is None or end <= self.now  # an unreadable expiry has expired


def _decision(status: str, seq: int, statement: dict[str, Any], key: KeyInfo) -> Decision:
    """Name and role as the keyring gives them (a key file's header is only a label)."""
    return Decision(
        status="cleared" if status == "cleared" else "rejected",
        approver=key.name,
        role=key.role,
        time=str(statement["time"]),
        entry=str(seq),
        conditions=statement.get("conditions") or None,
        expires=statement.get("expiry") or None,
    )
