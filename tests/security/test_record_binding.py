"""An approval clears the record it was signed for, not whatever the record says later.

The attacker is an editor: they write the production register, the timeline (and the
usage record aiclear keeps on each clip), their own local profile, and hold an editor key.
Legal approved a clip from the timeline (``aiclear approve SEGMENT --timeline``), which
binds the approval to the clip's clearance claims (aiclear.policy.claims), while a rule
still blocked it (consent pending, a temp lifecycle, no use, presented as archival, not
fact-checked). The editor then edits the claim that rule reads: without the binding the
clip would PASS on legal's signature although nobody entitled attested the new value.
Here it stays provisional with one line naming the approver, what changed and the command
that clears it again; that command, run by legal, clears it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import pytest

from aiclear import NAMESPACE
from aiclear.errors import SigningKeyError

from .identity_kit import cli, clip, content_id, init_ledger, save, timeline, video
from .test_declaration_relax import CATALOGUE, KEYS, PEOPLE

REGISTER = ("aiclear_register: 1\nassets:\n  - id: plate\n    match: {file: plate.mov}\n"
            "    tool: Runway Gen-4\n    %s\n")


@dataclass(frozen=True)
class Case:
    profile: str
    before: str  # the register entry legal approved (YAML under the entry)
    after: str  # what the editor writes over it
    blocked_by: str  # the rule that blocked when legal approved (and the edit satisfies)
    change: str  # what the finding names as changed


CASES = {
    "consent": Case(
        "studio-partner", "use: likeness\n    " + PEOPLE % "required_pending",
        "use: likeness\n    " + PEOPLE % "granted", "people.consent",
        "people[Mara Quinn].consent.status: required_pending -> granted"),
    "lifecycle": Case(
        "studio-partner", "use: background_element\n    lifecycle: temp",
        "use: background_element\n    lifecycle: final", "lifecycle.temp",
        "lifecycle: temp -> final"),
    "use": Case(
        "studio-partner", "lifecycle: final", "lifecycle: final\n    use: background_element",
        "declare.use_missing", "use: (none) -> background_element"),
    "presented_as": Case(
        "documentary", "use: archival_reconstruction\n    presented_as: archival_or_primary_"
        "source\n    description: harbour, 1952\n    prompt_ref: P-18",
        "use: archival_reconstruction\n    presented_as: fiction\n    description: harbour, "
        "1952\n    prompt_ref: P-18", "doc.archival",
        "presented_as: archival_or_primary_source -> fiction"),
    "fact_check": Case(
        "documentary", "use: likeness\n    fact_check: pending\n    description: the mayor, "
        "recreated\n    prompt_ref: P-17\n    " + PEOPLE % "granted",
        "use: likeness\n    fact_check: verified\n    description: the mayor, "
        "recreated\n    prompt_ref: P-17\n    " + PEOPLE % "granted", "doc.fact_check",
        "fact_check.status: pending -> verified"),
}


@dataclass(frozen=True)
class Prod:
    ledger: str
    folder: Path
    cut: Path
    media: Path
    profile: str

    @property
    def register(self) -> Path:
        return self.folder / "register.yaml"

    def key(self, who: str) -> Path:
        return self.folder / f"{who}.key"

    def hint(self) -> str:
        """What the check's fix hint repeats after ``--timeline``."""
        return f"--timeline {self.cut} --register {self.register} --profile {self.profile}"

    def approve(self, ident: str, *scan: object, who: str = "legal") -> int:
        """Sign an approval; the entry's number."""
        run = cli("approve", ident, *scan, "--key", self.key(who), "--ledger", self.ledger)
        assert run.code == 0, run.err
        return int(run.out.split(":", 1)[0].removeprefix("entry "))

    def bound_approval(self, ident: str, who: str = "legal") -> int:
        return self.approve(ident, "--timeline", self.cut, "--register", self.register,
                            "--profile", self.profile, who=who)

    def check(self, profile: object | None = None) -> tuple[int, list[str], str, str]:
        """(exit, blocking ``rule: message`` lines, the segment id, stderr)."""
        run = cli("check", self.cut, "--ledger", self.ledger, "--profile",
                  profile or self.profile, "--register", self.register, "--catalogue",
                  self.folder / "catalogue.yaml", "--format", "json")
        result = json.loads(run.out)["timelines"][0]
        lines = [f"{f['rule']}: {f['message']}" for f in result["findings"]
                 if f["severity"] == "block"]
        return run.code, lines, result["segments"][0]["segment_id"], run.err


