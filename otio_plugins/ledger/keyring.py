"""The production's keyring, rebuilt by replaying keyring entries in chain order.

Rules (the same ones the store enforces before appending, so a client that skips them
only produces entries the view rejects):
- entry 1 is the production root signed by one of the admins it lists (schema 2); in a
  schema-1 (legacy) ledger, an admin key trusting itself;
- every schema-2 signature covers the production id, entry number and previous hash
  (aiclear.ledger.envelope); times only move forward, within ``CLOCK_SKEW``;
- only a trusted, unrevoked ``admin`` key may trust or revoke keys, re-pin the policy or
  the approved-tools catalogue, or carry legacy decisions;
- an ``editor`` may not reject or revoke (the view further limits undoing to the roles
  that may clear the asset, and admins);
- revocation is permanent: a revoked key is never trusted again;
- a decision counts only when its signer is trusted and unrevoked at that point of the
  chain and the role it claims is the role the keyring gives it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TypeGuard

from aiclear.ledger.envelope import verify_entry
from aiclear.ledger.keys import ROLES, verify
from aiclear.ledger.roles import NEVER_CLEARS
from aiclear.ledger.statement import (
    CLOCK_SKEW,
    DECISIONS,
    KEYRING_ACTIONS,
    LEGACY_VERSION,
    STATEMENT_VERSION,
    CarriedStatement,
    DecisionStatement,
    KeyringStatement,
    PolicyPin,
    RootStatement,
    Statement,
    canonical,
    format_time,
    parse_time,
)


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
    """Keys and roles, plus (schema 2) the production root they hang from."""

    def __init__(self) -> None:
        self.keys: dict[str, KeyInfo] = {}
        self.production = ""  # the production's name
        self.schema = 0  # 1 legacy (statement-only signatures), 2 signed into place
        self.production_id = ""
        self.root_fingerprint = ""
        self.policy: dict[str, object] = {}  # {name, sha256}, as the root or a policy entry signs it
        #: the approved-tools catalogue pinned by the root or a later catalogue entry
        #: ({name, sha256}); empty when none is pinned
        self.catalogue: dict[str, str] = {}
        self.deliverables: list[str] = []
        self.last_time: datetime | None = None  # of the newest entry that counted

    def active(self, public: str) -> KeyInfo | None:
        info = self.keys.get(public)
        return info if info is not None and info.active else None

    def admins(self) -> list[KeyInfo]:
        return [k for k in self.keys.values() if k.active and k.role == "admin"]

    def admit(self, seq: int, statement: Mapping[str, object], signature: str,
              prev_hash: str = "") -> Statement | Problem:
        """The statement, typed, when it may stand at position ``seq`` after
        ``prev_hash``; else why not. Does not change the keyring (``apply`` does)."""
        if not well_formed(statement, seq, self.schema):
            # the same check again, for its message (only for a statement it refuses)
            return Problem(seq, "ledger.malformed", _shape_problem(statement, seq, self.schema)
                           or "malformed")
        if not self._signature_ok(seq, statement, signature, prev_hash):
            return Problem(seq, "ledger.bad_signature", "signature does not verify")
        problem = (_genesis_problem(statement) if seq == 1 else
                   self._signer_problem(seq, statement) or self._action_problem(seq, statement)
                   or self._time_problem(seq, statement))
        return statement if problem is None else problem

    def apply(self, seq: int, statement: Statement) -> None:
        """Record an admitted entry (decisions only move the clock)."""
        self.last_time = parse_time(statement["time"]) or self.last_time
        if statement["kind"] == "root":
            self._apply_root(statement)
        elif statement["kind"] == "policy":
            self.policy = dict(statement["policy"])
            self.deliverables = list(statement["deliverables"])
        elif statement["kind"] == "catalogue":
            self.catalogue = _pin(statement["catalogue"])
        elif statement["kind"] == "keyring":
            self._apply_keyring(seq, statement)

    def _apply_root(self, statement: RootStatement) -> None:
        self.schema = STATEMENT_VERSION
        self.production = statement["production"]
        self.production_id = statement["production_id"]
        self.root_fingerprint = fingerprint(statement)
        self.policy = dict(statement["policy"])
        pin = statement.get("catalogue")
        self.catalogue = _pin(pin) if pin is not None else {}
        self.deliverables = list(statement["deliverables"])
        for admin in statement["admins"]:
            self.keys[admin["key"]] = KeyInfo(admin["key"], admin["name"], "admin", 1)

    def _apply_keyring(self, seq: int, statement: KeyringStatement) -> None:
        if seq == 1:  # a schema-1 genesis: an admin trusting itself
            self.schema = LEGACY_VERSION
            self.production = str(statement.get("production") or "")
        key = statement["key"]
        if statement["action"] == "trust":
            known = self.keys.get(key)
            first = known.trusted_at if known else seq
            self.keys[key] = KeyInfo(key, statement["name"], statement["role"], first)
        else:
            self.keys[key].revoked_at = seq

    def _signature_ok(self, seq: int, statement: Statement, signature: str,
                      prev_hash: str) -> bool:
        signer = statement["signer"]
        if statement["v"] == LEGACY_VERSION:
            return verify(signer, signature, canonical(statement))
        # a schema-2 entry 1 is the root (well_formed), which names the production itself
        production_id = (statement["production_id"] if statement["kind"] == "root"
                         else self.production_id)
        return verify_entry(signer, signature, production_id, seq, prev_hash, statement)

    def _signer_problem(self, seq: int, statement: Statement) -> Problem | None:
        signer = statement["signer"]
        info = self.keys.get(signer)
        if info is None:
            return Problem(seq, "ledger.unknown_key", f"signed by a key not in the keyring "
                           f"({_short(signer)})")
        if not info.active:
            return Problem(seq, "ledger.revoked_key", f"signed by {info.name}'s key, revoked "
                           f"at entry {info.revoked_at}")
        if statement["kind"] in ADMIN_KINDS and info.role != "admin":
            return Problem(seq, "ledger.unauthorised", f"{info.name} ({info.role}) is not an "
                           f"admin and cannot change the {statement['kind']}")
        if statement["kind"] == "decision":
            return _decision_role_problem(seq, statement, info)
        if statement["kind"] == "declaration" and statement["role"] != info.role:
            return Problem(seq, "ledger.role_mismatch", f"{info.name} claims role "
                           f"{statement['role']!r} but the keyring gives {info.role!r}")
        if statement["kind"] == "carried":
            return self._carried_problem(seq, statement)
        return None

    def _carried_problem(self, seq: int, statement: CarriedStatement) -> Problem | None:
        """An admin carried a schema-1 decision into this chain (``ledger upgrade``): the
        admin vouches for its place, the original signer's signature for its content."""
        original = statement["original"]
        if not carried_decision(original):
            return Problem(seq, "ledger.malformed", "carries something other than a schema-1 "
                           "decision")
        if not verify(original["signer"], statement["original_signature"], canonical(original)):
            return Problem(seq, "ledger.bad_signature", "the carried decision's original "
                           "signature does not verify")
        info = self.keys.get(original["signer"])
        if info is None or not info.active:
            return Problem(seq, "ledger.unknown_key", "the carried decision's signer is not "
                           "an active key of the keyring")
        return _decision_role_problem(seq, original, info)

    def _action_problem(self, seq: int, statement: Statement) -> Problem | None:
        if statement["kind"] != "keyring":
            return None
        target = self.keys.get(statement["key"])
        if statement["action"] == "revoke" and target is None:
            return Problem(seq, "ledger.unknown_key", "revokes a key that was never trusted")
        if statement["action"] == "trust" and target is not None and not target.active:
            return Problem(seq, "ledger.revoked_key", f"re-trusts a key revoked at entry "
                           f"{target.revoked_at}")
        return None

    def _time_problem(self, seq: int, statement: Statement) -> Problem | None:
        """Times only move forward (within the clock skew): an entry dated before its
        predecessor was written somewhere else, or back-dated."""
        if self.schema != STATEMENT_VERSION:
            return None  # schema 1 did not promise it
        moment = parse_time(statement["time"])
        if moment is None:
            return Problem(seq, "ledger.malformed", f"unreadable time {statement['time']!r}")
        if self.last_time is not None and moment < self.last_time - CLOCK_SKEW:
            return Problem(seq, "ledger.out_of_order", f"dated {statement['time']}, before "
                           f"the entry it follows ({format_time(self.last_time)})")
        return None


