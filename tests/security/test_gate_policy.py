"""Issue 13 attack 6 (weakening policy from outside) and 8b (offline clips sharing a
``ref:`` id), and issue 18 item 6 (unverifiable media fails closed where it matters)."""

from __future__ import annotations

import logging
from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.errors import ExportBlocked
from aiclear.policy.combine import combine, effective_profile
from aiclear.policy.profile import load_profile
from aiclear.scan.core import scan_timeline
from aiclear.scan.settings import ScanSettings
from aiclear.timeline import ids

from .identity_kit import FIX, cli, clip, production, save, timeline

WEAK = """aiclear_profile: 1
name: weak
extends: studio-partner
rules:
  clearance.provisional: "off"
  media.unprobed: warn
gate:
  deliverables: []
clearance:
  default: [legal, producer]
  allow_reference_approvals: true
"""
NOTICES = [
    "rules.clearance.provisional: off is weaker than the production's block",
    "rules.media.unprobed: warn is weaker than the production's block",
    "gate.deliverables: drops .edl, .xml, .fcpxml, .aaf, .otio, .otioz",
    "clearance.default: adds the role(s) producer",
    "clearance.allow_reference_approvals: approvals by reference are off in the production's profile",
]


def _ai_cut() -> otio.schema.Timeline:
    return timeline(clip("Midjourney_castle", "/offline/mj_castle.mov"))


