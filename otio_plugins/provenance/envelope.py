"""DSSE envelopes (github.com/secure-systems-lab/dsse, v1) signed with Ed25519 keys.

The signature is over ``PAE(payloadType, payload)``::

    "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body

so the type is bound to the bytes and no JSON canonicalisation is needed to verify; the
payload itself is aiclear's canonical JSON (sorted keys, no whitespace, UTF-8) so the same
certificate always has the same bytes and digest. ``keyid`` is the signer's public key
text (``ed25519:<base64>``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from aiclear.ledger.keys import SigningKey, verify
from aiclear.ledger.statement import canonical
from aiclear.model import JsonObject

PAYLOAD_TYPE = "application/vnd.aiclear.clearance+json"
MAX_ENVELOPE = 32 << 20  # a certificate of 50k segments is a few MB


class EnvelopeError(ValueError):
    """The envelope is not a well-formed DSSE envelope of the expected type."""


@dataclass(frozen=True, slots=True)
class Opened:
    """A parsed envelope: the payload bytes and the signatures that verify over them."""

    payload: bytes
    keyids: tuple[str, ...]  # signers whose signature verifies, in envelope order
    bad: int  # signatures present that do not verify

    @property
    def digest(self) -> str:
        return payload_digest(self.payload)

    def statement(self) -> JsonObject:
        try:
            value: object = json.loads(self.payload.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as err:
            raise EnvelopeError(f"payload is not JSON ({err})") from err
        if not isinstance(value, dict):
            raise EnvelopeError("payload is not a JSON object")
        return value


def pae(payload_type: str, payload: bytes) -> bytes:
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


def payload_digest(payload: bytes) -> str:
    return "sha256:" + hashlib.sha256(payload).hexdigest()


def seal(statement: Mapping[str, object], key: SigningKey) -> JsonObject:
    payload = canonical(statement)
    sig = key.sign(pae(PAYLOAD_TYPE, payload))
    return {"payloadType": PAYLOAD_TYPE,
            "payload": base64.b64encode(payload).decode("ascii"),
            "signatures": [{"keyid": key.public_text, "sig": sig}]}


def dumps(envelope: Mapping[str, object]) -> str:
    return json.dumps(envelope, indent=2, ensure_ascii=False) + "\n"


def open_envelope(data: bytes) -> Opened:
    """Parse and check every signature; EnvelopeError when it is not a DSSE envelope of
    an aiclear clearance certificate."""
    if len(data) > MAX_ENVELOPE:
        raise EnvelopeError("too large for a clearance certificate")
    try:
        env: object = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise EnvelopeError(f"not JSON ({_first(err)})") from err
    if not isinstance(env, dict) or not isinstance(env.get("signatures"), list):
        raise EnvelopeError("not a DSSE envelope (expected payloadType, payload, signatures)")
    if env.get("payloadType") != PAYLOAD_TYPE:
        raise EnvelopeError(f"payloadType {str(env.get('payloadType'))[:60]!r} is not "
                            f"{PAYLOAD_TYPE}")
    try:
        payload = base64.b64decode(str(env.get("payload", "")), validate=True)
    except (binascii.Error, ValueError) as err:
        raise EnvelopeError("payload is not base64") from err
    message = pae(PAYLOAD_TYPE, payload)
    good: list[str] = []
    bad = 0
    for sig in env["signatures"]:
        keyid = sig.get("keyid") if isinstance(sig, dict) else None
        value = sig.get("sig") if isinstance(sig, dict) else None
        if isinstance(keyid, str) and isinstance(value, str) and verify(keyid, value, message):
            good.append(keyid)
        else:
            bad += 1
    return Opened(payload, tuple(good), bad)


def _first(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