def production(folder: Path, location: str, profile: str, entry: str,
               record: dict[str, object] | None = None) -> Prod:
    """One AI clip on real media; the root pins ``profile`` and the studio's catalogue."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "catalogue.yaml").write_text(CATALOGUE)
    (folder / "register.yaml").write_text(REGISTER % entry)
    init_ledger(folder, location, KEYS, "--profile", profile,
                "--catalogue", folder / "catalogue.yaml")
    media = video(folder / "media" / "plate.mov")
    shot = clip("plate_017", media.as_uri())
    if record is not None:
        shot.metadata[NAMESPACE] = record
    cut = save(timeline(shot), folder / "cut.otio")
    return Prod(location, folder, cut, media, profile)


def changed(p: Prod, segment: str, entry: int, change: str, who: str = "Lea Legal (legal)"
            ) -> str:
    return (f"clearance.record_changed: AI clip 'plate_017' is provisional: its record changed "
            f"after {who} approved it at entry {entry}: {change} (clear it with: aiclear "
            f"approve {segment} {p.hint()} --key KEYFILE)")


@pytest.mark.parametrize("name", list(CASES))
def test_register_edited_after_approval_blocks(name: str, tmp_path: Path,
                                               ledger_location: str) -> None:
    case = CASES[name]
    p = production(tmp_path / "prod", ledger_location, case.profile, case.before)
    segment = p.check()[2]
    entry = p.bound_approval(segment)
    code, blocks, _, _ = p.check()
    assert code == 1 and [b for b in blocks if b.startswith(case.blocked_by + ":")]
    assert not [b for b in blocks if b.startswith("clearance.")]  # legal's approval counts
    # the attack: the editor types the value the blocking rule wants into the register
    p.register.write_text(REGISTER % case.after)
    code, blocks, _, _ = p.check()
    assert code == 1  # without the binding this was a PASS
    assert changed(p, segment, entry, case.change) in blocks
    assert not [b for b in blocks if b.startswith(("clearance.provisional", case.blocked_by))]
    # the fix the line gives, run by legal, clears the record as it now stands
    p.bound_approval(segment)
    assert p.check()[:2] == (0, [])


def test_the_clips_own_record_edited_in_the_otio_after_approval_blocks(
        tmp_path: Path, ledger_location: str) -> None:
    """No register: the claims come from the usage record aiclear keeps on the clip, which
    the editor rewrites in the .otio file."""
    record: dict[str, object] = {
        "schema": 1, "ai_class": "generated", "tool": {"vendor": "Runway",
                                                       "product": "Runway Gen-4"},
        "use": "likeness", "lifecycle": "final", "status": "provisional",
        "people": [{"name": "Mara Quinn", "consent": {"status": "required_pending"}}]}
    p = production(tmp_path / "prod", ledger_location, "studio-partner", "use: likeness",
                   record)
    p.register.write_text("aiclear_register: 1\nassets: []\n")
    segment = p.check()[2]
    entry = p.bound_approval(segment)
    code, blocks, _, _ = p.check()
    assert code == 1 and "people.consent: no recorded consent from Mara Quinn" in blocks
    # the attack: consent granted (and the status cache "cleared") typed into the clip
    import opentimelineio as otio

    tl = otio.adapters.read_from_file(str(p.cut))
    shot = next(iter(tl.find_clips()))
    edited = dict(record, status="cleared",
                  people=[{"name": "Mara Quinn", "consent": {"status": "granted",
                                                             "ref": "CR-1"}}])
    shot.metadata[NAMESPACE] = edited
    save(tl, p.cut)
    code, blocks, _, _ = p.check()
    assert code == 1
    assert changed(p, segment, entry, "people[Mara Quinn].consent.status: required_pending "
                   "-> granted, people[Mara Quinn].consent.ref: (none) -> CR-1") in blocks
    assert "people.consent: no recorded consent from Mara Quinn" not in blocks


def test_an_unbound_approval_clears_nothing_under_studio_partner(
        tmp_path: Path, ledger_location: str) -> None:
    """An approval by bare asset id names no record; studio-partner (and documentary)
    require approvals bound to their record."""
    p = production(tmp_path / "prod", ledger_location, "studio-partner",
                   "use: background_element\n    lifecycle: final")
    entry = p.approve(content_id(p.media))
    code, blocks, segment, _ = p.check()
    assert (code, blocks) == (1, [
        f"clearance.unbound: AI clip 'plate_017' is provisional: the approval by Lea Legal "
        f"(legal) at entry {entry} is not bound to the record it clears, and the "
        f"studio-partner profile requires bound approvals (clear it with: aiclear approve "
        f"{segment} {p.hint()} --key KEYFILE)",
        "principles.escalated: 'plate_017' needs written approval from legal: "
        "background_element / final needs written approval"])
    p.bound_approval(segment)
    assert p.check()[:2] == (0, [])


def test_a_local_profile_cannot_drop_require_bound_approvals(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    p = production(tmp_path / "prod", str(tmp_path / "l.sqlite"), "studio-partner",
                   "use: background_element\n    lifecycle: final")
    p.approve(content_id(p.media))
    local = tmp_path / "mine.yaml"
    local.write_text("aiclear_profile: 1\nname: mine\nextends: studio-partner\nclearance:\n"
                     "  require_bound_approvals: false\n")
    with caplog.at_level(logging.WARNING, logger="aiclear.policy"):
        code, blocks, _, _ = p.check(local)
    assert code == 1 and [b for b in blocks if b.startswith("clearance.unbound: ")]
    assert [r.getMessage() for r in caplog.records] == [
        f"aiclear: profile {local}: clearance.require_bound_approvals: the production's "
        "profile counts only approvals bound to their record; ignored (a local profile may "
        "only add)"]


def test_a_local_profile_may_require_bound_approvals(tmp_path: Path) -> None:
    """Over baseline (which counts unbound approvals) a local file can add the requirement."""
    p = production(tmp_path / "prod", str(tmp_path / "l.sqlite"), "baseline",
                   "use: background_element\n    lifecycle: final")
    p.approve(content_id(p.media))
    assert p.check()[:2] == (0, [])
    local = tmp_path / "mine.yaml"
    local.write_text("aiclear_profile: 1\nname: mine\nextends: baseline\nclearance:\n"
                     "  require_bound_approvals: true\n")
    code, blocks, _, _ = p.check(local)
    assert code == 1 and [b.split(" at entry")[0] for b in blocks] == [
        "clearance.unbound: AI clip 'plate_017' is provisional: the approval by Lea Legal "
        "(legal)"]


def test_an_unchanged_record_is_cleared_also_after_a_tagged_round_trip(
        tmp_path: Path, ledger_location: str) -> None:
    p = production(tmp_path / "prod", ledger_location, "studio-partner",
                   "use: likeness\n    lifecycle: final\n    " + PEOPLE % "granted")
    segment = p.check()[2]
    p.bound_approval(segment)
    assert p.check()[:2] == (0, [])
    # aiclear tag writes the record onto the clip; the claims read back are the same
    tagged = p.folder / "tagged.otio"
    run = cli("tag", p.cut, "-o", tagged, "--register", p.register, "--profile", p.profile)
    assert run.code == 0, run.err
    run = cli("check", tagged, "--ledger", p.ledger, "--profile", p.profile, "--register",
              p.register, "--catalogue", p.folder / "catalogue.yaml", "--format", "json")
    assert run.code == 0, run.out
    assert json.loads(run.out)["timelines"][0]["segments"][0]["status"] == "cleared"


def test_a_forged_binding_that_does_not_hash_is_malformed(tmp_path: Path) -> None:
    """``record.fields`` must hash to ``record.sha256``: an approval cannot carry one record's
    hash and show another's fields."""
    from aiclear.ledger.keys import load_key
    from aiclear.ledger.statement import decision_statement
    from aiclear.ledger.store import open_store
    from aiclear.policy.claims import binding_of

    p = production(tmp_path / "prod", str(tmp_path / "l.sqlite"), "baseline",
                   "use: background_element")
    legal = load_key(p.key("legal"))
    forged = binding_of({"use": "background_element"})
    forged["fields"] = {"use": "likeness"}
    statement = decision_statement(legal, asset_id=content_id(p.media), decision="approve",
                                   production="", role="legal", approver="Lea Legal",
                                   record=forged)
    with open_store(p.ledger) as store, pytest.raises(
            SigningKeyError, match=r"^refused: record must be \{sha256, fields\} whose fields "
            "hash to sha256$"):
        store.append(statement, legal)


