"""Declarations cannot relax what a clip needs unless their signer may clear it.

The attacker is an editor holding a trusted editor key (and a producer colluding with
them): they sign record declarations into the ledger with ``sign_declaration``, exactly
what the panel's Edit record does with their key. Legal (or the producer, where the
producer may clear) has approved the clip; the rule a declaration would satisfy, or the
escalation it would lift, is the only thing between the cut and a PASS. The relaxing field
is ignored with the exact warning line, the clip keeps blocking, and the same declaration
signed by legal counts. Declarations that raise what a clip needs count from any key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from aiclear.ledger.signoff import sign_declaration

from .identity_kit import cli, clip, content_id, init_ledger, save, timeline, video

PEOPLE = ("people:\n      - name: Mara Quinn\n        consent: {status: %s}\n")
CATALOGUE = """aiclear_catalogue: 1
tools:
  - id: runway-enterprise
    vendor: Runway
    product: Runway Gen-4
    deployment: enterprise
    data_terms: {trains_on_inputs: false, retains_inputs: false}
"""
KEYS = {"admin": "Ada Admin", "legal": "Lea Legal", "producer": "Pat Producer",
        "editor": "Ed Editor"}


@dataclass(frozen=True)
class Case:
    profile: str
    entry: str  # the register entry's fields (YAML, indented under the entry)
    approver: str  # who approved the clip: the attack needs nothing else to pass
    declared: dict[str, object]  # what the attacker declares
    relaxes: str
    blocks: str  # the block that stays (rule: message)


CASES = {
    # the performer's consent is pending; "granted" would satisfy people.consent
    "consent": Case(
        "studio-partner", "use: likeness\n    " + PEOPLE % "required_pending", "legal",
        {"people": [{"name": "Mara Quinn", "consent": {"status": "granted"}}]}, "consent",
        "people.consent: no recorded consent from Mara Quinn"),
    # a simulated real person not fact-checked; "verified" would satisfy doc.fact_check
    "fact_check": Case(
        "documentary", "use: likeness\n    fact_check: pending\n    description: the mayor, "
        "recreated\n    prompt_ref: P-17\n    " + PEOPLE % "granted", "legal",
        {"fact_check": {"status": "verified"}}, "fact_check",
        "doc.fact_check: depicts real people, places or events and is not fact-checked "
        "(fact-check pending)"),
    # synthetic footage presented as archival; "fiction" would satisfy doc.archival
    "presented_as": Case(
        "documentary", "use: archival_reconstruction\n    presented_as: archival_or_primary_"
        "source\n    description: harbour, 1952\n    prompt_ref: P-18", "legal",
        {"presented_as": "fiction"}, "presented_as",
        "doc.archival: AI material 'plate_017' is presented as archival or primary source"),
    # an "unsure" principle escalates to legal; "yes" would let the producer's approval clear
    "principles": Case(
        "baseline", "use: background_element\n    principles: {data: unsure}", "producer",
        {"principles": {"data": "yes"}}, "principles",
        "clearance.provisional: AI clip 'plate_017' is provisional: no valid approval in the "
        "ledger"),
    # final material needs legal's written approval; temp would let the producer clear it
    "lifecycle": Case(
        "studio-partner", "use: background_element\n    lifecycle: final", "producer",
        {"lifecycle": "temp"}, "lifecycle",
        "clearance.provisional: AI clip 'plate_017' is provisional: no valid approval in the "
        "ledger"),
    # a likeness re-declared a background element, which a producer may clear
    "use": Case(
        "baseline", "use: likeness\n    " + PEOPLE % "granted", "producer",
        {"use": "background_element"}, "use",
        "clearance.provisional: AI clip 'plate_017' is provisional: no valid approval in the "
        "ledger"),
}


@dataclass(frozen=True)
class Prod:
    ledger: str
    cut: Path
    folder: Path
    asset: str
    profile: str

    def key(self, who: str) -> Path:
        return self.folder / f"{who}.key"

    def declare(self, who: str, fields: dict[str, object]) -> int:
        return sign_declaration(self.ledger, self.asset, fields, self.key(who))

    def findings(self) -> tuple[int, list[str], list[str]]:
        """(check exit, blocking lines, warning lines) as ``rule: message``."""
        run = cli("check", self.cut, "--ledger", self.ledger, "--profile", self.profile,
                  "--register", self.folder / "register.yaml", "--catalogue",
                  self.folder / "catalogue.yaml", "--format", "json")
        found = json.loads(run.out)["timelines"][0]["findings"]
        lines = {s: [f"{f['rule']}: {f['message']}" for f in found if f["severity"] == s]
                 for s in ("block", "warn")}
        return run.code, lines["block"], lines["warn"]


def production(folder: Path, location: str, profile: str, entry: str, approver: str) -> Prod:
    """One AI clip (register-declared, real media) under ``profile``, approved by
    ``approver``; the root pins the profile and the catalogue."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "catalogue.yaml").write_text(CATALOGUE)
    (folder / "register.yaml").write_text(
        "aiclear_register: 1\nassets:\n  - id: plate\n    match: {file: plate.mov}\n"
        f"    tool: Runway Gen-4\n    {entry}\n")
    init_ledger(folder, location, KEYS, "--profile", profile,
                "--catalogue", folder / "catalogue.yaml")
    media = video(folder / "media" / "plate.mov")
    cut = save(timeline(clip("plate_017", media.as_uri())), folder / "cut.otio")
    asset = content_id(media)
    # from the timeline, as the check's fix hint says: bound to the record it clears
    assert cli("approve", asset, "--timeline", cut, "--register", folder / "register.yaml",
               "--profile", profile, "--key", folder / f"{approver}.key", "--ledger",
               location).code == 0
    return Prod(location, cut, folder, asset, profile)


