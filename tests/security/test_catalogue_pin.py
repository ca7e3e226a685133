"""The approved-tools catalogue is pinned by the production root, like the policy profile.

The attacker is an editor: ``--catalogue``, ``AICLEAR_CATALOGUE``, a local profile's
``catalogue:`` and every file on their disk are theirs, and they hold a trusted editor key
(no admin key). Their catalogue "approves" the consumer tool they used; legal has approved
the clip itself, so the tool checks are the only thing between the cut and a PASS. Each
attack blocks with the exact line the user sees, in ``check``, ``gate`` and the write hook;
the controls show the same cut passing once an admin signs the catalogue in.
"""

from __future__ import annotations

import hashlib
import json
import shlex
from dataclasses import dataclass
from pathlib import Path

import opentimelineio as otio
import pytest
import yaml

from aiclear.errors import ExportBlocked
from aiclear.ledger.keys import load_key
from aiclear.ledger.statement import catalogue_statement
from tests.ledger.ledger_helpers import forge_append

from .identity_kit import cli, clip, content_id, init_ledger, save, timeline, video

STUDIO = """aiclear_catalogue: 1
production: Harbour Lights
tools:
  - id: runway-enterprise
    vendor: Runway
    product: Runway Gen-4
    deployment: enterprise
    data_terms: {trains_on_inputs: false, retains_inputs: false}
  - id: midjourney
    product: Midjourney
    deployment: consumer
    approved: false
    reason: consumer plan; uploads may be used for training
"""
#: the editor's own: their consumer Midjourney account written up as an enterprise tool
MINE = """aiclear_catalogue: 1
production: Harbour Lights
tools:
  - id: midjourney
    product: Midjourney
    deployment: enterprise
    data_terms: {trains_on_inputs: false, retains_inputs: false}
"""
REGISTER = """aiclear_register: 1
production: Harbour Lights
assets:
  - id: castle
    match: {file: mj.mov}
    tool: Midjourney
    use: background_element
    lifecycle: final
    principles: {copyright: "yes", data: "yes", secure_environment: "yes", temporary: "yes",
                 talent: "yes"}
"""
PROFILE = "studio-partner"


@dataclass(frozen=True)
class Pinned:
    ledger: Path | str
    cut: Path
    folder: Path
    studio: Path  # the catalogue the root pins (or would)
    mine: Path  # the editor's

    def args(self, *extra: object) -> list[object]:
        return [self.cut, "--ledger", self.ledger, "--profile", PROFILE,
                "--register", self.folder / "register.yaml", *extra]

    def key(self, who: str) -> Path:
        return self.folder / f"{who}.key"


def digest(path: Path) -> str:
    """The catalogue's hash computed here independently: SHA-256 of the parsed file's
    canonical JSON (sorted keys, no whitespace)."""
    data = yaml.safe_load(path.read_text())
    body = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def production(folder: Path, location: str | None, *, pin: bool = True) -> Pinned:
    """A studio-partner production; its root pins the studio's catalogue unless ``pin`` is
    False (a root made before catalogues were pinned). Legal has approved the one clip."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "studio.yaml").write_text(STUDIO)
    (folder / "mine.yaml").write_text(MINE)
    (folder / "register.yaml").write_text(REGISTER)
    ledger: Path | str = location or folder / "aiclear-ledger.sqlite"
    pinning = ("--catalogue", folder / "studio.yaml") if pin else ()
    init_ledger(folder, ledger, {"admin": "Ada Admin", "legal": "Lea Legal",
                                 "editor": "Ed Editor"},
                "--production", "Harbour Lights", "--profile", PROFILE, *pinning)
    media = video(folder / "media" / "mj.mov")
    cut = save(timeline(clip("Midjourney_castle", media.as_uri())), folder / "cut.otio")
    # from the timeline, as the check's fix hint says: bound to the record it clears
    assert cli("approve", content_id(media), "--timeline", cut, "--register",
               folder / "register.yaml", "--profile", PROFILE, "--key", folder / "legal.key",
               "--ledger", ledger).code == 0
    return Pinned(ledger, cut, folder, folder / "studio.yaml", folder / "mine.yaml")


def blocking(p: Pinned, *extra: object) -> list[str]:
    """``check --format json``'s blocking findings as ``rule: message`` lines."""
    run = cli("check", *p.args(*extra), "--format", "json")
    found = json.loads(run.out)["timelines"][0]["findings"]
    lines = [f"{f['rule']}: {f['message']}" for f in found if f["severity"] == "block"]
    assert (run.code == 1) == bool(lines), run.out
    return lines


