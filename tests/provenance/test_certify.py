"""``aiclear certify``: the certificate says what the scan and the ledger say, meets its
published schema, and is refused while anything blocks."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import jsonschema

from aiclear.media import hashing
from aiclear.provenance import envelope
from aiclear.provenance.certificate import file_digest
from tests.provenance.conftest import Production

SCHEMA = Path(__file__).resolve().parents[2] / "resources" / "schemas" / \
    "clearance-certificate.schema.json"


def payload_of(cert: Path) -> dict[str, Any]:
    env = json.loads(cert.read_text())
    return json.loads(base64.b64decode(env["payload"]))


def approve_ai(p: Production, who: str = "legal") -> str:
    """Approve the one AI segment of the cut; returns its segment id."""
    code, out, err = p.aiclear("check", p.timeline, "--ledger", p.ledger, "--format", "json",
                               *p.scan_args())
    segments = json.loads(out)["timelines"][0]["segments"]
    assert len(segments) == 1, segments
    seg = segments[0]["segment_id"]
    code, _, err = p.aiclear("approve", seg, "--key", p.keys.path(who), "--ledger", p.ledger,
                             "--timeline", p.timeline, *p.scan_args())
    assert code == 0, err
    return seg


def certify(p: Production, *extra: Any, who: str = "legal") -> tuple[int, str, str, Path]:
    out = p.folder / "reel1.clearance.json"
    code, stdout, err = p.aiclear("certify", p.timeline, "-o", out, "--key", p.keys.path(who),
                                  "--ledger", p.ledger, *p.scan_args(), *extra)
    return code, stdout, err, out


def test_certificate_names_segments_decisions_root_and_disclosures(production: Production
                                                                   ) -> None:
    seg = approve_ai(production)
    code, stdout, err, cert = certify(production)
    assert code == 0, err
    env = json.loads(cert.read_text())
    assert env["payloadType"] == "application/vnd.aiclear.clearance+json"
    assert [s["keyid"] for s in env["signatures"]] == [production.keys["legal"].public_text]
    payload = payload_of(cert)
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text())).validate(payload)
    assert payload["intent"] == "final" and payload["blocking"] == []
    assert payload["timeline"]["sha256"] == file_digest(production.timeline)
    assert payload["timeline"]["duration_frames"] == 60 and payload["timeline"]["rate"] == 24
    assert payload["root"]["fingerprint"] in stdout
    assert payload["root"]["admins"] == [production.keys["admin"].public_text]
    assert payload["policy"]["name"] == "baseline"
    assert payload["ledger"]["head"]["seq"] == 5  # init, 3 trusts, 1 approval
    [s] = payload["segments"]
    assert s["segment_id"] == seg and s["asset_id"] == hashing.asset_id(production.sources.ai)
    assert (s["frames"], s["timecode"]) == ({"start": 24, "end": 48},
                                             {"start": "00:00:01:00", "end": "00:00:02:00"})
    assert s["track"] == {"name": "V1", "kind": "Video", "label": "V1"}
    assert s["source_type"] == "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    assert s["tool"] == "Example Text-to-Video Model 1.0" and s["status"] == "cleared"
    [decided] = s["decided_by"]
    assert decided["seq"] == 5 and decided["role"] == "legal" and decided["decision"] == "approve"
    assert decided["signer"] == production.keys["legal"].public_text
    assert payload["disclosures"]["credits"], "a credit block for the AI tool"
    assert any("Example Text-to-Video Model" in line for line in payload["disclosures"]["credits"])


def test_certify_refuses_while_blocked_and_review_is_marked(production: Production) -> None:
    code, _, err, cert = certify(production)
    assert code == 1
    assert err.startswith("aiclear: certify refused: 1 problem(s) block")
    assert "SC01_PLATE" in err and "provisional" in err
    assert not cert.exists()
    code, _, err, cert = certify(production, "--intent", "review")
    assert code == 0, err
    payload = payload_of(cert)
    assert payload["intent"] == "review" and len(payload["blocking"]) == 1
    assert payload["segments"][0]["status"] == "provisional"
    assert payload["segments"][0]["decided_by"] == []


def test_editor_approval_and_editor_key_certify_nothing(production: Production) -> None:
    approve_ai(production, who="editor")
    code, _, err, cert = certify(production)
    assert code == 1 and "provisional" in err
    approve_ai(production, who="legal")
    code, _, err, cert = certify(production, who="editor")
    assert code == 2
    assert err.strip().endswith("Ed Editor's key has role editor; clearance certificates are "
                                "signed by admin, producer or legal keys")
    assert not cert.exists()


def test_envelope_is_dsse_pae(production: Production) -> None:
    """The signature is Ed25519 over DSSE's PAE, checkable without aiclear."""
    approve_ai(production)
    code, _, err, cert = certify(production)
    assert code == 0, err
    env = json.loads(cert.read_text())
    body = base64.b64decode(env["payload"])
    kind = env["payloadType"].encode()
    pae = b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(body), body)
    assert envelope.pae(env["payloadType"], body) == pae
    key = production.keys["legal"].private.public_key()
    key.verify(base64.b64decode(env["signatures"][0]["sig"]), pae)  # raises when wrong
    assert body == json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False).encode()


