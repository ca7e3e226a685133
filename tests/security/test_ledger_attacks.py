"""Issue 13's ledger attacks, made the way an editor without legal, producer or admin keys
would make them: their own keys and ledger, environment variables, per-user config, raw
SQL on the SQLite file or the PostgreSQL tables. Each one is refused or detected with the
exact line the user sees, and ``aiclear check`` and ``aiclear gate`` exit 1, never 0.

Every test first shows the honest state the attack starts from (so a pass in the control
proves the attack is what the verdict turned on)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.ledger.keys import SigningKey, new_key, write_key
from aiclear.ledger.statement import decision_statement
from tests.ledger.ledger_helpers import forge_append, run
from tests.media.media_gen import make_wav
from tests.security import attacker

RATE = 24


@dataclass
class Production:
    ledger: str
    timeline: Path
    asset: str
    root: str
    keys: dict[str, Path]
    signing: dict[str, SigningKey]
    folder: Path


def _init(capsys: pytest.CaptureFixture[str], ledger: str, admin: Path, production: str
          ) -> str:
    code, out, err = run(capsys, "ledger", "init", "--ledger", ledger, "--admin-key", admin,
                         "--production", production)
    assert code == 0, err
    return out.split("root fingerprint: ")[1].split()[0]


def _keys(folder: Path, people: dict[str, tuple[str, str]]
          ) -> tuple[dict[str, Path], dict[str, SigningKey]]:
    folder.mkdir(parents=True, exist_ok=True)
    paths, made = {}, {}
    for who, (name, role) in people.items():
        made[who] = new_key(name, role)
        paths[who] = folder / f"{who}.key"
        write_key(made[who], paths[who])
    return paths, made


def _timeline(folder: Path) -> Path:
    """One AI clip (by its name) whose media aiclear can read and hash."""
    media = make_wav(folder / "vo_line12.wav")
    ref = otio.schema.ExternalReference(target_url=media.as_uri())
    clip = otio.schema.Clip("ElevenLabs_VO_line12_take3", media_reference=ref,
                            source_range=otio.opentime.TimeRange(
                                otio.opentime.RationalTime(0, RATE),
                                otio.opentime.RationalTime(6, RATE)))
    track = otio.schema.Track("A1", kind=otio.schema.TrackKind.Audio)
    track.append(clip)
    timeline = otio.schema.Timeline("reel 1")
    timeline.tracks.append(track)
    path = folder / "cut.otio"
    path.write_text(timeline.to_json_string())  # not through the (gated) adapters
    return path


@pytest.fixture
def prod(ledger_location: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
         ) -> Production:
    """'Night Shift': its admin, a legal clearer, a producer and an editor (the attacker)."""
    paths, made = _keys(tmp_path / "keys", {
        "admin": ("Ada Admin", "admin"), "legal": ("Lea Legal", "legal"),
        "producer": ("Pat Producer", "producer"), "editor": ("Ed Editor", "editor")})
    root = _init(capsys, ledger_location, paths["admin"], "Night Shift")
    for who in ("legal", "producer", "editor"):
        code, _, err = run(capsys, "keys", "trust", paths[who], "--by", paths["admin"],
                           "--ledger", ledger_location)
        assert code == 0, err
    timeline = _timeline(tmp_path)
    code, out, _ = run(capsys, "check", timeline, "--ledger", ledger_location,
                       "--format", "json")
    assert code == 1
    asset = json.loads(out)["timelines"][0]["segments"][0]["asset_id"]
    assert asset.startswith("blake3:")
    return Production(ledger_location, timeline, asset, root, paths, made, tmp_path)


def decide(capsys: pytest.CaptureFixture[str], p: Production, verb: str, who: str,
           ledger: str | None = None) -> None:
    code, _, err = run(capsys, verb, p.asset, "--key", p.keys[who], "--ledger",
                       ledger or p.ledger)
    assert code == 0, err


def verdicts(capsys: pytest.CaptureFixture[str], p: Production, *extra: str,
             ledger: str | None = None) -> tuple[int, int, list[str]]:
    """(check exit, gate exit, the check's block lines about the ledger)."""
    args = ["--ledger", ledger or p.ledger, *extra]
    check, out, _ = run(capsys, "check", p.timeline, *args, "--format", "json")
    found = json.loads(out)["timelines"][0]["findings"]
    gate, _, _ = run(capsys, "gate", p.timeline, *args)
    lines = [f"{f['rule']}: {f['message']}" for f in found if f["rule"].startswith("ledger.")]
    return check, gate, lines


def system_pins(monkeypatch: pytest.MonkeyPatch, folder: Path, *fingerprints: str) -> Path:
    """The administrator's pin file (in the real world /etc/aiclear, which the editor
    cannot write; here the module constant is pointed at a test folder)."""
    path = folder / "etc-aiclear" / "trusted-roots"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{fp}  # Night Shift\n" for fp in fingerprints))
    monkeypatch.setattr("aiclear.ledger.pins.SYSTEM_PINS", path)
    return path


# -- attack 2: a ledger of the editor's own, with their own "admin" and "legal" ---------
def _self_made(capsys: pytest.CaptureFixture[str], p: Production, ledger: str) -> str:
    paths, _ = _keys(p.folder / "mine", {"admin": ("Ed as Admin", "admin"),
                                         "legal": ("Ed as Legal", "legal")})
    fake_root = _init(capsys, ledger, paths["admin"], "Night Shift")
    code, _, err = run(capsys, "keys", "trust", paths["legal"], "--by", paths["admin"],
                       "--ledger", ledger)
    assert code == 0, err
    code, _, err = run(capsys, "approve", p.asset, "--key", paths["legal"], "--ledger", ledger)
    assert code == 0, err
    return fake_root


def test_self_made_ledger_clears_nothing_where_the_production_is_pinned(
        prod: Production, ledger_location: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    fake = str(prod.folder / "my-ledger.sqlite")
    fake_root = _self_made(capsys, prod, fake)  # `ledger init` pinned it for the editor
    assert fake_root != prod.root
    # the editor's own machine trusts what the editor pinned: the attack needs another pin
    assert verdicts(capsys, prod, ledger=fake)[:2] == (0, 0)
    # the conform room verifies against the production's root, for one run
    check, gate, lines = verdicts(capsys, prod, "--trust-root", prod.root, ledger=fake)
    assert (check, gate) == (1, 1)
    assert lines == [f"ledger.unverified: ledger {fake}: production root {fake_root[:16]}… is "
                     f"not the root pinned for this run (--trust-root {prod.root[:16]}…) — "
                     "this is another production's ledger, or a copy made by someone else"]
    # the studio's machines carry the administrator's pin, which replaces per-user pins;
    # the editor's environment cannot add to it (AICLEAR_TRUST_ROOT only narrows) nor
    # move it (AICLEAR_SYSTEM_PINS to a file the editor can write is ignored)
    pins = system_pins(monkeypatch, prod.folder, prod.root)
    mine = prod.folder / "my-pins"
    mine.write_text(f"{fake_root}\n")
    monkeypatch.setenv("AICLEAR_SYSTEM_PINS", str(mine))
    monkeypatch.setenv("AICLEAR_TRUST_ROOT", fake_root)
    monkeypatch.setenv("AICLEAR_LEDGER", fake)
    check, _, _ = run(capsys, "check", prod.timeline)
    gate, _, _ = run(capsys, "gate", prod.timeline)
    _, out, _ = run(capsys, "check", prod.timeline, "--format", "json")
    assert (check, gate) == (1, 1)
    assert [f["message"] for f in json.loads(out)["timelines"][0]["findings"]
            if f["rule"] == "ledger.unverified"] == [(
        f"ledger {fake}: production root {fake_root[:16]}… is not pinned by the administrator "
        f"({pins}) (and --trust-root names {fake_root[:16]}…) — ask the administrator to add "
        f"{fake_root} there")]
    # while the production's own ledger still clears there
    monkeypatch.delenv("AICLEAR_TRUST_ROOT")
    monkeypatch.delenv("AICLEAR_LEDGER")
    decide(capsys, prod, "approve", "legal")
    assert verdicts(capsys, prod)[:2] == (0, 0)


def test_an_unpinned_ledger_blocks_on_a_fresh_machine(
        prod: Production, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    decide(capsys, prod, "approve", "legal")
    assert verdicts(capsys, prod)[:2] == (0, 0)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "another-user"))  # no pins
    check, gate, lines = verdicts(capsys, prod)
    assert (check, gate) == (1, 1)
    assert lines == [f"ledger.unverified: ledger {_shown(prod.ledger)}: production root "
                     f"{prod.root[:16]}… is not pinned on this machine — pin it with "
                     f"'aiclear ledger pin {prod.root}' or pass --trust-root {prod.root}"]
    code, _, _ = run(capsys, "ledger", "pin", prod.root)
    assert code == 0
    assert verdicts(capsys, prod)[:2] == (0, 0)


# -- attack 3: replay an old approval after a rejection; copy one between productions ----
def test_replayed_approval_after_a_rejection_fails_its_signature(
        prod: Production, capsys: pytest.CaptureFixture[str]) -> None:
    decide(capsys, prod, "approve", "legal")
    assert verdicts(capsys, prod)[:2] == (0, 0)
    decide(capsys, prod, "reject", "legal")
    assert verdicts(capsys, prod)[:2] == (1, 1)
    approval = next(r for r in attacker.rows(prod.ledger) if '"approve"' in r["body"])
    seq = attacker.append_copy(prod.ledger, approval)
    check, gate, lines = verdicts(capsys, prod)
    assert (check, gate) == (1, 1)
    assert lines == [f"ledger.bad_signature: ledger entry {seq} in {_shown(prod.ledger)}: "
                     "signature does not verify"]


def test_an_approval_copied_from_another_production_fails_its_signature(
        prod: Production, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Both productions trust the same legal key; the other one approved the asset."""
    other = str(tmp_path / "other-production.sqlite")
    admin_b, _ = _keys(tmp_path / "b", {"admin": ("Bo Admin", "admin")})
    _init(capsys, other, admin_b["admin"], "Day Shift")
    code, _, err = run(capsys, "keys", "trust", prod.keys["legal"], "--by", admin_b["admin"],
                       "--ledger", other)
    assert code == 0, err
    decide(capsys, prod, "approve", "legal", ledger=other)
    assert verdicts(capsys, prod)[:2] == (1, 1)
    approval = attacker.rows(other)[-1]
    seq = attacker.append_copy(prod.ledger, approval)
    check, gate, lines = verdicts(capsys, prod)
    assert (check, gate) == (1, 1)
    assert lines == [f"ledger.bad_signature: ledger entry {seq} in {_shown(prod.ledger)}: "
                     "signature does not verify"]


# -- attack 4: rewrite history ----------------------------------------------------------
def test_deleting_a_middle_entry_and_recomputing_every_hash_is_detected(
        prod: Production, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    decide(capsys, prod, "approve", "legal")
    decide(capsys, prod, "reject", "legal")
    decide(capsys, prod, "approve", "editor")  # a later entry (an editor never clears)
    assert verdicts(capsys, prod)[:2] == (1, 1)
    before = attacker.rows(prod.ledger)
    rejection = next(r for r in before if '"reject"' in r["body"])
    attacker.drop(prod.ledger, {rejection["seq"]})
    after = attacker.rows(prod.ledger)
    bad = (f"ledger.bad_signature: ledger entry {rejection['seq']} in {_shown(prod.ledger)}: "
           "signature does not verify")
    check, gate, lines = verdicts(capsys, prod, "--trust-root", prod.root)
    assert (check, gate) == (1, 1)
    assert lines == [
        f"ledger.rollback: ledger {_shown(prod.ledger)} went backwards: this machine verified "
        f"entry {before[-1]['seq']} (head {before[-1]['entry_hash'][:16]}…) but the ledger now "
        f"ends at entry {after[-1]['seq']} (head {after[-1]['entry_hash'][:16]}…) — entries "
        "were deleted; restore it from a backup or a mirror ('aiclear ledger verify --mirror')",
        bad]
    # a machine that never saw the ledger before: the signatures alone catch it
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "fresh-state"))
    check, gate, lines = verdicts(capsys, prod, "--trust-root", prod.root)
    assert (check, gate) == (1, 1)
    assert lines == [bad]


def test_deleting_a_key_revocation_is_detected(
        prod: Production, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "keys", "revoke", prod.keys["legal"], "--by", prod.keys["admin"],
                       "--ledger", prod.ledger)
    assert code == 0, err
    st = decision_statement(prod.signing["legal"], asset_id=prod.asset, decision="approve",
                            production="Night Shift", role="legal", approver="Lea Legal")
    forge_append(prod.ledger, st, prod.signing["legal"])  # a leaked, revoked key
    revocation = attacker.rows(prod.ledger)[-2]
    attacker.drop(prod.ledger, {revocation["seq"]})
    check, gate, lines = verdicts(capsys, prod)
    assert (check, gate) == (1, 1)
    assert lines == [f"ledger.bad_signature: ledger entry {revocation['seq']} in "
                     f"{_shown(prod.ledger)}: signature does not verify"]


def test_rollback_to_before_a_rejection_is_refused_and_proven(
        prod: Production, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    decide(capsys, prod, "approve", "legal")
    assert verdicts(capsys, prod)[:2] == (0, 0)
    mirror = str(tmp_path / "witness.sqlite")
    decide(capsys, prod, "reject", "legal")
    report = tmp_path / "report.json"
    code, _, _ = run(capsys, "check", prod.timeline, "--ledger", prod.ledger,
                     "--format", "json", "-o", report)
    assert code == 1  # judged against the rejection; this machine remembers that head
    assert run(capsys, "ledger", "mirror", mirror, "--ledger", prod.ledger)[0] == 0
    before = attacker.rows(prod.ledger)
    attacker.drop(prod.ledger, {before[-1]["seq"]})  # the rejection, and the head with it
    after = attacker.rows(prod.ledger)[-1]
    check, gate, lines = verdicts(capsys, prod)
    assert (check, gate) == (1, 1)
    old, new = before[-1], after
    assert lines == [
        f"ledger.rollback: ledger {_shown(prod.ledger)} went backwards: this machine verified "
        f"entry {old['seq']} (head {old['entry_hash'][:16]}…) but the ledger now ends at entry "
        f"{new['seq']} (head {new['entry_hash'][:16]}…) — entries were deleted; restore it "
        "from a backup or a mirror ('aiclear ledger verify --mirror')"]
    # a machine that never saw the later state still has the report and the mirror
    code, out, _ = run(capsys, "ledger", "verify", "--ledger", prod.ledger, "--against", report,
                       "--mirror", mirror)
    assert code == 1
    assert (f"ledger.rollback: {report}: it records entry {old['seq']} (head "
            f"{old['entry_hash'][:16]}…) but the ledger now ends at entry {new['seq']} (head "
            f"{new['entry_hash'][:16]}…): entries were deleted") in out.splitlines()
    assert (f"ledger.rollback: mirror {mirror}: the mirror holds entry {old['seq']} (head "
            f"{old['entry_hash'][:16]}…) but the ledger ends at entry {new['seq']}: entries "
            "were deleted from the ledger") in out.splitlines()


# -- attack 8a: an editor key undoing legal's approval -----------------------------------
def test_an_editor_revoking_legals_approval_is_refused_and_ignored(
        prod: Production, capsys: pytest.CaptureFixture[str]) -> None:
    decide(capsys, prod, "approve", "legal")
    assert verdicts(capsys, prod)[:2] == (0, 0)
    code, _, err = run(capsys, "revoke", prod.asset, "--key", prod.keys["editor"],
                       "--ledger", prod.ledger)
    assert code == 2
    assert err == ("aiclear: error: refused: Ed Editor (editor) may not revoke a decision "
                   "(only a role that may clear the asset, or an admin)\n")
    st = decision_statement(prod.signing["editor"], asset_id=prod.asset, decision="revoke",
                            production="Night Shift", role="editor", approver="Ed Editor")
    seq = forge_append(prod.ledger, st, prod.signing["editor"])  # raw SQL, signed in place
    check, gate, lines = verdicts(capsys, prod)
    assert (check, gate) == (1, 1)
    assert lines == [f"ledger.unauthorised: ledger entry {seq} in {_shown(prod.ledger)}: "
                     "Ed Editor (editor) may not revoke a decision (only a role that may "
                     "clear the asset, or an admin)"]


def _shown(location: str) -> str:
    """The location as messages show it (a PostgreSQL password hidden)."""
    from aiclear.ledger.location import redact

    return redact(location)


def test_the_write_hook_clears_only_with_the_pinned_root(
        prod: Production, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The OTIO pre-write hook reads the same pins; its map's trust_root pins one root."""
    from aiclear.errors import ExportBlocked

    decide(capsys, prod, "approve", "legal")
    timeline = otio.adapters.read_from_file(str(prod.timeline))
    monkeypatch.setenv("AICLEAR_LEDGER", prod.ledger)
    out = tmp_path / "delivery.otio"
    otio.adapters.write_to_file(timeline, str(out))  # pinned: the export passes
    head = attacker.rows(prod.ledger)[-1]
    recorded = json.loads(out.read_text())["metadata"]["aiclear_ledger"]
    assert (recorded["root"], recorded["head_seq"], recorded["head_hash"]) == (
        prod.root, head["seq"], head["entry_hash"])  # evidence for `ledger verify --against`
    other = "ab" * 32
    with pytest.raises(ExportBlocked) as caught:
        otio.adapters.write_to_file(timeline, str(tmp_path / "delivery2.otio"),
                                    hook_function_argument_map={"aiclear": {
                                        "trust_root": other}})
    assert (f"ledger {_shown(prod.ledger)}: production root {prod.root[:16]}… is not the root "
            f"pinned for this run (--trust-root {other[:16]}…)") in str(caught.value)
    assert not (tmp_path / "delivery2.otio").exists()
