"""Record edits are declarations signed into the ledger: never lost, applied by every scan,
and able to raise (never lower) what clearing an asset needs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from aiclear.cli import main
from aiclear.errors import SigningKeyError
from aiclear.ledger.keys import new_key, write_key
from aiclear.scan.settings import MediaOptions, SettingsSpec
from aiclear.session.core import Session
from tests.conftest import SAMPLES
from tests.plugin.helpers import copy_with_media
from tests.session.ledger_setup import make_ledger

REGISTER = str(SAMPLES / "register.yaml")


def _session(tmp_path: Path, name: str = "nested_compound.otio") -> Session:
    """A session over a copy of a sample whose clips have real media it reads (only media
    aiclear hashed can be cleared); a second call reopens the same copy."""
    src = tmp_path / name
    if not src.exists():
        copy_with_media(SAMPLES / name, src)
    media = MediaOptions(enabled=True, progress=False, jobs=0)
    session = Session(src, SettingsSpec(profile="baseline", registers=(REGISTER,), media=media))
    session.load()
    return session


def test_signed_declaration_holds_in_a_fresh_session_and_the_cli(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]
                                                                   ) -> None:
    keys = make_ledger(tmp_path)
    session = _session(tmp_path)
    target = session.segments[0]
    session.edit(target.segment_id, {"use": "background_element"})
    assert session.unsigned() == [target.asset_id]
    session.sign_edits(keys["editor"])  # an editor may declare what a clip is used for
    assert session.unsigned() == []
    session.decide(target.segment_id, "approve", keys["producer"])
    assert target.status == "cleared"  # a producer clears a background element
    # the producer-approved clip is declared a likeness: it needs legal now
    session.edit(target.segment_id, {"use": "likeness"})
    session.sign_edits(keys["editor"])
    assert target.status == "provisional"
    fresh = _session(tmp_path)  # another machine: only the file and the ledger
    again = fresh.segment(target.segment_id)
    assert again is not None
    assert again.record["use"] == "likeness"
    assert again.status == "provisional"
    assert any("declared by Ed Editor (editor)" in str(e.get("detail")) for e in again.evidence)
    assert [h.decision for h in fresh.history(target.asset_id)] == [
        "declare use=background_element", "approve", "declare use=likeness"]
    capsys.readouterr()
    code = main(["check", str(session.path), "--register", REGISTER, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    segs = {s["segment_id"]: s for t in report["timelines"] for s in t["segments"]}
    assert code == 1
    assert segs[target.segment_id]["status"] == "provisional"


def test_declaring_a_lower_use_never_lowers_the_role_needed(tmp_path: Path) -> None:
    keys = make_ledger(tmp_path)
    session = _session(tmp_path)
    target = session.segments[0]
    session.edit(target.segment_id, {"use": "likeness"})
    session.sign_edits(keys["editor"])
    # an editor now declares it a mere background element, hoping a producer clears it
    session.edit(target.segment_id, {"use": "background_element"})
    session.sign_edits(keys["editor"])
    session.decide(target.segment_id, "approve", keys["producer"])
    assert target.status == "provisional"
    assert _session(tmp_path).segment(target.segment_id).status == "provisional"  # type: ignore[union-attr]
    session.decide(target.segment_id, "approve", keys["legal"])
    assert target.status == "cleared"


def test_untrusted_or_revoked_declarations_do_not_count(tmp_path: Path) -> None:
    keys = make_ledger(tmp_path)
    session = _session(tmp_path)
    target = session.segments[0]
    stranger = tmp_path / "stranger.key"
    write_key(new_key("Sam Stranger", "legal"), stranger)
    session.edit(target.segment_id, {"use": "background_element"})
    with pytest.raises(SigningKeyError):
        session.sign_edits(stranger)
    assert session.unsigned() == [target.asset_id]  # kept, not lost
    session.sign_edits(keys["editor"])
    assert main(["keys", "revoke", str(keys["editor"]), "--by", str(keys["admin"]),
                 "--ledger", str(tmp_path / "aiclear-ledger.sqlite")]) == 0
    assert _session(tmp_path).segment(target.segment_id).record.get("use") is None  # type: ignore[union-attr]


def test_a_forged_declaration_blocks(tmp_path: Path) -> None:
    """Someone without a key edits a declaration's body in the database: tamper finding."""
    keys = make_ledger(tmp_path)
    session = _session(tmp_path)
    target = session.segments[0]
    session.edit(target.segment_id, {"use": "likeness"})
    session.sign_edits(keys["editor"])
    db = sqlite3.connect(tmp_path / "aiclear-ledger.sqlite")
    body = db.execute("SELECT body FROM aiclear_entries WHERE kind='declaration'").fetchone()[0]
    db.execute("UPDATE aiclear_entries SET body=? WHERE kind='declaration'",
               (body.replace("likeness", "background_element"),))
    db.commit()
    db.close()
    fresh = _session(tmp_path)
    assert fresh.segment(target.segment_id).record.get("use") is None  # type: ignore[union-attr]
    assert "ledger.tampered" in {f.rule for f in fresh.result.blocking}  # type: ignore[union-attr]
