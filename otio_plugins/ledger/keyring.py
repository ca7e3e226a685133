"""The production's keyring, rebuilt by replaying keyring entries in chain order.

Rules (the same ones ``aiclear keys`` enforces before appending, so a client that skips
them only produces entries the view rejects):
- entry 1 is an admin key trusting itself (the genesis written by ``ledger init``);
- only a trusted, unrevoked ``admin`` key may trust or revoke keys;
- revocation is permanent: a revoked key is never trusted again;
- a decision counts only when its signer is trusted and unrevoked at that point of the
  chain and the role it claims is the role the keyring gives it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiclear.ledger.keys import ROLES, verify
from aiclear.ledger.statement import DECISIONS, KEYRING_ACTIONS, canonical


@dataclass(slots=True)
class KeyInfo:
    public: str
    name: str
    role: str
    trusted_at: int  # entry number
    revoked_at: int | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class Problem:
    """Why one entry does not count: ``rule`` is a finding rule id (``ledger.*``)."""

    entry: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"entry {self.entry}: {self.message}"


class Keyring:
    def __init__(self) -> None:
        self.keys: dict[str, KeyInfo] = {}
        self.production = ""

    def active(self, public: str) -> KeyInfo | None:
        info = self.keys.get(public)
        return info if info is not None and info.active else None

    def admins(self) -> list[KeyInfo]:
        return [k for k in self.keys.values() if k.active and k.role == "admin"]

    def check(self, seq: int, statement: dict[str, Any], signature: str) -> Problem | None:
        """Whether an entry may stand at position ``seq``; does not change the keyring."""
        shape = _shape_problem(statement)
        if shape:
            return Problem(seq, "ledger.malformed", shape)
        signer = statement["signer"]
        if not verify(signer, signature, canonical(statement)):
            return Problem(seq, "ledger.bad_signature", "signature does not verify")
        if seq == 1:
            return _genesis_problem(statement)
        return self._signer_problem(seq, statement) or self._action_problem(seq, statement)

    def apply(self, seq: int, statement: dict[str, Any]) -> None:
        """Record a checked keyring entry (decisions leave the keyring alone)."""
        if statement["kind"] != "keyring":
            return
        if seq == 1:
            self.production = str(statement.get("production") or "")
        key = statement["key"]
        if statement["action"] == "trust":
            known = self.keys.get(key)
            first = known.trusted_at if known else seq
            self.keys[key] = KeyInfo(key, statement["name"], statement["role"], first)
        else:
            self.keys[key].revoked_at = seq

    def _signer_problem(self, seq: int, statement: dict[str, Any]) -> Problem | None:
        signer = statement["signer"]
        info = self.keys.get(signer)
        if info is None:
            return Problem(seq, "ledger.unknown_key", f"signed by a key not in the keyring "
                           f"({_short(signer)})")
        if not info.active:
            return Problem(seq, "ledger.revoked_key", f"signed by {info.name}'s key, revoked "
                           f"at entry {info.revoked_at}")
        if statement["kind"] == "keyring" and info.role != "admin":
            return Problem(seq, "ledger.unauthorised", f"{info.name} ({info.role}) is not an "
                           "admin and cannot change the keyring")
        if statement["kind"] in ("decision", "declaration") and statement["role"] != info.role:
            return Problem(seq, "ledger.role_mismatch", f"{info.name} claims role "
                           f"{statement['role']!r} but the keyring gives {info.role!r}")
        return None

    def _action_problem(self, seq: int, statement: dict[str, Any]) -> Problem | None:
        if statement["kind"] != "keyring":
            return None
        target = self.keys.get(statement["key"])
        if statement["action"] == "revoke" and target is None:
            return Problem(seq, "ledger.unknown_key", "revokes a key that was never trusted")
        if statement["action"] == "trust" and target is not None and not target.active:
            return Problem(seq, "ledger.revoked_key", f"re-trusts a key revoked at entry "
                           f"{target.revoked_at}")
        return None


def _genesis_problem(statement: dict[str, Any]) -> Problem | None:
    ok = (
        statement["kind"] == "keyring"
        and statement["action"] == "trust"
        and statement["role"] == "admin"
        and statement["key"] == statement["signer"]
    )
    if ok:
        return None
    return Problem(1, "ledger.bad_genesis", "the first entry must be an admin key trusting "
                   "itself (written by 'aiclear ledger init')")


_DECISION_FIELDS: tuple[str, ...] = (
    "asset_id", "production", "scope", "decision", "conditions", "note", "approver", "role",
    "time", "signer",
)
_KEYRING_FIELDS: tuple[str, ...] = (
    "action", "key", "name", "role", "production", "note", "time", "signer",
)


def _shape_problem(statement: dict[str, Any]) -> str | None:
    kind = statement.get("kind")
    if kind == "declaration":
        from aiclear.ledger.declaration import shape_problem

        return shape_problem(statement)
    if kind == "decision":
        fields = _DECISION_FIELDS
    elif kind == "keyring":
        fields = _KEYRING_FIELDS
    else:
        return f"unknown entry kind {kind!r}"
    missing = [f for f in fields if not isinstance(statement.get(f), str)]
    if missing:
        return f"field(s) {', '.join(missing)} missing or not text"
    if kind == "decision":
        if statement["decision"] not in DECISIONS or not statement["asset_id"]:
            return "decision must be approve, reject or revoke, for a named asset"
        expiry = statement.get("expiry")
        if expiry is not None and not isinstance(expiry, str):
            return "expiry must be text or null"
    elif statement["action"] not in KEYRING_ACTIONS or statement["role"] not in ROLES:
        return "keyring action must be trust or revoke, with a known role"
    return None


def _short(public: str) -> str:
    return public[:20] + "…" if len(public) > 20 else public