def fingerprint(root: Mapping[str, object]) -> str:
    """A production root's fingerprint: SHA-256 (hex) of its canonical JSON."""
    return hashlib.sha256(canonical(root)).hexdigest()


def _decision_role_problem(seq: int, statement: DecisionStatement, info: KeyInfo
                           ) -> Problem | None:
    if statement["role"] != info.role:
        return Problem(seq, "ledger.role_mismatch", f"{info.name} claims role "
                       f"{statement['role']!r} but the keyring gives {info.role!r}")
    undoing = statement["decision"] in ("reject", "revoke")
    if undoing and info.role in NEVER_CLEARS and statement["v"] != LEGACY_VERSION:
        return Problem(seq, "ledger.unauthorised", f"{info.name} ({info.role}) may not "
                       f"{statement['decision']} a decision (only a role that may clear the "
                       "asset, or an admin)")
    return None


def _genesis_problem(statement: Statement) -> Problem | None:
    if statement["kind"] == "root":
        if any(a["key"] == statement["signer"] for a in statement["admins"]):
            return None
        return Problem(1, "ledger.bad_genesis", "the production root is not signed by one of "
                       "its admins")
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


_ROOT_FIELDS: tuple[str, ...] = ("production_id", "production", "ledger", "time", "signer")
_POLICY_FIELDS: tuple[str, ...] = ("production", "note", "time", "signer")
#: entry kinds only an admin may sign
ADMIN_KINDS = ("keyring", "policy", "catalogue", "carried")
_CARRIED_FIELDS: tuple[str, ...] = ("production", "legacy_hash", "original_signature", "time",
                                    "signer")


