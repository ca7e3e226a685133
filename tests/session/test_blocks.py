"""What blocks delivery, Qt-free: plain language grouped by what fixes it."""

from __future__ import annotations

from pathlib import Path

from aiclear.model import Finding, TimelineResult
from aiclear.policy.profile import load_profile
from aiclear.review.blocks import FIXES, blocks, fix_for, grouped
from aiclear.scan.settings import MediaOptions, SettingsSpec
from aiclear.session.core import Session
from tests.conftest import SAMPLES
from tests.plugin.helpers import copy_with_media
from tests.session.ledger_setup import make_ledger

REGISTER = str(SAMPLES / "register.yaml")


def test_rules_map_to_the_fix_that_clears_them() -> None:
    assert fix_for("clearance.provisional") == "sign"
    assert fix_for("people.consent") == "consent"
    assert fix_for("doc.fact_check") == fix_for("doc.archival") == "fact_check"
    assert fix_for("media.unprobed") == "relink"
    assert fix_for("ledger.tampered") == fix_for("ledger.rollback") == "ledger"
    # a sound ledger that is not pinned here, or another policy or catalogue: not damage
    assert fix_for("ledger.unverified") == fix_for("ledger.policy") == "admin"
    assert fix_for("ledger.catalogue") == "admin"
    assert fix_for("declare.use_missing") == "declare"
    assert fix_for("scan.error") == "other"
    assert set(FIXES) == {"sign", "consent", "fact_check", "declare", "relink", "admin", "ledger",
                          "other"}


def test_documentary_cleared_clip_still_needs_a_fact_check(tmp_path: Path) -> None:
    keys = make_ledger(tmp_path)
    # real media the session reads: only media aiclear hashed can be cleared
    src = copy_with_media(SAMPLES / "documentary_archival.otio", tmp_path / "doc.otio")
    media = MediaOptions(enabled=True, progress=False, jobs=0)
    session = Session(src, SettingsSpec(profile="documentary", registers=(REGISTER,), media=media))
    session.load()
    seg = session.segments[0]
    first = [fix for fix, *_ in session.block_groups()]
    assert first[0] == "sign"
    roles, why = session.required_roles(seg)
    assert roles == ["legal"] and "documentary" in why
    session.decide(seg.segment_id, "approve", keys["legal"])
    assert session.shown_status(seg) == "cleared_blocking"
    groups = {fix: found for fix, _, _, found in session.block_groups()}
    assert "sign" not in groups and "fact_check" in groups
    text = groups["fact_check"][0].text
    assert seg.clip in text and "None" not in text


def test_timeline_level_findings_and_order() -> None:
    result = TimelineResult(path="x.otio", name="x", rate=24.0)
    result.findings = [Finding("ledger.tampered", "block", "ledger entry 3: body was rewritten"),
                       Finding("media.unprobed", "block", "media of 2 clip(s) could not be read"),
                       Finding("scan.note", "warn", "not blocking")]
    found = blocks(result, load_profile("baseline"))
    assert [b.fix for b in found] == ["relink", "ledger"]  # in the order of FIXES
    assert found[0].text.startswith("Media of 2 clip(s)") and found[0].text.endswith(".")
    assert [g[0] for g in grouped(found)] == ["relink", "ledger"]
    assert blocks(None, load_profile("baseline"))[0].rule == "scan.pending"  # fail closed