def warning(who: str, relaxes: str) -> str:
    name = KEYS[who]
    return (f"declare.relaxing: declaration by {name} ({who}) would relax {relaxes}; it needs "
            "a role that clears this use: legal")


@pytest.mark.parametrize("name", list(CASES))
def test_declaration_by_an_editor_cannot_relax_a_clip(name: str, tmp_path: Path,
                                                      ledger_location: str) -> None:
    case = CASES[name]
    p = production(tmp_path / "prod", ledger_location, case.profile, case.entry, case.approver)
    code, blocks, warns = p.findings()
    assert code == 1 and [b for b in blocks if b.startswith(case.blocks)] != []
    before = [b.split(" (clear it with")[0] for b in blocks]
    p.declare("editor", case.declared)
    code, blocks, warns = p.findings()
    assert code == 1  # the attack would have passed here
    assert [b.split(" (clear it with")[0] for b in blocks] == before
    assert warns.count(warning("editor", case.relaxes)) == 1
    # a producer who may not clear this asset as it stands is refused the same way (one
    # warning line per clip, naming each declaration it ignored)
    p.declare("producer", case.declared)
    both = warning("editor", case.relaxes) + "; " + warning("producer", case.relaxes).split(
        ": ", 1)[1]
    assert [w for w in p.findings()[2] if w.startswith("declare.relaxing")] == [both]
    # the same declaration signed by legal counts: the block it answered is gone (a use
    # re-declared by legal still leaves every use the record carried needing its role)
    p.declare("legal", case.declared)
    code, blocks, warns = p.findings()
    assert warning("legal", case.relaxes) not in warns
    assert bool([b for b in blocks if b.startswith(case.blocks)]) == (name == "use"), blocks


def test_declaration_that_raises_counts_from_any_key(tmp_path: Path,
                                                     ledger_location: str) -> None:
    """An editor may always make a clip need more: consent revoked, a person added, a
    likeness use, a principle answered no."""
    p = production(tmp_path / "prod", ledger_location, "studio-partner",
                   "use: likeness\n    " + PEOPLE % "granted", "legal")
    assert p.findings()[:2] == (0, [])
    p.declare("editor", {"people": [{"name": "Mara Quinn", "consent": {"status": "revoked"}},
                                    {"name": "Ivo Strand"}]})
    code, blocks, warns = p.findings()
    assert code == 1 and not [w for w in warns if w.startswith("declare.relaxing")]
    assert "people.consent: no recorded consent from Mara Quinn, Ivo Strand" in blocks
    # an admin may relax anything (the root's admins answer for the production)
    p.declare("admin", {"people": [{"name": "Mara Quinn", "consent": {"status": "granted"}}]})
    assert p.findings()[:2] == (0, [])


def test_declaration_mixing_raise_and_relax_keeps_the_raise(tmp_path: Path,
                                                            ledger_location: str) -> None:
    """Only the relaxing field is ignored: the use the editor raised still counts."""
    p = production(tmp_path / "prod", ledger_location, "baseline",
                   "use: background_element\n    " + PEOPLE % "required_pending", "producer")
    p.declare("editor", {"use": "likeness",
                         "people": [{"name": "Mara Quinn", "consent": {"status": "granted"}}]})
    code, blocks, warns = p.findings()
    assert code == 1
    assert warning("editor", "consent").replace(": legal", ": legal or producer") in warns
    assert any(b.startswith("clearance.provisional: AI clip 'plate_017' is provisional")
               for b in blocks)  # a likeness now: the producer's approval no longer clears


def test_every_declarable_field_is_screened() -> None:
    """A declarable field needs a relax check, else an editor's declaration of it could
    count unscreened; a field without one is ignored from a non-clearing signer."""
    from aiclear.detect.record import DECLARABLE
    from aiclear.policy import relax
    from aiclear.policy.profile import load_profile

    assert set(relax._RELAXES) == set(DECLARABLE)
    profile = load_profile("studio-partner")
    screened = relax.screen({"use": "likeness"}, {"made_up": 1}, "editor", profile)
    assert screened.counted == {} and screened.ignored == {"made_up": "made_up"}
    assert relax.screen({"use": "likeness"}, {"made_up": 1}, "admin", profile).counted == \
        {"made_up": 1}
