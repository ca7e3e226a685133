"""Guiding-principle answers, the risk matrix and the roles an escalation leaves."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiclear.detect.register import load_register
from aiclear.errors import ProfileError, RegisterError
from aiclear.policy.profile import load_profile
from aiclear.policy.risk import answers, clearing_roles, escalation, tier


def test_answers_accept_yaml_booleans_and_notes() -> None:
    got = answers({"principles": {"copyright": True, "data": False, "talent": "Unsure",
                                  "temporary": {"answer": "yes", "note": "previs only"},
                                  "secure_environment": "perhaps"}})
    assert got["copyright"]["answer"] == "yes" and got["data"]["answer"] == "no"
    assert got["talent"]["answer"] == "unsure" and got["temporary"]["note"] == "previs only"
    assert got["secure_environment"]["answer"] == "unsure"  # unreadable counts as unsure


@pytest.mark.parametrize(("use", "lifecycle", "expected"), [
    ("temp_placeholder", "temp", "notify"),
    ("ideation", "temp", "notify"),
    ("background_element", "final", "written_approval"),
    ("background_element", None, "written_approval"),  # undeclared lifecycle counts as final
    ("key_creative_element", "temp", "written_approval"),
    ("digital_replica", "temp", "written_approval"),
])
def test_studio_partner_risk_matrix(use: str, lifecycle: str | None, expected: str) -> None:
    assert tier({"use": use, "lifecycle": lifecycle}, load_profile("studio-partner")) == expected


def test_baseline_has_no_matrix_but_principles_still_escalate() -> None:
    baseline = load_profile("baseline")
    assert tier({"use": "background_element", "lifecycle": "final"}, baseline) is None
    plain = {"use": "background_element", "lifecycle": "final"}
    assert not escalation(plain, baseline)["required"]
    assert clearing_roles(plain, baseline) == {"producer", "legal"}
    unsure = {**plain, "principles": {"data": "unsure"}}
    esc = escalation(unsure, baseline)
    assert esc["required"] and esc["roles"] == ["legal"]
    assert set(esc["unanswered"]) == {"copyright", "secure_environment", "temporary", "talent"}
    assert clearing_roles(unsure, baseline) == {"legal"}


def test_a_profile_names_its_approver(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("aiclear_profile: 1\nname: p\nextends: studio-partner\n"
                    "risk: {approver: [producer]}\n")
    profile = load_profile(str(path))
    voice = {"use": "voice", "lifecycle": "final"}
    # voice is legal's; an approver outside that set takes over rather than nobody clearing
    assert clearing_roles(voice, profile) == {"producer"}
    bg = {"use": "background_element", "lifecycle": "final"}
    assert clearing_roles(bg, profile) == {"producer"}


def test_bad_tier_in_a_profile_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("aiclear_profile: 1\nname: p\nrisk:\n  default: {temp: shrug}\n")
    with pytest.raises(ProfileError) as err:
        load_profile(str(path))
    assert f"{path}:4" in str(err.value) and "notify, written_approval" in str(err.value)


def test_register_principles_and_created_are_validated(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("aiclear_register: 1\nassets:\n  - match: {file: a.mov}\n"
                    "    created: 2026-03-01\n    principles: {data: unsure, talent: yes}\n")
    [entry] = load_register(good).entries
    fields = entry.record_fields()
    assert fields["created"] == "2026-03-01"
    assert answers(fields)["talent"]["answer"] == "yes"
    bad = tmp_path / "bad.yaml"
    bad.write_text("aiclear_register: 1\nassets:\n  - match: {file: a.mov}\n"
                   "    principles:\n      data: sometimes\n")
    with pytest.raises(RegisterError) as err:
        load_register(bad)
    assert f"{bad}:5" in str(err.value)


def test_the_panel_session_declares_principles_and_sees_catalogue_status(tmp_path: Path) -> None:
    """The panel's declarations: a principle answered unsure in the session escalates the
    asset to legal, and the session's segments carry the catalogue status (plain data)."""
    import shutil

    from aiclear.scan.settings import SettingsSpec
    from aiclear.session.core import Session
    from tests.conftest import SAMPLES

    src = tmp_path / "episode_102.otio"
    shutil.copy(SAMPLES / "episode_102.otio", src)
    session = Session(src, SettingsSpec(profile="baseline", registers=(str(SAMPLES / "register.yaml"),),
                                        catalogue=str(SAMPLES / "catalogue.yaml")))
    session.load()
    board = next(s for s in session.segments if s.clip == "storyboard_sd")
    assert board.record["catalogue"]["status"] == "approved"
    assert board.record["catalogue"]["tools"][0]["lifecycles"] == ["temp"]
    assert not board.record["escalation"]["required"]
    session.edit(board.segment_id, {"principles": {"talent": {"answer": "unsure", "note": "?"}}})
    edited = session.segment(board.segment_id)
    assert edited is not None and edited.record["escalation"]["required"]
    assert edited.record["escalation"]["roles"] == ["legal"]
    assert "principles.escalated" in {f.rule for f in edited.findings}
    assert "tool.use_not_approved" in {f.rule for f in edited.findings}
