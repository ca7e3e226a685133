"""Signed statements: what an approver (or the keyring admin) asserts, as canonical JSON.

Two kinds share one shape so the chain treats them alike:

- ``decision``: {asset_id, production, scope, decision: approve|reject|revoke, conditions,
  note, approver, role, time, expiry, signer, and optionally record {sha256, fields}: the
  clearance claims an approval was signed for (aiclear.policy.claims)}
- ``keyring``: {action: trust|revoke, key, name, role, note, production, time, signer}
- ``root`` (entry 1 of a schema-2 ledger): {production_id, production, admins [{key, name}],
  policy {name, sha256}, deliverables, ledger, time, signer, and optionally catalogue
  {name, sha256}}; its fingerprint (the SHA-256 of its canonical JSON) is what a machine
  pins (aiclear.ledger.pins)
- ``policy``: {policy {name, sha256}, deliverables, note, production, time, signer} (admin)
- ``catalogue``: {catalogue {name, sha256}, note, production, time, signer} (admin)

Schema 2 (``"v": 2``) statements are signed into their place (aiclear.ledger.envelope);
schema 1 signed the statement alone and is read only as a legacy ledger.

The builders return the plain JSON object that gets signed (``JsonObject``). The
``*Statement`` TypedDicts below describe a statement *after* the keyring found it well
formed (``aiclear.ledger.keyring.well_formed``): the same dict, read with its fields typed.

``signer`` is the public key text, inside the signed bytes, so a signature cannot be
moved to another key. Canonical JSON: sorted keys, no whitespace, UTF-8.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Literal, NotRequired, TypeAlias, TypedDict

from aiclear.errors import UsageError
from aiclear.ledger.keys import SigningKey
from aiclear.model import JsonObject

DECISIONS = ("approve", "reject", "revoke")
KEYRING_ACTIONS = ("trust", "revoke")
STATEMENT_VERSION = 2
LEGACY_VERSION = 1
#: how far a statement's time may run behind the entry before it (clocks differ a little)
CLOCK_SKEW = timedelta(minutes=5)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PolicyPin(TypedDict):
    name: str
    sha256: str


class Admin(TypedDict):
    key: str
    name: str


class RecordBinding(TypedDict):
    """The record an approval was signed for (aiclear.policy.claims.binding)."""

    sha256: str
    fields: JsonObject


class DecisionStatement(TypedDict):
    v: int
    kind: Literal["decision"]
    asset_id: str
    production: str
    scope: str
    decision: str
    conditions: str
    note: str
    approver: str
    role: str
    time: str
    expiry: NotRequired[str | None]
    signer: str
    #: the clearance claims it was signed for; absent for a decision by bare asset id
    record: NotRequired[RecordBinding]


class KeyringStatement(TypedDict):
    v: int
    kind: Literal["keyring"]
    action: str
    key: str
    name: str
    role: str
    production: str
    note: str
    time: str
    signer: str


class RootStatement(TypedDict):
    v: int
    kind: Literal["root"]
    production_id: str
    production: str
    admins: list[Admin]
    policy: PolicyPin
    deliverables: list[str]
    ledger: str
    time: str
    signer: str
    catalogue: NotRequired[PolicyPin]  # {name, sha256}: absent when the root pins none


class CatalogueStatement(TypedDict):
    """An admin pins (or re-pins) the approved-tools catalogue."""

    v: int
    kind: Literal["catalogue"]
    catalogue: PolicyPin
    production: str
    note: str
    time: str
    signer: str


class PolicyStatement(TypedDict):
    v: int
    kind: Literal["policy"]
    policy: PolicyPin
    deliverables: list[str]
    production: str
    note: str
    time: str
    signer: str


class CarriedStatement(TypedDict):
    """A schema-1 decision an admin carried into a schema-2 chain (aiclear.ledger.upgrade);
    ``original`` is checked as a decision by the keyring (``carried_decision``)."""

    v: int
    kind: Literal["carried"]
    legacy_seq: int
    legacy_hash: str
    original: JsonObject
    original_signature: str
    production: str
    time: str
    signer: str


class DeclarationStatement(TypedDict):
    v: int
    kind: Literal["declaration"]
    asset_id: str
    production: str
    fields: JsonObject  # declarable record fields by name (detect.record.DECLARABLE)
    note: str
    approver: str
    role: str
    time: str
    signer: str


#: a well-formed statement of any kind; ``statement["kind"] == ...`` tells them apart
Statement: TypeAlias = (DecisionStatement | KeyringStatement | RootStatement | PolicyStatement
                        | CatalogueStatement | CarriedStatement | DeclarationStatement)


def canonical(obj: object) -> bytes:
    """The one byte form every signature and hash is computed over."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def utc_now() -> str:
    return format_time(datetime.now(UTC))


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_expiry(text: str | None, now: datetime | None = None) -> str | None:
    """``YYYY-MM-DD`` (valid through that UTC day) or an ISO date-time; must be in the future."""
    if text is None or not str(text).strip():
        return None
    text = str(text).strip()
    end = expiry_moment(text)
    if end is None:
        raise UsageError(f"bad --expires {text!r} (expected YYYY-MM-DD or an ISO date-time)")
    if end <= (now or datetime.now(UTC)):
        raise UsageError(f"--expires {text} is already in the past")
    return text if _DATE_RE.match(text) else format_time(end)


