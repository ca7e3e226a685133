"""The round trip with real tools: a master rendered by ffmpeg from the cut, signed by
``sign-master``, read back by c2pa-python as Trusted against the test anchor, its regions
those of the certificate, ``verify`` passing on everything - and each attack failing with
its one-line reason."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import c2pa
import opentimelineio as otio
import pytest

from aiclear.ledger.store import open_store
from aiclear.provenance import envelope
from aiclear.provenance.certificate import file_digest
from tests.provenance.conftest import Production, clip, cut, render_master, video
from tests.provenance.test_certify import approve_ai, certify, payload_of

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def signed_master(p: Production) -> tuple[Path, Path, Path]:
    """(certificate, master, signed master) for the cleared cut."""
    approve_ai(p)
    code, _, err, cert = certify(p)
    assert code == 0, err
    master = render_master(p.sources.camera, p.sources.ai, p.folder / "master.mp4")
    out = p.folder / "master.signed.mp4"
    code, stdout, err = p.aiclear("sign-master", master, "--certificate", cert,
                                  "--cert", p.sources.pki.chain_pem, "--key", p.sources.pki.key_pem,
                                  "-o", out)
    assert code == 0, err
    assert "1 AI region(s), 1 ingredient(s)" in stdout
    return cert, master, out


def verify(p: Production, cert: Path, *extra: Any, root: str | None = None
           ) -> tuple[int, str, str]:
    fp = root or payload_of(cert)["root"]["fingerprint"]
    return p.aiclear("verify", cert, "--trust-root", fp, *p.scan_args(), *extra)


def failed(err: str) -> str:
    """The one-line reason on stderr."""
    lines = [line for line in err.splitlines() if line.startswith("aiclear: verification failed")]
    assert len(lines) == 1, err
    return lines[0].removeprefix("aiclear: verification failed: ")


def test_signed_master_reads_back_trusted_with_the_certified_regions(production: Production
                                                                     ) -> None:
    cert, master, out = signed_master(production)
    before = master.read_bytes()
    anchors = production.sources.pki.root_pem.read_text()
    ctx = c2pa.Context(c2pa.Settings.from_dict({
        "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
        "trust": {"trust_anchors": anchors}}))
    with c2pa.Reader(str(out), context=ctx) as reader:
        assert reader.get_validation_state() == "Trusted"
        store = json.loads(reader.json())
    active = store["manifests"][store["active_manifest"]]
    assert active["claim_generator_info"][0]["name"] == "Night Shift"
    actions = next(a for a in active["assertions"] if a["label"].startswith("c2pa.actions"))
    acts = actions["data"]["actions"]
    assert [a["action"] for a in acts] == ["c2pa.created", "c2pa.placed"]
    placed = acts[1]
    assert placed["digitalSourceType"] == IPTC + "trainedAlgorithmicMedia"
    [change] = placed["changes"]
    seg = payload_of(cert)["segments"][0]
    assert change["identifier"] == seg["segment_id"]
    assert change["region"] == [{"type": "temporal", "time": {"type": "npt", "start": "1",
                                                              "end": "2"}}]
    clearance = next(a for a in active["assertions"] if a["label"] == "com.aiclear.clearance")
    opened = envelope.open_envelope(cert.read_bytes())
    assert clearance["data"]["payload_sha256"] == opened.digest
    [ingredient] = active["ingredients"]
    assert ingredient["relationship"] == "componentOf"
    assert ingredient.get("active_manifest") in store["manifests"]  # the plate's own manifest
    assert master.read_bytes() == before  # MASTER itself never changes
    code, stdout, err = verify(production, cert, "--timeline", production.timeline,
                               "--media", out, "--ledger", production.ledger)
    assert code == 0, err
    assert stdout.splitlines()[-1] == f"VERIFIED  ({cert})"
    code, stdout, _ = verify(production, cert, "--media", out, "--format", "json")
    result = json.loads(stdout)
    assert result["verdict"] == "pass"
    assert {c["check"]: c["result"] for c in result["checks"]} == {
        "signature": "ok", "root": "ok", "intent": "ok", "policy": "ok", "timeline": "skipped",
        "media": "ok", "ledger": "skipped"}


def test_check_recognises_the_ai_in_a_signed_master(production: Production) -> None:
    _, _, out = signed_master(production)
    tl = otio.schema.Timeline("trailer")
    tl.tracks.append(otio.schema.Track("V1", children=[clip("MASTER_R1", out, 0, 60)]))
    path = production.folder / "trailer.otio"
    tl.to_json_file(str(path))
    code, stdout, err = production.aiclear("check", path, "--format", "json",
                                           "--trust-anchors", production.sources.pki.root_pem)
    assert code == 1, err
    [seg] = json.loads(stdout)["timelines"][0]["segments"]
    c2pa_ev = [e for e in seg["evidence"] if e["kind"] == "c2pa"]
    assert c2pa_ev and seg["status"] == "provisional"
    assert seg["source_type"] in (IPTC + "trainedAlgorithmicMedia",
                                  IPTC + "compositeWithTrainedAlgorithmicMedia")


# --------------------------------------------------------------------------- attacks

def test_tampered_certificate_fails(production: Production) -> None:
    cert, _, _ = signed_master(production)
    fp = payload_of(cert)["root"]["fingerprint"]
    data = cert.read_bytes()
    i = data.index(b'"payload": "') + len(b'"payload": "') + 40
    forged = cert.with_name("forged.json")
    forged.write_bytes(data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:])  # one byte changed
    code, _, err = verify(production, forged, root=fp)
    assert code == 1
    assert failed(err) == ("signature: the certificate's signature does not verify "
                           "(it was changed after signing)")


def test_editor_resigned_certificate_fails_on_root(production: Production) -> None:
    """An editor rewrites the payload and signs it with their own (trusted) key, carrying
    their real keyring entry: the root refuses an editor as a certifier."""
    cert, _, _ = signed_master(production)
    payload = payload_of(cert)
    editor = production.keys["editor"]
    with open_store(production.ledger) as store:
        entry = next(e for e in store.entries() if (e.statement() or {}).get("key")
                     == editor.public_text)
    payload["signer"] = {"key": editor.public_text, "name": "Ed Editor", "role": "legal",
                         "trusted_by": {"production_id": payload["root"]["production_id"],
                                        "seq": entry.seq, "prev_hash": entry.prev_hash,
                                        "statement": entry.statement(),
                                        "signature": entry.signature}}
    forged = production.folder / "forged.json"
    forged.write_text(envelope.dumps(envelope.seal(payload, editor)))
    code, _, err = verify(production, forged)
    assert code == 1
    assert failed(err) == "root: the signer's role 'editor' may not certify"


def test_wrong_trust_root_fails(production: Production) -> None:
    cert, _, _ = signed_master(production)
    fp = payload_of(cert)["root"]["fingerprint"]
    other = "ab" * 32  # the bare hex 'ledger init' prints ("sha256:<hex>" reads the same)
    code, _, err = verify(production, cert, root="sha256:" + other)
    assert code == 1
    assert failed(err) == f"root: certificate is for root {fp}, not the pinned {other}"


def test_different_timeline_fails(production: Production) -> None:
    cert, _, _ = signed_master(production)
    other = production.folder / "reel1_v2.otio"
    tl = cut(production.sources.camera, production.sources.ai, name="reel 1 v2")
    tl.to_json_file(str(other))
    code, _, err = verify(production, cert, "--timeline", other)
    assert code == 1
    want, got = payload_of(cert)["timeline"]["sha256"], file_digest(other)
    assert failed(err) == (f"timeline: reel1_v2.otio does not hash to the certified timeline "
                           f"(certified {want[:19]}…, given {got[:19]}…)")


def test_same_timeline_with_swapped_media_fails(production: Production) -> None:
    """The timeline file is byte-identical, but its AI plate was replaced on disk by other
    AI bytes: the cut no longer holds the certified segment."""
    cert, _, _ = signed_master(production)
    plate = production.sources.ai
    other = video(production.folder / "other.mp4", 1, "rgbtestsrc")
    from tests.media import media_gen as g

    g.sign(production.sources.pki, other, plate.with_name("swap.mp4"),
           g.actions(g.created(g.TRAINED, "Another Model")))
    shutil.move(plate.with_name("swap.mp4"), plate)
    code, _, err = verify(production, cert, "--timeline", production.timeline)
    assert code == 1
    assert failed(err).startswith("timeline: reel1.otio holds 1 AI segment(s) the certificate "
                                  "does not list: ")


def test_ledger_that_revoked_a_certified_asset_fails(production: Production) -> None:
    cert, _, _ = signed_master(production)
    seg = payload_of(cert)["segments"][0]
    code, _, err = production.aiclear("revoke", seg["asset_id"], "--key",
                                      production.keys.path("legal"), "--ledger", production.ledger)
    assert code == 0, err
    code, _, err = verify(production, cert, "--ledger", production.ledger)
    assert code == 1
    assert failed(err) == (f"ledger: entry 6 revokes certified asset {seg['asset_id'][:19]}… "
                           f"({seg['segment_id']}) after the certified head 5")


def test_ledger_that_revoked_the_clearer_fails(production: Production) -> None:
    cert, _, _ = signed_master(production)
    code, _, err = production.aiclear("keys", "revoke", production.keys.path("legal"), "--by",
                                      production.keys.path("admin"), "--ledger", production.ledger)
    assert code == 0, err
    code, _, err = verify(production, cert, "--ledger", production.ledger)
    assert code == 1
    assert failed(err) == ("ledger: entry 6 revokes the key of 'Lea Legal', whose signature the "
                           "certificate relies on, after the certified head 5")


def test_ledger_rolled_back_before_the_certified_head_fails(production: Production,
                                                            tmp_path: Path) -> None:
    """A copy of the ledger from before the approval cannot hold the certified head."""
    if "://" in production.ledger:
        pytest.skip("copies the SQLite file (the PostgreSQL variant would need a dump)")
    early = str(tmp_path / "early.sqlite")
    shutil.copy(production.ledger, early)
    cert, _, _ = signed_master(production)
    head = payload_of(cert)["ledger"]["head"]
    code, _, err = verify(production, cert, "--ledger", early)
    assert code == 1
    assert failed(err) == (f"ledger: {early}: does not contain the certified head "
                           f"(entry {head['seq']} {head['entry_hash'][:12]}…)")


def _box(data: bytes, kind: bytes) -> tuple[int, int]:
    """(start, end) of the first top-level ISO BMFF box of ``kind`` (the manifest's size
    grows with the certificate, so a fixed offset may land in it instead)."""
    at = 0
    while at + 8 <= len(data):
        size = int.from_bytes(data[at:at + 4], "big")
        header = 8
        if size == 1:
            size, header = int.from_bytes(data[at + 8:at + 16], "big"), 16
        elif size == 0:
            size = len(data) - at
        if data[at + 4:at + 8] == kind:
            return at + header, at + size
        at += size
    raise AssertionError(f"no {kind!r} box")


def test_master_with_one_byte_changed_fails(production: Production) -> None:
    cert, _, out = signed_master(production)
    data = bytearray(out.read_bytes())
    start, end = _box(bytes(data), b"mdat")
    data[(start + end) // 2] ^= 0x01  # a byte of the pictures, not of the manifest
    bad = production.folder / "master.tampered.mp4"
    bad.write_bytes(bytes(data))
    code, _, err = verify(production, cert, "--media", bad)
    assert code == 1
    assert failed(err) == ("media: master.tampered.mp4: Content Credentials do not verify "
                           "(assertion.bmffHash.mismatch)")


def test_master_signed_for_another_certificate_fails(production: Production) -> None:
    cert, _, out = signed_master(production)
    code, _, err, review = certify(production, "--intent", "review")
    assert code == 0, err
    code, _, err = verify(production, review, "--media", out, "--allow-review")
    assert code == 1
    assert failed(err) == ("media: master.signed.mp4: its Content Credentials name another "
                           "clearance certificate")


def test_sign_master_refuses_a_master_of_another_length(production: Production) -> None:
    approve_ai(production)
    code, _, err, cert = certify(production)
    assert code == 0, err
    short = render_master(production.sources.camera, production.sources.ai,
                          production.folder / "short.mp4", frames=(24, 24, 6))
    out = production.folder / "short.signed.mp4"
    code, _, err = production.aiclear("sign-master", short, "--certificate", cert, "--cert",
                                      production.sources.pki.chain_pem, "--key",
                                      production.sources.pki.key_pem, "-o", out)
    assert code == 1
    assert err.strip() == ("aiclear: error: short.mp4: lasts 2.250 s but the certified "
                           "timeline 'reel 1' lasts 2.500 s (60 frames at 24 fps); render the "
                           "certified cut")
    assert not out.exists()


def test_sign_master_never_writes_over_its_input(production: Production) -> None:
    cert, master, _ = signed_master(production)
    before = master.read_bytes()
    code, _, err = production.aiclear("sign-master", master, "--certificate", cert, "--cert",
                                      production.sources.pki.chain_pem, "--key",
                                      production.sources.pki.key_pem, "-o", master)
    assert code == 2
    assert "refusing to overwrite the input" in err
    assert master.read_bytes() == before


def test_review_certificate_fails_verify_and_is_not_signed(production: Production) -> None:
    code, _, err, cert = certify(production, "--intent", "review")
    assert code == 0, err
    code, _, err = verify(production, cert)
    assert code == 1
    assert failed(err) == ("intent: a review certificate (internal screening), not a delivery "
                           "clearance: 1 problem(s) were open when it was issued")
    master = render_master(production.sources.camera, production.sources.ai,
                           production.folder / "master.mp4")
    code, _, err = production.aiclear("sign-master", master, "--certificate", cert, "--cert",
                                      production.sources.pki.chain_pem, "--key",
                                      production.sources.pki.key_pem, "-o",
                                      production.folder / "out.mp4")
    assert code == 1 and "a review certificate" in err


@pytest.mark.parametrize("suffix", [".wav"])
def test_audio_master_carries_credentials(production: Production, suffix: str) -> None:
    """An audio deliverable (WAV) of the same length takes the manifest too."""
    approve_ai(production)
    code, _, err, cert = certify(production)
    assert code == 0, err
    from tests.media import media_gen as g

    wav = production.folder / f"mix{suffix}"
    g.ffmpeg("-f", "lavfi", "-i", "sine=frequency=220:duration=2.5", str(wav))
    out = production.folder / f"mix.signed{suffix}"
    code, _, err = production.aiclear("sign-master", wav, "--certificate", cert, "--cert",
                                      production.sources.pki.chain_pem, "--key",
                                      production.sources.pki.key_pem, "-o", out)
    assert code == 0, err
    code, stdout, err = verify(production, cert, "--media", out)
    assert code == 0, err


def test_mxf_master_gets_a_sidecar_that_binds_its_bytes(production: Production) -> None:
    """c2pa cannot embed in MXF: the manifest goes to master.mxf.c2pa beside it, MASTER
    is untouched, and one byte changed in the MXF fails verification."""
    approve_ai(production)
    code, _, err, cert = certify(production)
    assert code == 0, err
    from tests.media import media_gen as g

    mxf = production.folder / "master.mxf"
    g.ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=24:duration=2.5",
             "-c:v", "mpeg2video", str(mxf))
    before = mxf.read_bytes()
    args = ["--certificate", cert, "--cert", production.sources.pki.chain_pem,
            "--key", production.sources.pki.key_pem]
    code, _, err = production.aiclear("sign-master", mxf, *args, "-o",
                                      production.folder / "master.signed.mxf")
    assert code == 2
    assert "c2pa cannot embed into .mxf; give -o a .c2pa sidecar name" in err
    code, _, err = production.aiclear("sign-master", mxf, *args, "-o",
                                      production.folder / "master.mxf.c2pa")
    assert code == 0, err
    assert mxf.read_bytes() == before
    assert sorted(p.name for p in production.folder.iterdir() if p.name.startswith(".")) == []
    code, _, err = verify(production, cert, "--media", mxf)
    assert code == 0, err
    data = bytearray(before)
    data[len(data) // 2] ^= 0x01
    mxf.write_bytes(bytes(data))
    code, _, err = verify(production, cert, "--media", mxf)
    assert code == 1
    assert failed(err).startswith("media: master.mxf: Content Credentials do not verify (")


def test_master_signed_by_an_untrusted_c2pa_signer_fails(production: Production,
                                                         tmp_path: Path) -> None:
    """Someone signs another render with their own C2PA certificate and copies the
    certificate into it: intact, but not signed by anyone the studio trusts."""
    from tests.provenance.conftest import _demo_pki

    cert, master, _ = signed_master(production)
    stranger = _demo_pki().make_pki(tmp_path / "stranger", "Unknown Signer Ltd", "es256")
    out = production.folder / "master.stranger.mp4"
    code, _, err = production.aiclear("sign-master", master, "--certificate", cert, "--cert",
                                      stranger.chain_pem, "--key", stranger.key_pem, "-o", out)
    assert code == 0, err
    code, _, err = verify(production, cert, "--media", out)
    assert code == 1
    assert failed(err) == ("media: master.stranger.mp4: Content Credentials signer is not "
                           "trusted (Untrusted; it does not chain to --trust-anchors)")
    fp = payload_of(cert)["root"]["fingerprint"]
    code, _, err = production.aiclear("verify", cert, "--trust-root", fp, "--media", out)
    assert code == 1
    assert failed(err) == ("media: master.stranger.mp4: Content Credentials signer is not "
                           "trusted (Untrusted; pass --trust-anchors PEM with the C2PA trust "
                           "list or the production's CA)")


def test_ed25519_c2pa_signer_is_supported(production: Production, tmp_path: Path) -> None:
    """The C2PA key type decides the algorithm: an Ed25519 chain signs and reads Trusted."""
    from tests.provenance.conftest import _demo_pki

    cert, master, _ = signed_master(production)
    pki = _demo_pki().make_pki(tmp_path / "ed", "Test Post House", "ed25519")
    out = production.folder / "master.ed25519.mp4"
    code, _, err = production.aiclear("sign-master", master, "--certificate", cert, "--cert",
                                      pki.chain_pem, "--key", pki.key_pem, "-o", out)
    assert code == 0, err
    fp = payload_of(cert)["root"]["fingerprint"]
    code, stdout, err = production.aiclear("verify", cert, "--trust-root", fp, "--media", out,
                                           "--trust-anchors", pki.root_pem)
    assert code == 0, err
    assert "Content Credentials Trusted" in stdout