def test_published_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA.read_text()))


def test_ledger_verify_against_the_certificate_proves_its_head(production: Production) -> None:
    """The certificate records the head it was judged against where 'ledger verify
    --against' reads it; a ledger rolled back below that head fails, even on a machine
    that never saw the later head."""
    from aiclear.ledger import heads
    from tests.security.attacker import rewrite, rows

    approve_ai(production)
    code, _, err, cert = certify(production)
    assert code == 0, err
    payload = payload_of(cert)
    recorded = payload["ledger"]["trust"]
    assert recorded["state"] == "pinned" and recorded["root"] == payload["root"]["fingerprint"]
    assert (recorded["head_seq"], recorded["head_hash"]) == (
        payload["ledger"]["head"]["seq"], payload["ledger"]["head"]["entry_hash"])
    code, out, err = production.aiclear("ledger", "verify", "--ledger", production.ledger,
                                        "--against", cert)
    assert code == 0, out + err
    assert f"ok: {cert}: entry 5 (" in out
    rewrite(production.ledger, rows(production.ledger)[:4])  # the approval deleted
    heads.state_path().unlink()  # a machine that never saw entry 5 (the studio's)
    code, out, err = production.aiclear("ledger", "verify", "--ledger", production.ledger,
                                        "--against", cert)
    assert code == 1
    assert (f"ledger.rollback: {cert}: it records entry 5 (head "
            f"{recorded['head_hash'][:16]}…) but the ledger now ends at entry 4") in out


def test_certify_needs_the_ledger_pinned_here(production: Production) -> None:
    """A final certificate only from a ledger whose root this machine pins; a review one
    is allowed and records the ledger as unverified (and what that blocks)."""
    approve_ai(production)
    other = "ab" * 32
    code, _, err, cert = certify(production, "--trust-root", other)
    assert code == 1
    [line] = err.strip().splitlines()
    assert line.startswith("aiclear: error: certify refused: a final certificate needs a "
                           "ledger pinned here: ledger ")
    assert "is not the root pinned for this run (--trust-root abababab" in line
    assert not cert.exists()
    code, _, err, cert = certify(production, "--trust-root", other, "--intent", "review")
    assert code == 0, err
    payload = payload_of(cert)
    assert payload["intent"] == "review"
    assert payload["ledger"]["trust"]["state"] == "unverified"
    assert payload["segments"][0]["status"] == "provisional"  # it cleared nothing
    assert any("is not the root pinned for this run" in b for b in payload["blocking"])


def test_certify_refuses_a_legacy_ledger(production: Production, tmp_path: Path) -> None:
    """A schema-1 ledger has no production root to certify under: refused, even for
    review, with the command that fixes it."""
    from tests.ledger.test_trust import _legacy

    old = str(tmp_path / "old.sqlite")
    _legacy(old, production.keys["admin"], production.keys["legal"])
    for intent in ("final", "review"):
        code, _, err = production.aiclear(
            "certify", production.timeline, "-o", production.folder / "old.clearance.json",
            "--key", production.keys.path("legal"), "--ledger", old, "--intent", intent,
            *production.scan_args())
        assert code == 1
        [line] = err.strip().splitlines()
        assert line.startswith("aiclear: error: certify refused: ledger ")
        assert line.endswith("is a schema-1 ledger with no production root: it clears "
                             "nothing until an admin runs 'aiclear ledger upgrade --key "
                             "ADMIN.key'")
    assert not (production.folder / "old.clearance.json").exists()