def test_an_asset_whose_segments_claim_different_things_is_approved_by_segment(
        tmp_path: Path) -> None:
    """One approval binds one record: where the same media sits twice with different
    claims, an approval by asset id would bind one of them at random, so it is refused."""
    p = production(tmp_path / "prod", str(tmp_path / "l.sqlite"), "baseline",
                   "use: background_element")
    media_uri = p.media.as_uri()
    second = clip("plate_018", media_uri)
    second.metadata[NAMESPACE] = {"schema": 1, "ai_class": "generated",
                                  "presented_as": "fiction"}
    tl = timeline(clip("plate_017", media_uri), second)
    save(tl, p.cut)
    run = cli("check", p.cut, "--ledger", p.ledger, "--register", p.register, "--format", "json")
    segments = [s["segment_id"] for s in json.loads(run.out)["timelines"][0]["segments"]]
    asset = content_id(p.media)
    refused = cli("approve", asset, "--timeline", p.cut, "--register", p.register, "--key",
                  p.key("legal"), "--ledger", p.ledger)
    assert (refused.code, refused.out) == (2, "")
    assert refused.err == (f"aiclear: error: {asset} is used by 2 segments of {p.cut} whose "
                           f"records differ ({', '.join(segments)}): approve one segment id "
                           "at a time\n")
    p.approve(segments[1], "--timeline", p.cut, "--register", p.register)
    found = json.loads(cli("check", p.cut, "--ledger", p.ledger, "--register", p.register,
                           "--format", "json").out)["timelines"][0]["segments"]
    assert [s["status"] for s in found] == ["provisional", "cleared"]


def test_approving_from_a_timeline_the_asset_is_not_on_says_it_binds_nothing(
        tmp_path: Path) -> None:
    p = production(tmp_path / "prod", str(tmp_path / "l.sqlite"), "baseline",
                   "use: background_element")
    other = save(timeline(), p.folder / "other.otio")
    asset = content_id(p.media)
    run = cli("approve", asset, "--timeline", other, "--key", p.key("legal"), "--ledger",
              p.ledger)
    assert run.code == 0
    assert run.err == (f"aiclear: {asset} is not on {other}: the approval is bound to no record "
                       "(profiles that require bound approvals do not count it)\n")
