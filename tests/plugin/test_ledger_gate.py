"""The gate with a real clearance ledger (runs once aiclear.ledger is merged): approvals
unblock the export, each write sees the ledger as it is now, and approvals keyed by
asset id still apply after an EDL round trip."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.cli import main
from aiclear.detect import record
from aiclear.errors import ExportBlocked
from aiclear.scan.core import scan_timeline
from aiclear.scan.settings import ScanSettings

from .helpers import ai_timeline, with_media

ledger_keys = pytest.importorskip("aiclear.ledger.keys")


def _cli(*argv: object) -> None:
    assert main([str(a) for a in argv]) == 0


def test_approvals_open_the_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for who in ("admin", "legal"):
        ledger_keys.write_key(ledger_keys.new_key(who.title(), who), tmp_path / f"{who}.key")
    ledger = tmp_path / "ledger.sqlite"
    _cli("ledger", "init", "--ledger", ledger, "--admin-key", tmp_path / "admin.key",
         "--production", "Test")
    _cli("keys", "trust", tmp_path / "legal.key", "--by", tmp_path / "admin.key", "--ledger", ledger)
    monkeypatch.setenv("AICLEAR_LEDGER", str(ledger))
    tl = with_media(ai_timeline(), tmp_path)  # approvals clear media aiclear hashed itself
    from aiclear.media import Prober

    castle, declared = scan_timeline(tl, ScanSettings(media=Prober(jobs=0))).segments
    out = tmp_path / "cut.edl"
    _cli("approve", castle.asset_id, "--key", tmp_path / "legal.key", "--ledger", ledger)
    with pytest.raises(ExportBlocked) as caught:
        otio.adapters.write_to_file(tl, str(out))
    assert [b.clip for b in caught.value.gate.blockers] == ["SC02_TK03"]  # type: ignore[attr-defined]
    _cli("approve", declared.asset_id, "--key", tmp_path / "legal.key", "--ledger", ledger)
    otio.adapters.write_to_file(tl, str(out))  # the same process sees the new approval
    back = otio.adapters.read_from_file(str(out), rate=24)
    # the read hook does not hash media, and a carrier's id identifies nothing: a display
    # status, provisional until something reads the media
    assert {c.name: (record.read(c) or {}).get("status") for c in back.find_clips()} == {
        "SC01_TK01": None, "Midjourney_castle": "provisional", "SC02_TK03": "provisional",
        "SC03_TK01": None}
    assert main(["gate", str(out)]) == 0  # the gate reads the media the EDL names


def test_gate_cli_ledger_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "cut.otio"
    tl = with_media(ai_timeline(), tmp_path)
    tl.to_json_file(str(src))
    assert main(["gate", str(src), "--ledger", str(tmp_path / "typo.sqlite")]) == 2  # fail closed
    assert "no ledger here" in capsys.readouterr().out
    for who in ("admin", "legal"):
        ledger_keys.write_key(ledger_keys.new_key(who.title(), who), tmp_path / f"{who}.key")
    ledger = tmp_path / "ledger.sqlite"
    _cli("ledger", "init", "--ledger", ledger, "--admin-key", tmp_path / "admin.key")
    _cli("keys", "trust", tmp_path / "legal.key", "--by", tmp_path / "admin.key", "--ledger", ledger)
    from aiclear.media import Prober

    for segment in scan_timeline(tl, ScanSettings(media=Prober(jobs=0))).segments:
        _cli("approve", segment.asset_id, "--key", tmp_path / "legal.key", "--ledger", ledger)
    assert main(["gate", str(src)]) == 1  # no ledger beside the timeline: nothing cleared
    assert main(["gate", str(src), "--ledger", str(ledger)]) == 0