def expiry_moment(text: str) -> datetime | None:
    """The instant an expiry ends (a bare date lasts to the end of that UTC day)."""
    try:
        if _DATE_RE.match(text):
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def decision_statement(
    key: SigningKey,
    *,
    asset_id: str,
    decision: str,
    production: str,
    scope: str = "",
    conditions: str = "",
    note: str = "",
    expiry: str | None = None,
    role: str | None = None,
    approver: str | None = None,
    time: str | None = None,
    record: Mapping[str, object] | None = None,
) -> JsonObject:
    """``role`` and ``approver`` should come from the keyring (the key file only labels).

    ``record``: ``{sha256, fields}`` (aiclear.policy.claims.binding), the claims an approval
    is given for; left out (not null) when unknown, so such a statement reads as before."""
    if decision not in DECISIONS:
        raise UsageError(f"unknown decision {decision!r} (expected {', '.join(DECISIONS)})")
    statement: JsonObject = {
        "v": STATEMENT_VERSION,
        "kind": "decision",
        "asset_id": asset_id,
        "production": production,
        "scope": scope,
        "decision": decision,
        "conditions": conditions,
        "note": note,
        "approver": approver if approver is not None else key.name,
        "role": role if role is not None else key.role,
        "time": time or utc_now(),
        "expiry": expiry,
        "signer": key.public_text,
    }
    if record is not None:
        statement["record"] = dict(record)
    return statement


def keyring_statement(
    admin: SigningKey,
    *,
    action: str,
    key: str,
    name: str,
    role: str,
    production: str,
    note: str = "",
    time: str | None = None,
) -> JsonObject:
    if action not in KEYRING_ACTIONS:
        raise UsageError(f"unknown keyring action {action!r}")
    return {
        "v": STATEMENT_VERSION,
        "kind": "keyring",
        "action": action,
        "key": key,
        "name": name,
        "role": role,
        "production": production,
        "note": note,
        "time": time or utc_now(),
        "signer": admin.public_text,
    }


def root_statement(
    admin: SigningKey,
    *,
    production_id: str,
    production: str,
    admins: list[dict[str, str]],
    policy: dict[str, str],
    deliverables: list[str],
    ledger: str,
    time: str | None = None,
    catalogue: dict[str, str] | None = None,
) -> JsonObject:
    """Entry 1 of a schema-2 ledger: who administers it and which policy (and, when given,
    which approved-tools catalogue) it is judged by."""
    statement: JsonObject = {
        "v": STATEMENT_VERSION,
        "kind": "root",
        "production_id": production_id,
        "production": production,
        "admins": admins,
        "policy": policy,
        "deliverables": deliverables,
        "ledger": ledger,
        "time": time or utc_now(),
        "signer": admin.public_text,
    }
    if catalogue is not None:  # absent, not null: a root without one hashes as before
        statement["catalogue"] = catalogue
    return statement


def policy_statement(admin: SigningKey, *, policy: dict[str, str], deliverables: list[str],
                     production: str, note: str = "", time: str | None = None
                     ) -> JsonObject:
    """An admin re-pins the production's policy (a new profile hash, new deliverables)."""
    return {
        "v": STATEMENT_VERSION,
        "kind": "policy",
        "policy": policy,
        "deliverables": deliverables,
        "production": production,
        "note": note,
        "time": time or utc_now(),
        "signer": admin.public_text,
    }


def catalogue_statement(admin: SigningKey, *, catalogue: dict[str, str], production: str,
                        note: str = "", time: str | None = None) -> JsonObject:
    """An admin pins (or re-pins) the production's approved-tools catalogue by hash."""
    return {
        "v": STATEMENT_VERSION,
        "kind": "catalogue",
        "catalogue": catalogue,
        "production": production,
        "note": note,
        "time": time or utc_now(),
        "signer": admin.public_text,
    }


def parse_time(text: object) -> datetime | None:
    """A statement's ``time`` (``YYYY-MM-DDTHH:MM:SSZ``), or None when unreadable."""
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def sign(key: SigningKey, statement: Mapping[str, object]) -> str:
    """Schema-1 signature over the statement alone (legacy ledgers and their tests)."""
    if statement.get("signer") != key.public_text:
        raise UsageError("statement names a different signer than the key signing it")
    return key.sign(canonical(statement))