def mismatch(given: Path, pinned: Path) -> str:
    return (f"ledger.catalogue: the approved-tools catalogue {given.name} (sha256 "
            f"{digest(given)[:16]}…) is not the one this production's ledger pins "
            f"({pinned.name}, sha256 {digest(pinned)[:16]}…): check with the pinned catalogue, "
            f"or have an admin sign this one in with 'aiclear ledger catalogue --catalogue "
            f"{shlex.quote(str(given))} --key ADMIN.key'")


@pytest.fixture
def pinned(tmp_path: Path, ledger_location: str) -> Pinned:
    return production(tmp_path / "prod", ledger_location)


def test_catalogue_an_editors_own_catalogue_blocks_check_and_gate(pinned: Pinned) -> None:
    # the honest state: the pinned catalogue refuses the consumer tool
    assert blocking(pinned, "--catalogue", pinned.studio) == [
        "tool.unapproved: unapproved tool for 'Midjourney_castle': Midjourney is listed as "
        "not approved: consumer plan; uploads may be used for training"]
    # the attack: the editor's catalogue approves it; that catalogue is all that blocks
    assert blocking(pinned, "--catalogue", pinned.mine) == [mismatch(pinned.mine, pinned.studio)]
    gate = cli("gate", *pinned.args("--catalogue", pinned.mine))
    assert gate.code == 1
    assert f"      {mismatch(pinned.mine, pinned.studio)}\n" in gate.out
    # an admin signs the new catalogue in: the same cut passes, and the old one is refused
    signed = cli("ledger", "catalogue", "--key", pinned.key("admin"), "--catalogue",
                 pinned.mine, "--ledger", pinned.ledger, "--note", "enterprise plan bought")
    assert signed.code == 0, signed.err
    assert signed.out == f"entry 5: approved-tools catalogue mine.yaml ({digest(pinned.mine)[:16]}…)\n"
    assert blocking(pinned, "--catalogue", pinned.mine) == []
    assert cli("gate", *pinned.args("--catalogue", pinned.mine)).code == 0
    assert blocking(pinned, "--catalogue", pinned.studio) == [
        "tool.unapproved: unapproved tool for 'Midjourney_castle': Midjourney is listed as "
        "not approved: consumer plan; uploads may be used for training",
        mismatch(pinned.studio, pinned.mine)]


