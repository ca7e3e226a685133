"""Signatures that bind a statement to its place: DSSE's pre-authentication encoding.

An entry's signature covers ``PAE(ENTRY_TYPE, canonical({"production", "seq", "prev",
"statement"}))`` (schema 2), so the same signed statement cannot stand at another position,
after another entry, or in another production's ledger. Roots and checkpoints use the same
encoding with their own payload types, so a signature of one kind is never valid as another.

PAE (https://github.com/secure-systems-lab/dsse/blob/master/protocol.md):
``"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body``, lengths in ASCII decimal bytes.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiclear.ledger.keys import SigningKey, verify
from aiclear.ledger.statement import canonical
from aiclear.model import JsonObject

ENTRY_TYPE = "application/vnd.aiclear.entry.v2+json"
CHECKPOINT_TYPE = "application/vnd.aiclear.checkpoint.v1+json"


def pae(payload_type: str, body: bytes) -> bytes:
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(body), body)


def entry_payload(production_id: str, seq: int, prev_hash: str,
                  statement: Mapping[str, object]) -> bytes:
    """The bytes an entry's signature covers: where it stands as much as what it says."""
    placed = {"production": production_id, "seq": int(seq), "prev": prev_hash,
              "statement": statement}
    return pae(ENTRY_TYPE, canonical(placed))


def sign_entry(key: SigningKey, production_id: str, seq: int, prev_hash: str,
               statement: Mapping[str, object]) -> str:
    return key.sign(entry_payload(production_id, seq, prev_hash, statement))


def verify_entry(signer: str, signature: str, production_id: str, seq: int, prev_hash: str,
                 statement: Mapping[str, object]) -> bool:
    return verify(signer, signature, entry_payload(production_id, seq, prev_hash, statement))


def sign_payload(key: SigningKey, payload_type: str, payload: JsonObject) -> JsonObject:
    """A DSSE-style envelope (payload kept as JSON rather than base64, for reading)."""
    return {"payloadType": payload_type, "payload": payload,
            "signatures": [{"keyid": key.public_text,
                            "sig": key.sign(pae(payload_type, canonical(payload)))}]}


def envelope_signers(envelope: object, payload_type: str) -> list[str]:
    """The public keys whose signature over the envelope's payload verifies. ``envelope``
    is a document as parsed (a checkpoint file, or anything else): checked here."""
    if not isinstance(envelope, dict) or envelope.get("payloadType") != payload_type:
        return []
    payload = envelope.get("payload")
    sigs = envelope.get("signatures")
    if not isinstance(payload, dict) or not isinstance(sigs, list):
        return []
    body = pae(payload_type, canonical(payload))
    return [str(s.get("keyid")) for s in sigs if isinstance(s, dict)
            and verify(str(s.get("keyid")), str(s.get("sig")), body)]
