"""The real C2PA files in ../shared/fixtures (Adobe Firefly edits, tampered, bad
signatures, no-AI manifests, a remote manifest), compared with what c2pa-python read from
each of them offline (EXPECTED_offline_read.txt). Skips when ../shared is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiclear.detect import sourcetype
from aiclear.media import c2pa_read
from aiclear.media.probe import FileProber, ProbeConfig

pytestmark = pytest.mark.fixtures


def expected(shared: Path) -> dict[str, dict]:
    out = {}
    for line in (shared / "EXPECTED_offline_read.txt").read_text().splitlines():
        if line.strip():
            name, _, blob = line.partition(" ")
            out[name] = json.loads(blob)
    return out


@pytest.fixture
def prober_for(shared_fixtures: Path) -> FileProber:
    """Anchored on the synthetic fixtures' test root, as EXPECTED_offline_read.txt was."""
    anchors = shared_fixtures / "synthetic" / "certs" / "root_ca.pem"
    return FileProber(ProbeConfig(anchors.read_text() if anchors.is_file() else None))


def our_state(exp: dict) -> str:
    if exp["state"] == "Valid" and "signingCredential.untrusted" in exp["status_codes"]:
        return "Untrusted"  # our own state for "intact, signer not in the anchors"
    return exp["state"]


def test_every_listed_fixture_reads_as_expected(shared_fixtures: Path, prober_for):
    table = expected(shared_fixtures)
    assert len(table) >= 15
    for name, exp in table.items():
        path = shared_fixtures / name
        if not path.is_file():
            continue
        read = c2pa_read.read(str(path), prober_for.context)
        if exp["c2pa"] == "none":
            assert read is None, name
            continue
        assert read is not None, name
        if exp["c2pa"] == "error":
            assert read.state == "Remote", name
            assert read.remote_url in exp["error"], name
            continue
        assert read.state == our_state(exp), name
        got = sorted((c.manifest, c.action, sourcetype.code(c.source_type), c.agent)
                     for c in read.claims)
        want = sorted({(d["manifest"], d["action"], d["digitalSourceType"], d["softwareAgent"])
                       for d in exp["dst_evidence"]})
        assert got == want, name
        probe = prober_for.probe(str(path))
        assert probe.is_ai == exp["is_ai"], name
        if exp["issuer"]:
            assert exp["issuer"] in {e.get("signer") for e in probe.evidence}, name


def test_firefly_composite_and_tampered_and_xmp(shared_fixtures: Path, prober_for):
    ocsp = prober_for.probe(str(shared_fixtures / "c2pa-rs" / "ocsp.jpg"))
    assert ocsp.is_ai
    assert ocsp.hints["ai_class"] == "edited"
    assert ocsp.hints["tool"] == {"product": "Adobe Firefly", "vendor": "Adobe"}
    assert [f["rule"] for f in ocsp.findings] == ["media.c2pa_untrusted"]
    tampered = prober_for.probe(
        str(shared_fixtures / "synthetic" / "ai_generated_es256_tampered.mp4"))
    assert tampered.is_ai
    assert [f["rule"] for f in tampered.findings] == ["media.c2pa_invalid"]
    xmp = prober_for.probe(str(shared_fixtures / "synthetic" / "xmp_dst_trained_no_c2pa.mov"))
    assert xmp.is_ai
    assert [e["kind"] for e in xmp.evidence] == ["xmp"]
    for decoy in ["camera_no_manifest.mov", "ai_generated_es256_remuxed.mp4"]:
        assert not prober_for.probe(str(shared_fixtures / "synthetic" / decoy)).is_ai
