"""Record declarations: record fields (use, lifecycle, people and consent, presented-as,
fact-check) a person declares for an asset, signed into the ledger like a decision.

A declaration is a third statement kind beside ``decision`` and ``keyring``::

    {v, kind: "declaration", asset_id, production, fields: {...}, note, approver, role,
     time, signer}

Every trusted key may declare (an editor declares what a clip is used for); the keyring
checks the signer and role as for a decision. Every scan lays the declarations that
count over the asset's record (``aiclear.scan.core.apply_declarations``), so an edit made
in the panel holds on every machine that reads the ledger. A declaration may raise what
clearing needs, never lower it (``aiclear.detect.record.declared_uses``); fields that
relax the record (consent granted, a fact-check verified, a lifecycle made temp ...)
count only from a role that may clear the asset, or an admin (``aiclear.policy.relax``).
"""

from __future__ import annotations

from collections.abc import Mapping

from aiclear.detect.record import DECLARABLE
from aiclear.errors import UsageError
from aiclear.ledger.keys import SigningKey
from aiclear.ledger.statement import STATEMENT_VERSION, DeclarationStatement, utc_now
from aiclear.model import Declared, JsonObject

KIND = "declaration"
FIELDS = ("asset_id", "production", "note", "approver", "role", "time", "signer")


def declaration_statement(key: SigningKey, *, asset_id: str, fields: JsonObject,
                          production: str, role: str, approver: str, note: str = "",
                          time: str | None = None) -> JsonObject:
    problem = fields_problem(fields)
    if problem:
        raise UsageError(problem)
    return {"v": STATEMENT_VERSION, "kind": KIND, "asset_id": asset_id,
            "production": production, "fields": fields, "note": note, "approver": approver,
            "role": role, "time": time or utc_now(), "signer": key.public_text}


def fields_problem(fields: object) -> str | None:
    """Why ``fields`` cannot be declared, or None."""
    if not isinstance(fields, dict) or not fields:
        return "a declaration needs record fields"
    unknown = sorted(set(fields) - set(DECLARABLE))
    if unknown:
        return f"cannot declare {', '.join(unknown)} (declarable: {', '.join(DECLARABLE)})"
    return None


def shape_problem(statement: Mapping[str, object]) -> str | None:
    """The keyring's shape check for a declaration statement."""
    missing = [f for f in FIELDS if not isinstance(statement.get(f), str)]
    if missing:
        return f"field(s) {', '.join(missing)} missing or not text"
    if not statement["asset_id"]:
        return "a declaration names an asset"
    return fields_problem(statement.get("fields"))


def declared(seq: int, statement: DeclarationStatement, name: str, role: str) -> Declared:
    """What the scan lays over the record, with a line saying who declared it; ``name``
    and ``role`` as the keyring gives them (a key file's header is only a label)."""
    names = ", ".join(sorted(statement["fields"]))
    return Declared(dict(statement["fields"]),
                    f"declared by {name} ({role}) in ledger entry {seq} at "
                    f"{statement['time']}: {names}", name, role, seq)