def test_catalogue_from_the_environment_or_a_local_profile_blocks_the_write_hook(
        pinned: Pinned, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AICLEAR_PROFILE", PROFILE)
    monkeypatch.setenv("AICLEAR_REGISTER", str(pinned.folder / "register.yaml"))
    monkeypatch.setenv("AICLEAR_LEDGER", str(pinned.ledger))
    monkeypatch.setenv("AICLEAR_CATALOGUE", str(pinned.mine))
    out = tmp_path / "deliver" / "cut.otio"
    out.parent.mkdir()
    cut = otio.adapters.read_from_file(str(pinned.cut))
    with pytest.raises(ExportBlocked) as caught:
        otio.adapters.write_to_file(cut, str(out))
    assert mismatch(pinned.mine, pinned.studio).split(": ", 1)[1] in str(caught.value)
    assert not out.exists()
    monkeypatch.setenv("AICLEAR_CATALOGUE", str(pinned.studio))  # the pinned one: no pin line
    with pytest.raises(ExportBlocked) as caught:
        otio.adapters.write_to_file(cut, str(out))
    assert "ledger.catalogue" not in str(caught.value) and "tool.unapproved" in str(caught.value)
    # a profile file of the editor's naming their catalogue (catalogue: is relative to it)
    monkeypatch.delenv("AICLEAR_CATALOGUE")
    local = pinned.folder / "mine-profile.yaml"
    local.write_text(f"aiclear_profile: 1\nname: {PROFILE}\nextends: {PROFILE}\n"
                     "catalogue: mine.yaml\n")
    check = cli("check", pinned.cut, "--profile", local, "--register",
                pinned.folder / "register.yaml", "--format", "json")
    found = json.loads(check.out)["timelines"][0]["findings"]
    assert check.code == 1
    assert [f"{f['rule']}: {f['message']}" for f in found if f["severity"] == "block"] == [
        mismatch(pinned.mine, pinned.studio)]
    monkeypatch.setenv("AICLEAR_PROFILE", str(local))
    with pytest.raises(ExportBlocked, match="is not the one this production's ledger pins"):
        otio.adapters.write_to_file(cut, str(out))
    assert not out.exists()


def test_catalogue_left_out_where_the_root_pins_one_blocks(pinned: Pinned) -> None:
    """Without any catalogue the tool checks would not run at all under a profile that
    does not ask for one; the production pinned one, so the check must use it."""
    root = json.loads(cli("ledger", "root", "--ledger", pinned.ledger, "--format", "json").out)
    assert root["catalogue"] == {"name": "studio.yaml", "sha256": digest(pinned.studio)}
    lines = blocking(pinned)
    assert (f"ledger.catalogue: this production's ledger pins the approved-tools catalogue "
            f"studio.yaml (sha256 {digest(pinned.studio)[:16]}…); this check used none: pass "
            "--catalogue FILE with the pinned catalogue") in lines
    baseline = cli("check", pinned.cut, "--ledger", pinned.ledger, "--register",
                   pinned.folder / "register.yaml", "--format", "json")
    rules = {f["rule"] for f in json.loads(baseline.out)["timelines"][0]["findings"]
             if f["severity"] == "block"}
    assert baseline.code == 1 and rules == {"ledger.policy", "ledger.catalogue"}


def test_catalogue_hash_ignores_layout_and_comments(pinned: Pinned) -> None:
    """The pin is the hash of the parsed file: the studio's catalogue re-typed in flow
    style, keys reordered, with comments, is the same catalogue."""
    retyped = pinned.folder / "studio-retyped.yml"
    data = yaml.safe_load(STUDIO)
    retyped.write_text("# the studio's list, as mailed\n"
                       + yaml.safe_dump(data, default_flow_style=True, sort_keys=False)
                       .replace(", ", ",  ") + "\n# end\n")
    assert retyped.read_text() != STUDIO and digest(retyped) == digest(pinned.studio)
    assert not any(line.startswith("ledger.") for line in blocking(pinned, "--catalogue", retyped))
    changed = pinned.folder / "studio-one-change.yaml"
    changed.write_text(STUDIO.replace("approved: false", "approved: true"))
    assert mismatch(changed, pinned.studio) in blocking(pinned, "--catalogue", changed)


def test_catalogue_an_editor_key_cannot_re_pin_it(pinned: Pinned) -> None:
    run = cli("ledger", "catalogue", "--key", pinned.key("editor"), "--catalogue", pinned.mine,
              "--ledger", pinned.ledger)
    assert (run.code, run.out) == (2, "")
    assert run.err == ("aiclear: error: refused: Ed Editor (editor) is not an admin and cannot "
                       "change the catalogue\n")
    # the same entry written behind aiclear's back, signed into its place with the editor key
    editor = load_key(pinned.key("editor"))
    statement = catalogue_statement(editor, catalogue={"name": "mine.yaml",
                                                       "sha256": digest(pinned.mine)},
                                    production="Harbour Lights")
    seq = forge_append(str(pinned.ledger), statement, editor)
    lines = blocking(pinned, "--catalogue", pinned.mine)
    assert lines[0].startswith(f"ledger.unauthorised: ledger entry {seq} in ")
    assert lines[0].endswith(": Ed Editor (editor) is not an admin and cannot change the "
                             "catalogue")
    assert mismatch(pinned.mine, pinned.studio) in lines


@pytest.mark.parametrize(("profile", "severity", "code"), [
    ("studio-partner", "block", 1), ("baseline", "warn", 0)])
def test_catalogue_a_root_that_pins_none_vouches_for_nothing(
        tmp_path: Path, profile: str, severity: str, code: int) -> None:
    """A root from before catalogues were pinned: the catalogue given is used, with a
    warning; where the profile's tool checks block, an unpinned catalogue blocks too."""
    p = production(tmp_path / "prod", None, pin=False)
    if profile != PROFILE:  # the production re-pinned to a profile whose tool checks warn
        assert cli("ledger", "policy", "--key", p.key("admin"), "--profile", profile,
                   "--ledger", p.ledger).code == 0

    def check(*catalogue: object) -> tuple[int, list[dict[str, object]]]:
        run = cli("check", p.cut, "--ledger", p.ledger, "--profile", profile, "--register",
                  p.folder / "register.yaml", *catalogue, "--format", "json")
        return run.code, json.loads(run.out)["timelines"][0]["findings"]

    status, found = check("--catalogue", p.mine)
    assert status == code
    assert [f for f in found if f["rule"] == "ledger.catalogue"] == [{
        "rule": "ledger.catalogue", "severity": severity, "segment_id": None,
        "message": f"the approved-tools catalogue mine.yaml (sha256 {digest(p.mine)[:16]}…) is "
                   "not pinned by this production's ledger, so nothing vouches for it: an admin "
                   f"pins it with 'aiclear ledger catalogue --catalogue {shlex.quote(str(p.mine))}"
                   " --key ADMIN.key'"}]
    # with no catalogue given, nothing new: the profile's tool.catalogue_missing decides
    rules = {str(f["rule"]) for f in check()[1]}
    assert "ledger.catalogue" not in rules
    assert ("tool.catalogue_missing" in rules) == (profile == "studio-partner")
    assert cli("ledger", "catalogue", "--key", p.key("admin"), "--catalogue", p.mine,
               "--ledger", p.ledger).code == 0
    status, found = check("--catalogue", p.mine)
    assert status == 0 and not [f for f in found if f["rule"] == "ledger.catalogue"]