def test_gate_weakening_profile_file_is_refused_line_by_line(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    weak = tmp_path / "weak.yaml"
    weak.write_text(WEAK)
    cut = save(_ai_cut(), tmp_path / "cut.otio")
    with caplog.at_level(logging.WARNING, logger="aiclear.policy"):
        for command in ("gate", "check"):
            run = cli(command, cut, "--profile", weak)
            assert run.code == 1, run.out
    assert [r.getMessage() for r in caplog.records] == [
        f"aiclear: profile {weak}: {notice}; ignored (a local profile may only add)"
        for notice in NOTICES]  # once per process, one line each
    gate = cli("gate", cut, "--profile", weak)
    assert "(profile weak (over studio-partner), intent final)" in gate.out
    assert f"clearance.provisional: media not available to verify: /offline/mj_castle.mov {FIX}" \
        in gate.out
    assert "media.unprobed: media of 1 clip(s) could not be read (1 missing)" in gate.out


def test_gate_pinned_base_holds_against_a_weaker_builtin() -> None:
    """With the production's profile given as the base, even a built-in name is combined
    over it: asking for baseline under a documentary production keeps documentary."""
    profile = effective_profile("baseline", base=load_profile("documentary"))
    assert profile.severity("doc.archival") == "block"
    assert profile.data["disclosure"]["on_screen"] == "all"
    where = "aiclear: profile " + load_profile("baseline").sources[0]
    assert profile.notices == (
        f"{where}: rules.declare.use_missing: warn is weaker than the production's block; "
        "ignored (a local profile may only add)",
        f"{where}: rules.tool.use_not_approved: warn is weaker than the production's block; "
        "ignored (a local profile may only add)",
        f"{where}: disclosure.on_screen: classes shows less than the production's all; "
        "ignored (a local profile may only add)")


def test_gate_local_profile_may_add_and_raise(tmp_path: Path) -> None:
    strict = tmp_path / "strict.yaml"
    strict.write_text("aiclear_profile: 1\nname: strict\nextends: baseline\n"
                      "rules: {media.unprobed: block, tool.declared: block}\n"
                      "gate: {deliverables: [.mov]}\nclearance: {default: [legal]}\n")
    profile = effective_profile(strict)
    assert profile.notices == (f"aiclear: profile {strict}: gate.deliverables: drops .edl, .xml, "
                               ".fcpxml, .aaf, .otio, .otioz; ignored (a local profile may only add)",)
    assert profile.severity("media.unprobed") == "block" and profile.severity("tool.declared") == "block"
    assert ".mov" in profile.data["gate"]["deliverables"] and ".edl" in profile.data["gate"]["deliverables"]
    assert profile.accepted_roles(None) == {"legal"}


@pytest.mark.parametrize(("target", "adapter"), [
    ("cut.otiod", None), ("cut.xges", None), ("cut.txt", "cmx_3600"), ("cut", "otio_json"),
    ("cut.otioz", None)])
def test_gate_write_hook_is_default_deny_whatever_the_suffix(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, adapter: str | None) -> None:
    weak = tmp_path / "weak.yaml"
    weak.write_text(WEAK)
    monkeypatch.setenv("AICLEAR_PROFILE", str(weak))
    out = tmp_path / "out" / target
    out.parent.mkdir()
    with pytest.raises(ExportBlocked) as caught:
        otio.adapters.write_to_file(_ai_cut(), str(out), adapter_name=adapter)
    assert str(caught.value).startswith(f"aiclear: export of {out} blocked (weak (over "
                                        "studio-partner) profile): 5 problem(s) to resolve")
    assert f"media not available to verify: /offline/mj_castle.mov {FIX}" in str(caught.value)
    assert list(out.parent.iterdir()) == []


def test_gate_clean_timeline_writes_anywhere(tmp_path: Path) -> None:
    """Default-deny is about uncleared AI: a clean cut is written to any target."""
    out = tmp_path / "clean.xges"
    otio.adapters.write_to_file(timeline(clip("SC01_TK01", "/offline/a.mov")), str(out))
    assert out.stat().st_size > 0


def test_gate_intent_off_is_logged_like_the_emergency_switch(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "cut.otio"
    with caplog.at_level(logging.WARNING, logger="aiclear.gate"):
        otio.adapters.write_to_file(_ai_cut(), str(out),
                                    hook_function_argument_map={"aiclear": {"intent": "off"}})
        monkeypatch.setenv("AICLEAR_GATE", "off")
        otio.adapters.write_to_file(_ai_cut(), str(tmp_path / "cut2.otio"))
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        f'aiclear: hook_function_argument_map {{"aiclear": {{"intent": "off"}}}}: writing {out} '
        "WITHOUT the export gate",
        f"aiclear: AICLEAR_GATE=off (emergency switch): writing {tmp_path / 'cut2.otio'} "
        "WITHOUT the export gate"]


def test_gate_display_write_is_left_alone() -> None:
    """otiocat prints through write_to_string: text for a person, not a delivery."""
    text = otio.adapters.write_to_string(_ai_cut(), "otio_json")
    assert "Midjourney_castle" in text and "aiclear" not in text


@pytest.mark.parametrize(("profile", "severity"), [
    ("baseline", "WARN "), ("studio-partner", "BLOCK"), ("documentary", "BLOCK"),
    ("eu-ai-act", "BLOCK")])
def test_gate_unprobed_media_blocks_where_it_matters(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, profile: str, severity: str) -> None:
    """A clean-named clip whose only AI signal could sit inside its offline media."""
    cut = save(timeline(clip("SC01_TK01", "/offline/a001.mov")), tmp_path / "cut.otio")
    check = cli("check", cut, "--profile", profile)
    message = ("media.unprobed: media of 1 clip(s) could not be read (1 missing); AI claims "
               "inside them cannot be seen (mount the media, or pass --media-root DIR / relink)")
    assert f"  {severity} {message}\n" in check.out
    assert check.code == (0 if profile == "baseline" else 1)
    gate = cli("gate", cut, "--profile", profile)
    assert gate.code == (0 if profile == "baseline" else 1)
    if profile != "baseline":
        assert f"      {message}\n" in gate.out
        assert "      resolve: mount the media, or pass --media-root DIR / relink the clips, " \
               "and export again\n" in gate.out
        monkeypatch.setenv("AICLEAR_PROFILE", profile)
        with pytest.raises(ExportBlocked, match="could not be read"):
            otio.adapters.write_to_file(otio.adapters.read_from_file(str(cut)),
                                        str(tmp_path / "deliver.otio"))
        assert not (tmp_path / "deliver.otio").exists()


def test_gate_no_media_counts_as_unprobed_under_a_blocking_profile(tmp_path: Path) -> None:
    cut = save(timeline(clip("SC01_TK01", "/offline/a001.mov")), tmp_path / "cut.otio")
    gate = cli("gate", cut, "--profile", "studio-partner", "--no-media")
    assert gate.code == 1
    assert "media of 1 clip(s) could not be read (1 not read: --no-media)" in gate.out


def test_gate_offline_clips_cut_alike_do_not_share_an_approval(tmp_path: Path) -> None:
    """Issue 13 8b: same target, same range, two uses: two ids. Even where a production
    allows approvals by reference, approving one does not clear the other."""
    first = clip("Midjourney_castle", "/offline/mj_castle.mov")
    second = clip("Midjourney_castle", "/offline/mj_castle.mov")
    gap = otio.schema.Gap(source_range=first.source_range)
    tl = timeline(first, gap, second)
    prod = production(tmp_path / "prod")
    allowing = tmp_path / "allowing.yaml"
    allowing.write_text("aiclear_profile: 1\nname: allowing\nextends: baseline\n"
                        "clearance: {allow_reference_approvals: true}\n")
    base = load_profile(allowing)  # as the production's own (pinned) profile would say
    from aiclear.scan.settings import LedgerOptions, ledger_factory

    def ledger_for(location: str):  # read afresh, as the hooks do
        return ledger_factory(LedgerOptions(location, fresh=True))

    settings = ScanSettings(profile=combine(base, load_profile("baseline")),
                            ledger_for=ledger_for(str(prod.ledger)))
    a, b = scan_timeline(tl, settings).segments
    assert a.asset_id != b.asset_id and ids.is_reference(a.asset_id) and ids.is_reference(b.asset_id)
    prod.approve(a.asset_id)
    settings.ledger_for = ledger_for(str(prod.ledger))
    a, b = scan_timeline(tl, settings).segments
    assert (a.status_text, b.status) == ("cleared (approved by reference)", "provisional")
    cut = save(tl, tmp_path / "cut.otio")
    report = cli("check", cut, "--ledger", prod.ledger)  # baseline: no reference approvals
    assert report.code == 1
    assert report.out.count(f"media not available to verify: /offline/mj_castle.mov {FIX}") == 2


def test_gate_checking_under_another_profile_than_the_pinned_one_blocks(tmp_path: Path) -> None:
    """The production's root pins its policy (studio-partner here): an editor who checks or
    gates the cut under a weaker built-in (baseline) gets a block, even with the clip
    approved by legal; under the pinned profile the same approval clears it."""
    from tests.security.identity_kit import content_id, video

    folder = tmp_path / "prod"
    folder.mkdir()
    for who in ("admin", "legal"):
        from aiclear.ledger import keys as ledger_keys

        ledger_keys.write_key(ledger_keys.new_key(who.title(), who), folder / f"{who}.key")
    ledger = folder / "aiclear-ledger.sqlite"
    assert cli("ledger", "init", "--ledger", ledger, "--admin-key", folder / "admin.key",
               "--profile", "documentary").code == 0
    assert cli("keys", "trust", folder / "legal.key", "--by", folder / "admin.key",
               "--ledger", ledger).code == 0
    media = video(tmp_path / "media" / "mj.mov")
    cut = save(timeline(clip("Midjourney_castle", media.as_uri())), tmp_path / "cut.otio")
    assert cli("approve", content_id(media), "--key", folder / "legal.key",
               "--ledger", ledger).code == 0
    weak = cli("gate", cut, "--ledger", ledger)  # baseline: the editor's choice
    assert weak.code == 1
    assert ("ledger.policy: this production's ledger pins the 'documentary' policy profile; "
            "this check applied 'baseline': run it with --profile documentary") in weak.out
    pinned = cli("check", cut, "--ledger", ledger, "--profile", "documentary", "--format", "json")
    assert "ledger.policy" not in pinned.out


def test_a_same_named_profile_is_not_the_pinned_policy(tmp_path: Path) -> None:
    """The root pins the policy's content, not only its name: an admin pinned a stricter
    'studio-partner' of their own; the editor's check with the built-in of that name (or a
    file combined over it) blocks, and the admin's own file passes the pin."""
    prod = production(tmp_path / "p")
    strict = tmp_path / "p" / "studio.yaml"
    strict.write_text("aiclear_profile: 1\nname: studio-partner\nextends: studio-partner\n"
                      "rules:\n  principles.unanswered: block\n")
    admin = tmp_path / "p" / "admin.key"
    assert cli("ledger", "policy", "--key", admin, "--profile", strict,
               "--ledger", prod.ledger).code == 0
    cut = save(timeline(clip("Midjourney_castle", None)), tmp_path / "cut.otio")
    builtin = cli("check", cut, "--ledger", prod.ledger, "--profile", "studio-partner")
    assert builtin.code == 1
    assert "BLOCK ledger.policy: this production's ledger pins the 'studio-partner' policy " \
           "profile as sha256" in builtin.out
    assert "re-pins it with 'aiclear ledger policy --profile studio-partner --key ADMIN.key'" \
        in builtin.out
    own = cli("check", cut, "--ledger", prod.ledger, "--profile", strict)
    assert "ledger.policy" not in own.out, own.out
    # the production pinned as shipped: the built-in and files that add to it pass the pin
    assert cli("ledger", "policy", "--key", admin, "--profile", "studio-partner",
               "--ledger", prod.ledger).code == 0
    for spec in ("studio-partner", strict):
        assert "ledger.policy" not in cli("check", cut, "--ledger", prod.ledger,
                                          "--profile", spec).out
    # an admin's profile of its own name is pinned and matched as a check applies it
    custom = tmp_path / "p" / "custom.yaml"
    custom.write_text(strict.read_text().replace("name: studio-partner", "name: night-shift"))
    assert cli("ledger", "policy", "--key", admin, "--profile", custom,
               "--ledger", prod.ledger).code == 0
    assert "ledger.policy" not in cli("check", cut, "--ledger", prod.ledger,
                                      "--profile", custom).out
    assert "ledger.policy" in cli("check", cut, "--ledger", prod.ledger,
                                  "--profile", "studio-partner").out
