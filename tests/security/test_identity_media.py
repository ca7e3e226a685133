"""Issue 13 attack 5: identity that is not the media. The editor swaps the bytes of an
approved file for other bytes of the same size and sets its mtime back, poisons their own
media cache, or regenerates frames 2..N of an approved image sequence."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.errors import ExportBlocked
from aiclear.media.cache import default_path
from tests.media.media_gen import ffmpeg

from .identity_kit import FIX, RT, TR, cli, clip, content_id, production, save, timeline, video

PROVISIONAL = re.compile(r"AI clip 'Midjourney_\w+' is provisional: no valid approval in the "
                         r"ledger \(clear it with: aiclear approve [0-9a-f]{12}-V1-0 .*--key KEYFILE\)")


def test_identity_same_size_swap_with_mtime_reset_is_rehashed(tmp_path: Path,
                                                              ledger_location: str) -> None:
    prod = production(tmp_path / "prod", ledger_location)
    shot = video(tmp_path / "media" / "mj_shot.mov")
    prod.approve(content_id(shot))
    cut = save(timeline(clip("Midjourney_shot", shot.as_uri())), tmp_path / "cut.otio")
    assert cli("check", cut, "--ledger", prod.ledger).code == 0  # cleared; now in the cache

    before = os.stat(shot)
    data = bytearray(shot.read_bytes())
    data[len(data) // 2] ^= 0xFF  # other bytes, same size
    shot.write_bytes(bytes(data))
    os.utime(shot, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old mtime
    after = os.stat(shot)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)

    check = cli("check", cut, "--ledger", prod.ledger)
    assert check.code == 1 and PROVISIONAL.search(check.out), check.out
    gate = cli("gate", cut, "--ledger", prod.ledger)
    assert gate.code == 1 and PROVISIONAL.search(gate.out), gate.out


@pytest.mark.parametrize("field", ["asset_id", "legacy_id"])
def test_identity_poisoned_cache_row_clears_nothing(tmp_path: Path, ledger_location: str,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    field: str) -> None:
    """The cache is the user's own file: a row claiming the approved id (the blake3 one,
    or the sha256 one an old ledger approved) for other bytes, under the same stamp, must
    not clear them in check, gate or the write hook."""
    from aiclear.media.hashing import legacy_id

    prod = production(tmp_path / "prod", ledger_location)
    approved = video(tmp_path / "media" / "mj_approved.mov")
    other = video(tmp_path / "media" / "mj_other.mov", source="smptebars")
    claimed = content_id(approved) if field == "asset_id" else legacy_id(approved)
    prod.approve(claimed)
    cut = save(timeline(clip("Midjourney_other", other.as_uri())), tmp_path / "cut.otio")
    assert cli("check", cut, "--ledger", prod.ledger).code == 1  # probed, row written

    with sqlite3.connect(default_path()) as db:
        rows = db.execute("SELECT rowid, result FROM evidence WHERE path = ?",
                          [str(other)]).fetchall()
        assert rows
        for rowid, result in rows:
            forged = json.loads(result)
            forged[field] = claimed
            db.execute("UPDATE evidence SET result = ? WHERE rowid = ?",
                       [json.dumps(forged), rowid])

    check = cli("check", cut, "--ledger", prod.ledger)
    assert check.code == 1 and PROVISIONAL.search(check.out), check.out
    gate = cli("gate", cut, "--ledger", prod.ledger)
    assert gate.code == 1 and PROVISIONAL.search(gate.out), gate.out
    monkeypatch.setenv("AICLEAR_LEDGER", str(prod.ledger))
    out = tmp_path / "deliver.otio"
    with pytest.raises(ExportBlocked, match="Midjourney_other"):
        otio.adapters.write_to_file(otio.adapters.read_from_file(str(cut)), str(out))
    assert not out.exists()


def _frames(folder: Path, count: int, source: str = "testsrc", start: int = 1) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ffmpeg("-f", "lavfi", "-i", f"{source}=size=64x48:rate=24", "-frames:v", str(count),
           "-start_number", str(start), str(folder / "shot.%04d.png"))


def _sequence_cut(folder: Path, tmp_path: Path) -> Path:
    ref = otio.schema.ImageSequenceReference(
        target_url_base=folder.as_uri() + "/", name_prefix="shot.", name_suffix=".png",
        start_frame=1, frame_zero_padding=4, rate=24,
        available_range=TR(RT(0, 24), RT(4, 24)))
    seq = otio.schema.Clip("Midjourney_sequence", media_reference=ref,
                           source_range=TR(RT(0, 24), RT(4, 24)))
    return save(timeline(seq), tmp_path / "cut.otio")


def _asset(cut: Path, ledger: Path | str) -> str:
    report = json.loads(cli("check", cut, "--ledger", ledger, "--format", "json").out)
    (segment,) = report["timelines"][0]["segments"]
    return str(segment["asset_id"])


def test_identity_image_sequence_covers_every_frame(tmp_path: Path, ledger_location: str) -> None:
    prod = production(tmp_path / "prod", ledger_location)
    frames = tmp_path / "media" / "seq"
    _frames(frames, 4)
    cut = _sequence_cut(frames, tmp_path)
    asset = _asset(cut, prod.ledger)
    from aiclear.media.hashing import asset_id, sequence_id

    assert asset == sequence_id(asset_id(p) for p in sorted(frames.glob("shot.*.png")))
    prod.approve(asset)
    assert cli("gate", cut, "--ledger", prod.ledger).code == 0

    _frames(frames, 3, source="smptebars", start=2)  # regenerate frames 2..4 after approval
    gate = cli("gate", cut, "--ledger", prod.ledger)
    assert gate.code == 1 and PROVISIONAL.search(gate.out), gate.out
    assert _asset(cut, prod.ledger) != asset

    (frames / "shot.0003.png").unlink()  # a missing frame: no identity at all
    gate = cli("gate", cut, "--ledger", prod.ledger)
    assert gate.code == 1
    assert f"media not available to verify: {frames.as_uri()}/shot.0003.png {FIX}" in gate.out
