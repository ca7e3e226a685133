"""Detached ``.c2pa`` sidecar manifests: how MXF (which cannot embed one) carries C2PA."""

from __future__ import annotations

from pathlib import Path

from aiclear.media import Prober
from tests.media import media_gen as g


def test_mxf_with_sidecar_manifest(tmp_path: Path, pki, anchors):
    mxf = g.make_mxf(tmp_path / "A001C003.mxf")
    prober = Prober(trust_anchors=anchors, jobs=1, cache_path=tmp_path / "c.sqlite3")
    assert not prober.probe_paths([str(mxf)])[str(mxf)].is_ai  # no sidecar yet
    g.sign_sidecar(pki, mxf, g.actions(g.created(g.TRAINED, "Sidecar Model")))
    got = prober.probe_paths([str(mxf)])[str(mxf)]  # the new sidecar invalidates the cache
    assert prober.probed == 2
    assert got.is_ai
    [ev] = got.evidence
    assert (ev["kind"], ev["state"], ev["sidecar"]) == ("c2pa", "Trusted", "A001C003.c2pa")
    assert got.hints["tool"] == {"product": "Sidecar Model"}


def test_sidecar_for_altered_media_is_invalid_but_still_ai(tmp_path: Path, pki, anchors):
    mxf = g.make_mxf(tmp_path / "shot.mxf")
    g.sign_sidecar(pki, mxf, g.actions(g.created(g.TRAINED, "Sidecar Model")))
    g.tamper(mxf, mxf)
    got = Prober(trust_anchors=anchors, jobs=0, use_cache=False).probe_paths([str(mxf)])
    probe = got[str(mxf)]
    assert probe.is_ai
    assert probe.evidence[0]["state"] == "Invalid"
    assert [f["rule"] for f in probe.findings] == ["media.c2pa_invalid"]


def test_garbage_sidecar_is_a_warning_not_a_crash(tmp_path: Path):
    mov = g.make_video(tmp_path / "clip.mov")
    (tmp_path / "clip.c2pa").write_bytes(b"\x00" * 100)
    probe = Prober(jobs=0, use_cache=False).probe_paths([str(mov)])[str(mov)]
    assert not probe.is_ai
    assert [f["rule"] for f in probe.findings] == ["media.c2pa_unreadable"]
