"""Issue 13 attack 1: an editor copies the aiclear token of a cleared asset onto another
AI clip whose media is offline (EDL comment, OTIO marker, a record in the metadata).
Carriers find AI; they never identify an asset for clearance."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.detect import carriers, record
from aiclear.errors import ExportBlocked

from .identity_kit import FIX, cli, clip, content_id, production, save, timeline, video

EDL = """TITLE: forged
FCM: NON-DROP FRAME

001  AX       V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00
* FROM CLIP NAME:  Midjourney_forest
* FROM FILE: /offline/mj_forest.mov
* {token}
"""
OFFLINE = f"media not available to verify: /offline/mj_forest.mov {FIX}"


@pytest.fixture
def approved(tmp_path: Path, ledger_location: str):
    """A production whose legal has cleared one real AI file, and that file."""
    prod = production(tmp_path / "prod", ledger_location)
    real = video(tmp_path / "media" / "mj_approved.mov")
    prod.approve(content_id(real))
    return prod, real


def test_identity_the_approved_clip_itself_passes(tmp_path: Path, approved) -> None:
    """The control: what the attacker copies really is cleared."""
    prod, real = approved
    cut = save(timeline(clip("Midjourney_approved", real.as_uri())), tmp_path / "cut.otio")
    assert cli("gate", cut, "--ledger", prod.ledger).code == 0


def test_identity_sha256_approvals_of_old_ledgers_still_clear_the_same_bytes(
        tmp_path: Path, ledger_location: str) -> None:
    prod = production(tmp_path / "prod", ledger_location)
    real = video(tmp_path / "media" / "mj_old.mov")
    prod.approve(_sha256_id(real))  # what a ledger from before BLAKE3 holds
    cut = save(timeline(clip("Midjourney_old", real.as_uri())), tmp_path / "cut.otio")
    assert cli("gate", cut, "--ledger", prod.ledger).code == 0
    real.write_bytes(real.read_bytes() + b"\0")  # other bytes: that approval no longer applies
    assert cli("gate", cut, "--ledger", prod.ledger).code == 1


@pytest.mark.parametrize("kind", ["blake3", "sha256"])
def test_identity_forged_edl_token_blocks_gate_check_and_hook(
        tmp_path: Path, approved, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    prod, real = approved
    asset = content_id(real) if kind == "blake3" else _sha256_id(real)
    if kind == "sha256":
        prod.approve(asset)  # an approval from a ledger written before BLAKE3
    edl = tmp_path / "cut.edl"
    edl.write_text(EDL.format(token=carriers.token(asset, "generated")))

    gate = cli("gate", edl, "--ledger", prod.ledger)
    assert gate.code == 1
    assert f"      clearance.provisional: {OFFLINE}\n" in gate.out
    check = cli("check", edl, "--ledger", prod.ledger)
    assert check.code == 1
    assert f"  BLOCK clearance.provisional: {OFFLINE}\n" in check.out

    monkeypatch.setenv("AICLEAR_LEDGER", str(prod.ledger))
    read = otio.adapters.read_from_file(str(edl), rate=24)
    out = tmp_path / "deliver.otio"
    with pytest.raises(ExportBlocked) as caught:
        otio.adapters.write_to_file(read, str(out))
    assert f"'Midjourney_forest' 01:00:00:00-01:00:01:00: {OFFLINE}" in str(caught.value)
    assert not out.exists()


def test_identity_forged_marker_and_record_on_other_media_clear_nothing(
        tmp_path: Path, approved) -> None:
    """The token and an aiclear record naming the cleared asset, on a clip whose media is
    another (readable) AI file: the bytes decide, and they were never approved."""
    prod, real = approved
    other = video(tmp_path / "media" / "mj_other.mov", source="smptebars")
    forged = clip("Midjourney_other", other.as_uri())
    token = carriers.token(content_id(real), "generated")
    forged.markers.append(otio.schema.Marker(token, otio.opentime.TimeRange(
        otio.opentime.RationalTime(0, 24), otio.opentime.RationalTime(0, 24))))
    rec = record.new_record()
    rec.update(ai_class="generated", asset_id=content_id(real), status="cleared")
    record.write(forged, rec)
    cut = save(timeline(forged), tmp_path / "cut.otio")

    gate = cli("gate", cut, "--ledger", prod.ledger)
    assert gate.code == 1
    assert "clearance.provisional: AI clip 'Midjourney_other' is provisional: no valid " \
           "approval in the ledger (clear it with: aiclear approve " in gate.out
    check = cli("check", cut, "--ledger", prod.ledger, "--format", "json")
    assert check.code == 1
    assert content_id(other) in check.out and '"claimed_asset_id": "' + content_id(real) in check.out


def test_identity_offline_clip_with_a_marker_token_blocks_the_write_hook(
        tmp_path: Path, approved, monkeypatch: pytest.MonkeyPatch) -> None:
    prod, real = approved
    offline = clip("Midjourney_forest", "/offline/mj_forest.mov")
    offline.markers.append(otio.schema.Marker(carriers.token(content_id(real)), otio.opentime.TimeRange(
        otio.opentime.RationalTime(0, 24), otio.opentime.RationalTime(0, 24))))
    monkeypatch.setenv("AICLEAR_LEDGER", str(prod.ledger))
    out = tmp_path / "deliver.xml"
    with pytest.raises(ExportBlocked) as caught:
        otio.adapters.write_to_file(timeline(offline), str(out))
    assert OFFLINE in str(caught.value)
    assert not out.exists()


def _sha256_id(path: Path) -> str:
    from aiclear.media.hashing import legacy_id

    return legacy_id(path)
