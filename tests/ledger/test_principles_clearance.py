"""The five guiding principles narrow who can clear: an asset whose "data" principle is
answered unsure stays provisional after a producer approves it and clears only once
legal signs (real ledger, real key files, the CLI's approve)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiclear.ledger import open_view
from aiclear.model import Segment
from aiclear.scan.core import scan_file
from aiclear.scan.settings import SettingsSpec
from tests.ledger.conftest import Keys
from tests.ledger.ledger_helpers import run
from tests.ledger.test_samples_clearance import _allowing

SAMPLES = Path(__file__).resolve().parents[2] / "sample_timelines"
REGISTER = SAMPLES / "register.yaml"
CATALOGUE = SAMPLES / "catalogue.yaml"


def segments(ledger: str, timeline: str, profile: str = "baseline") -> dict[str, Segment]:
    settings = SettingsSpec(profile=profile, registers=(str(REGISTER),),
                            catalogue=str(CATALOGUE))()
    # the samples reference no media: their ref: ids clear only where the production's
    # profile allows approvals by reference (see test_samples_clearance)
    settings.profile = _allowing(settings.profile)
    settings.ledger_for = lambda path: open_view(ledger, path)
    [result] = scan_file(SAMPLES / timeline, settings)
    return {s.clip: s for s in result.segments}


def approve(capsys: pytest.CaptureFixture[str], ledger: str, keys: Keys, who: str,
            seg: Segment, timeline: str) -> None:
    code, _, err = run(capsys, "approve", seg.segment_id, "--key", keys.path(who),
                       "--ledger", ledger, "--timeline", SAMPLES / timeline,
                       "--register", REGISTER)
    assert code == 0, err


def test_unsure_principle_clears_only_after_legal_signs(
        ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    ep = "episode_102.otio"
    prop = segments(ledger, ep)["harbour_prop_rw"]
    assert prop.record["escalation"]["required"]
    assert prop.record["escalation"]["principles"]["data"]["answer"] == "unsure"
    approve(capsys, ledger, keys, "producer", prop, ep)
    after_producer = segments(ledger, ep)["harbour_prop_rw"]
    assert after_producer.status == "provisional"  # producer may clear background elements,
    rules = {f.rule for f in after_producer.findings}  # but not an escalated one
    assert {"clearance.provisional", "principles.escalated"} <= rules
    approve(capsys, ledger, keys, "legal", prop, ep)
    cleared = segments(ledger, ep)["harbour_prop_rw"]
    assert cleared.status == "cleared" and cleared.decision is not None
    assert cleared.decision.role == "legal"
    assert not cleared.blocking and "principles.escalated" not in {f.rule for f in cleared.findings}
    # its media is offline, so its id is a reference to this one use: the same clip on the
    # other episode is another use and needs its own approval (an approval by reference
    # never covers a clip cut alike elsewhere)
    assert segments(ledger, "episode_101.otio")["harbour_prop_rw"].status == "provisional"


def test_without_escalation_the_producer_still_clears_a_background_element(
        ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    """The control: the same use with no principle answered no/unsure (baseline has no
    risk matrix), so the narrowing above is the principle's doing."""
    xml = "registered_plates.xml"
    settings = SettingsSpec(profile="baseline", registers=(str(REGISTER),))()
    settings.profile = _allowing(settings.profile)
    settings.ledger_for = lambda path: open_view(ledger, path)
    [result] = scan_file(SAMPLES / xml, settings)
    plate = next(s for s in result.segments if s.clip == "plate_0420")
    assert not plate.record["escalation"]["required"]
    approve(capsys, ledger, keys, "producer", plate, xml)
    [result] = scan_file(SAMPLES / xml, settings)
    assert next(s for s in result.segments if s.clip == "plate_0420").status == "cleared"


def test_studio_partner_final_use_needs_legal_even_with_every_principle_yes(
        ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    """The risk matrix: final material is written_approval under studio-partner."""
    ep = "episode_101.otio"
    sky = segments(ledger, ep, "studio-partner")["sky_fill_ff"]
    assert sky.record["escalation"]["tier"] == "written_approval"
    approve(capsys, ledger, keys, "producer", sky, ep)
    assert segments(ledger, ep, "studio-partner")["sky_fill_ff"].status == "provisional"
    approve(capsys, ledger, keys, "legal", sky, ep)
    assert segments(ledger, ep, "studio-partner")["sky_fill_ff"].status == "cleared"


def test_report_shows_who_signed_and_moves_the_cleared_asset_down(
        ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import json

    ep = "episode_102.otio"
    prop = segments(ledger, ep)["harbour_prop_rw"]
    approve(capsys, ledger, keys, "legal", prop, ep)
    # the samples' media is offline: the CLI (baseline) clears nothing approved by reference
    out = tmp_path / "genai-use.json"
    code, _, err = run(capsys, "report", SAMPLES / ep, "--register", REGISTER, "--catalogue",
                       CATALOGUE, "--ledger", ledger, "--no-media", "-o", out)
    assert code == 1, err
    assert {a["status"] for a in json.loads(out.read_text())["assets"]} == {"provisional"}
    # where the production's profile allows approvals by reference, the report shows them
    from aiclear.disclose.usereport import build, to_json
    from aiclear.model import Report

    settings = SettingsSpec(profile="baseline", registers=(str(REGISTER),),
                            catalogue=str(CATALOGUE))()
    settings.profile = _allowing(settings.profile)
    settings.ledger_for = lambda path: open_view(ledger, path)
    report = Report(profile="baseline", timelines=scan_file(SAMPLES / ep, settings))
    assets = json.loads(to_json(build(report, production="P", date="2026-12-02")))["assets"]
    assert [a["clips"][0] for a in assets] == ["storyboard_sd", "harbour_prop_rw"]
    cleared = assets[1]
    assert cleared["status"] == "cleared" and not cleared["open_escalation"]
    assert cleared["decision_detail"]["approver"] == "Lea Legal"
    assert cleared["decision_detail"]["role"] == "legal"
    assert cleared["decision"].startswith("cleared by Lea Legal (legal) on ")