def well_formed(statement: Mapping[str, object], seq: int, schema: int
                ) -> TypeGuard[Statement]:
    """Whether ``statement`` has every field its kind needs, of the right type, to stand at
    entry ``seq`` of a schema-``schema`` ledger (``_shape_problem`` says why not)."""
    return _shape_problem(statement, seq, schema) is None


def _pin(pin: PolicyPin) -> dict[str, str]:
    return {"name": pin["name"], "sha256": pin["sha256"]}


def carried_decision(original: Mapping[str, object]) -> TypeGuard[DecisionStatement]:
    """Whether a carried entry's ``original`` has the shape of a schema-1 decision."""
    missing = [f for f in _DECISION_FIELDS if not isinstance(original.get(f), str)]
    # the same content check as a direct decision: an unknown verb must never read as an
    # approval in the view (which treats whatever is not reject/revoke as approve)
    return (not missing and original.get("v") == LEGACY_VERSION
            and original.get("kind") == "decision"
            and _kind_problem("decision", original) is None)


def _shape_problem(statement: Mapping[str, object], seq: int, schema: int) -> str | None:
    version = statement.get("v")
    if version not in (LEGACY_VERSION, STATEMENT_VERSION):
        return f"unknown statement version {version!r}"
    if seq > 1 and version != schema:
        return (f"a schema-{version} statement in a schema-{schema} ledger (copied from "
                "another ledger?)")
    kind = statement.get("kind")
    if (kind == "root") != (seq == 1 and version == STATEMENT_VERSION):
        return "a production root stands only at entry 1 of a schema-2 ledger"
    if kind == "declaration":
        from aiclear.ledger.declaration import shape_problem

        return shape_problem(statement)
    fields = {"decision": _DECISION_FIELDS, "keyring": _KEYRING_FIELDS, "root": _ROOT_FIELDS,
              "policy": _POLICY_FIELDS, "catalogue": _POLICY_FIELDS,
              "carried": _CARRIED_FIELDS}.get(str(kind))
    if fields is None or (kind in ("policy", "catalogue", "carried")
                          and version == LEGACY_VERSION):
        return f"unknown entry kind {kind!r}"
    missing = [f for f in fields if not isinstance(statement.get(f), str)]
    if missing:
        return f"field(s) {', '.join(missing)} missing or not text"
    return _kind_problem(str(kind), statement)


def _kind_problem(kind: str, statement: Mapping[str, object]) -> str | None:
    if kind == "decision":
        if statement["decision"] not in DECISIONS or not statement["asset_id"]:
            return "decision must be approve, reject or revoke, for a named asset"
        expiry = statement.get("expiry")
        if expiry is not None and not isinstance(expiry, str):
            return "expiry must be text or null"
        if "record" in statement:
            return _record_problem(statement["record"])
    elif kind == "keyring":
        if statement["action"] not in KEYRING_ACTIONS or statement["role"] not in ROLES:
            return "keyring action must be trust or revoke, with a known role"
    elif kind == "root":
        admins = statement.get("admins")
        if not isinstance(admins, list) or not admins or not all(
                isinstance(a, dict) and isinstance(a.get("key"), str)
                and isinstance(a.get("name"), str) for a in admins):
            return "admins must be a non-empty list of {key, name}"
    elif kind == "carried" and not _carries(statement):
        return "a carried entry needs the original statement and its legacy entry number"
    if kind == "root":
        return _policy_problem(statement) or _catalogue_problem(statement, optional=True)
    if kind == "policy":
        return _policy_problem(statement)
    if kind == "catalogue":
        return _catalogue_problem(statement, optional=False)
    return None


def _record_problem(record: object) -> str | None:
    """A decision's ``record`` is {sha256, fields} whose fields hash to sha256: the claims
    it was signed for (aiclear.policy.claims)."""
    from aiclear.policy.claims import digest

    if isinstance(record, dict) and isinstance(record.get("fields"), dict) \
            and isinstance(record.get("sha256"), str) \
            and digest(record["fields"]) == record["sha256"]:
        return None
    return "record must be {sha256, fields} whose fields hash to sha256"


def _carries(statement: Mapping[str, object]) -> bool:
    return isinstance(statement.get("original"), dict) and isinstance(
        statement.get("legacy_seq"), int)


def _policy_problem(statement: Mapping[str, object]) -> str | None:
    policy, deliverables = statement.get("policy"), statement.get("deliverables")
    if not isinstance(policy, dict) or not all(
            isinstance(policy.get(k), str) for k in ("name", "sha256")):
        return "policy must be {name, sha256}"
    if not isinstance(deliverables, list) or not all(isinstance(d, str) for d in deliverables):
        return "deliverables must be a list of suffixes"
    return None


def _catalogue_problem(statement: Mapping[str, object], optional: bool) -> str | None:
    """A pinned catalogue is {name, sha256}; a root may pin none (the key is absent)."""
    if optional and "catalogue" not in statement:
        return None
    pin = statement.get("catalogue")
    if not isinstance(pin, dict) or not all(isinstance(pin.get(k), str) and pin.get(k)
                                            for k in ("name", "sha256")):
        return "catalogue must be {name, sha256}"
    return None


def _short(public: str) -> str:
    return public[:20] + "…" if len(public) > 20 else public
