"""Certificates an attacker without a production key could hand a studio: each fails
``verify`` with one line and exit 1 (exit 2 only when the verifier's own input is bad)."""

from __future__ import annotations

import json
from pathlib import Path

from aiclear.ledger.chain import GENESIS_HASH
from aiclear.ledger.envelope import sign_entry
from aiclear.ledger.keys import new_key
from aiclear.ledger.root import new_root
from aiclear.ledger.statement import keyring_statement
from aiclear.provenance import envelope
from aiclear.provenance.trust import root_from_json, root_from_statement, root_problem
from tests.provenance.conftest import Production
from tests.provenance.test_certify import approve_ai, certify, payload_of
from tests.provenance.test_roundtrip import failed, verify


def cleared(p: Production) -> Path:
    approve_ai(p)
    code, _, err, cert = certify(p)
    assert code == 0, err
    return cert


def test_self_made_signer_under_the_real_root_fails(production: Production) -> None:
    """The real root block copied, signed by a new key 'trusted' by another new key, the
    trust entry signed into a plausible place of the real production."""
    cert = cleared(production)
    payload = payload_of(cert)
    pid = payload["root"]["production_id"]
    mallory, fake_admin = new_key("Mallory", "legal"), new_key("Fake Admin", "admin")
    statement = keyring_statement(fake_admin, action="trust", key=mallory.public_text,
                                  name="Mallory", role="legal", production="Night Shift")
    prev = payload["ledger"]["head"]["entry_hash"]
    payload["signer"] = {"key": mallory.public_text, "name": "Mallory", "role": "legal",
                         "trusted_by": {"production_id": pid, "seq": 6, "prev_hash": prev,
                                        "statement": statement,
                                        "signature": sign_entry(fake_admin, pid, 6, prev,
                                                                statement)}}
    forged = production.folder / "forged.json"
    forged.write_text(envelope.dumps(envelope.seal(payload, mallory)))
    code, _, err = verify(production, forged)
    assert code == 1
    assert failed(err) == "root: the signer was trusted by a key that is not an admin of the root"


def test_real_trust_entry_moved_to_another_place_fails(production: Production) -> None:
    """The signer's real keyring entry, but claimed at another entry number: its signature
    covers its place, so it no longer verifies."""
    cert = cleared(production)
    payload = payload_of(cert)
    payload["signer"]["trusted_by"]["seq"] += 1
    forged = production.folder / "forged.json"
    forged.write_text(envelope.dumps(envelope.seal(payload, production.keys["legal"])))
    code, _, err = verify(production, forged)
    assert code == 1
    assert failed(err) == "root: the signer's keyring entry does not verify"


def test_self_made_root_fails_the_pin(production: Production) -> None:
    """A whole new signed root (the attacker as admin) is consistent, but not the one
    pinned."""
    cert = cleared(production)
    payload = payload_of(cert)
    real = payload["root"]["fingerprint"]
    mallory = new_key("Mallory", "admin")
    statement = new_root(mallory, production="Night Shift", profile="baseline",
                         ledger="forged.sqlite")
    signature = sign_entry(mallory, statement["production_id"], 1, GENESIS_HASH, statement)
    payload["root"] = root_from_statement(statement, signature).to_json()
    assert root_problem(root_from_json(payload["root"])) is None  # consistent on its own
    payload["signer"] = {"key": mallory.public_text, "name": "Mallory", "role": "admin",
                         "trusted_by": None}
    forged = production.folder / "forged.json"
    forged.write_text(envelope.dumps(envelope.seal(payload, mallory)))
    code, _, err = verify(production, forged, root=real)
    assert code == 1
    assert failed(err) == f"root: certificate is for root {payload['root']['fingerprint']}, " \
                          f"not the pinned {real}"


def test_real_root_with_an_admin_added_fails(production: Production) -> None:
    """The pinned fingerprint kept, the attacker added to the admins: either the listed
    admins are not the statement's, or the edited statement no longer hashes to the pin."""
    cert = cleared(production)
    payload = payload_of(cert)
    mallory = new_key("Mallory", "admin")
    payload["root"]["admins"].append(mallory.public_text)
    payload["signer"] = {"key": mallory.public_text, "name": "Mallory", "role": "admin",
                         "trusted_by": None}
    forged = production.folder / "forged.json"
    forged.write_text(envelope.dumps(envelope.seal(payload, mallory)))
    code, _, err = verify(production, forged)
    assert code == 1
    assert failed(err) == ("root: the certificate's root is inconsistent: its production or "
                           "admins are not those of its root statement")
    payload["root"]["statement"]["admins"].append({"key": mallory.public_text,
                                                   "name": "Mallory"})
    forged.write_text(envelope.dumps(envelope.seal(payload, mallory)))
    code, _, err = verify(production, forged)
    assert code == 1
    assert failed(err) == ("root: the certificate's root is inconsistent: its root statement "
                           "does not hash to its fingerprint")


def test_signature_moved_to_another_payload_type_fails(production: Production) -> None:
    cert = cleared(production)
    env = json.loads(cert.read_text())
    env["payloadType"] = "application/vnd.in-toto+json"
    forged = production.folder / "forged.json"
    forged.write_text(json.dumps(env))
    code, _, err = verify(production, forged, root=payload_of(cert)["root"]["fingerprint"])
    assert code == 1
    assert failed(err) == ("signature: not a clearance certificate: payloadType "
                           "'application/vnd.in-toto+json' is not "
                           "application/vnd.aiclear.clearance+json")


def test_garbage_and_missing_certificates(production: Production) -> None:
    junk = production.folder / "junk.json"
    junk.write_bytes(b"\xff\xfe not json")
    code, _, err = verify(production, junk, root="sha256:" + "0" * 64)
    assert code == 1
    assert failed(err).startswith("signature: not a clearance certificate: not JSON (")
    code, _, err = verify(production, production.folder / "absent.json",
                          root="sha256:" + "0" * 64)
    assert code == 2
    assert err.strip().endswith("absent.json: no such certificate")
    code, _, err = verify(production, junk, root="not-a-fingerprint")
    assert code == 2
    assert "bad --trust-root 'not-a-fingerprint' (expected the 64 hex digits" in err


def test_unsigned_envelope_fails(production: Production) -> None:
    cert = cleared(production)
    env = json.loads(cert.read_text())
    env["signatures"] = []
    forged = production.folder / "forged.json"
    forged.write_text(json.dumps(env))
    code, _, err = verify(production, forged, root=payload_of(cert)["root"]["fingerprint"])
    assert code == 1
    assert failed(err) == "signature: the certificate carries no signature"


def test_what_cannot_be_checked_is_an_error_not_a_pass(production: Production) -> None:
    """A ledger that is not there or media that is missing: exit 2, like check."""
    cert = cleared(production)
    code, stdout, err = verify(production, cert, "--ledger", production.folder / "nope.sqlite",
                               "--media", production.folder / "absent.mp4")
    assert code == 2
    assert err.strip().splitlines()[-1].startswith("aiclear: error: cannot verify: media: ")
    assert stdout.splitlines()[-1].startswith("CANNOT VERIFY: media: ")
    assert "ERROR" in stdout and "no ledger here" in stdout
