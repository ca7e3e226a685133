"""The production root, pins, remembered heads, checkpoints, mirrors, schema-1 ledgers and
their upgrade, and the trust state reports carry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiclear.ledger import open_view
from aiclear.ledger.chain import GENESIS_HASH, Entry, make_entry
from aiclear.ledger.keys import SigningKey
from aiclear.ledger.pins import applicable, user_pin_path
from aiclear.ledger.root import profile_digest
from aiclear.ledger.statement import decision_statement, keyring_statement, sign
from aiclear.ledger.store import open_store
from aiclear.policy.profile import load_profile
from tests.ledger.conftest import Keys
from tests.ledger.ledger_helpers import asset, forge_append, run

LEGAL = frozenset({"legal"})


def root_of(ledger: str) -> str:
    with open_store(ledger) as store:
        return store.keyring().root_fingerprint


def test_init_writes_a_signed_root_and_pins_it(ledger: str, keys: Keys,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    fp = root_of(ledger)
    assert len(fp) == 64
    assert fp in user_pin_path().read_text()
    code, out, _ = run(capsys, "ledger", "root", "--ledger", ledger, "--format", "json")
    assert code == 0
    shown = json.loads(out)
    assert (shown["state"], shown["root"], shown["production"], shown["pinned_by"]) == (
        "pinned", fp, "Night Shift", "user")
    assert shown["policy"]["name"] == "baseline" and len(shown["policy"]["sha256"]) == 64
    assert ".otio" in shown["deliverables"]


def test_trust_root_replaces_user_pins_and_a_bad_fingerprint_is_one_line(
        ledger: str, capsys: pytest.CaptureFixture[str]) -> None:
    fp = root_of(ledger)
    view = open_view(ledger, None, trust_root=fp)
    assert view is not None and view.trust.pinned and view.trust.pinned_by == "trust-root"
    other = "ab" * 32
    view = open_view(ledger, None, trust_root=other)
    assert view is not None and view.trust.state == "unverified"
    code, _, err = run(capsys, "ledger", "verify", "--ledger", ledger, "--trust-root", "abc")
    assert code == 2
    assert err == ("aiclear: error: bad root fingerprint 'abc' (expected the 64 hex digits "
                   "printed by 'aiclear ledger init' or 'aiclear ledger root')\n")


def test_system_pins_replace_user_pins_and_ignore_a_writable_override(
        ledger: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fp = root_of(ledger)
    system = tmp_path / "etc" / "trusted-roots"
    system.parent.mkdir()
    system.write_text("# the studio's productions\n" + "cd" * 32 + "  # another show\n")
    monkeypatch.setattr("aiclear.ledger.pins.SYSTEM_PINS", system)
    view = open_view(ledger, None)
    assert view is not None and view.trust.state == "unverified"
    assert "not pinned by the administrator" in view.trust.reason
    forged = tmp_path / "mine"
    forged.write_text(fp + "\n")
    monkeypatch.setenv("AICLEAR_SYSTEM_PINS", str(forged))  # writable by this user: ignored
    assert applicable().path == str(system)
    system.write_text(fp + "\n")
    view = open_view(ledger, None)
    assert view is not None and view.trust.pinned and view.trust.pinned_by == "system"


def test_back_dated_entries_are_out_of_order(ledger: str, keys: Keys) -> None:
    st = decision_statement(keys["legal"], asset_id=asset(1), decision="approve",
                            production="Night Shift", time="2020-01-01T00:00:00Z")
    seq = forge_append(ledger, st, keys["legal"])
    view = open_view(ledger, None)
    assert view is not None
    found = [(f.rule, f.message) for f in view.integrity_findings()]
    assert found[0][0] == "ledger.out_of_order"
    assert found[0][1].startswith(f"ledger entry {seq} in {ledger}: dated 2020-01-01T00:00:00Z, "
                                  "before the entry it follows (")
    assert view.decision(asset(1), LEGAL) is None


def test_checkpoint_and_report_heads_verify_as_prefixes(
        ledger: str, keys: Keys, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    point = tmp_path / "head.json"
    code, out, err = run(capsys, "ledger", "checkpoint", "--key", keys.path("legal"),
                         "-o", point, "--ledger", ledger)
    assert code == 0, err
    assert run(capsys, "approve", asset(1), "--key", keys.path("legal"), "--ledger",
               ledger)[0] == 0
    code, out, _ = run(capsys, "ledger", "verify", "--ledger", ledger, "--against", point)
    assert code == 0
    assert f"ok: {point}: entry 4 (" in out
    assert "checkpoint signed by Lea Legal (legal)" in out
    bogus = tmp_path / "bogus.json"
    bogus.write_text(json.dumps({"ledger": {"root": root_of(ledger), "head_seq": 4,
                                            "head_hash": "0" * 64}}))
    code, out, _ = run(capsys, "ledger", "verify", "--ledger", ledger, "--against", bogus)
    assert code == 1
    assert f"ledger.rollback: {bogus}: it records entry 4 as 0000000000000000… but that entry " \
           "is now" in out
    empty = tmp_path / "empty.json"
    empty.write_text("{}")
    code, _, err = run(capsys, "ledger", "verify", "--ledger", ledger, "--against", empty)
    assert code == 2
    assert err.startswith(f"aiclear: error: {empty}: records no ledger head")


def test_mirror_follows_and_catches_a_rewound_ledger(
        ledger: str, keys: Keys, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mirror = str(tmp_path / "mirror.sqlite")
    assert run(capsys, "ledger", "mirror", mirror, "--ledger", ledger)[0] == 0
    assert run(capsys, "approve", asset(1), "--key", keys.path("legal"), "--ledger",
               ledger)[0] == 0
    code, out, _ = run(capsys, "ledger", "mirror", mirror, "--ledger", ledger)
    assert code == 0 and "1 new entries, now 5" in out
    assert run(capsys, "ledger", "verify", "--ledger", ledger, "--mirror", mirror)[0] == 0
    with open_store(mirror) as store:  # the mirror is a full, verifiable copy
        assert store.audit().ok


def _legacy(location: str, admin: SigningKey, legal: SigningKey) -> None:
    """A schema-1 ledger as aiclear wrote them before production roots."""
    def v1(statement: dict[str, object]) -> dict[str, object]:
        return dict(statement, v=1)

    statements = [
        (v1(keyring_statement(admin, action="trust", key=admin.public_text, name="Ada Admin",
                              role="admin", production="Old Show")), admin),
        (v1(keyring_statement(admin, action="trust", key=legal.public_text, name="Lea Legal",
                              role="legal", production="Old Show")), admin),
        (v1(decision_statement(legal, asset_id=asset(1), decision="approve",
                               production="Old Show")), legal),
        (v1(decision_statement(legal, asset_id=asset(2), decision="reject",
                               production="Old Show")), legal),
    ]
    entries: list[Entry] = []
    prev = GENESIS_HASH
    for seq, (statement, key) in enumerate(statements, start=1):
        entries.append(make_entry(seq, prev, statement, sign(key, statement)))
        prev = entries[-1].entry_hash
    with open_store(location, create=True) as store:
        store.append_raw(entries)


def test_schema_1_ledger_verifies_read_only_then_upgrades(
        ledger_location: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    _legacy(ledger_location, keys["admin"], keys["legal"])
    code, out, err = run(capsys, "ledger", "verify", "--ledger", ledger_location)
    assert code == 0
    assert "4 entries, chain intact" in out
    assert "schema-1 ledger with no production root" in err
    view = open_view(ledger_location, None)
    assert view is not None and view.trust.state == "legacy"
    assert view.decision(asset(1), LEGAL) is None  # legacy clears nothing
    assert view.integrity_findings()[0].rule == "ledger.unverified"
    code, _, err = run(capsys, "approve", asset(3), "--key", keys.path("legal"),
                       "--ledger", ledger_location)
    assert code == 2 and "read-only" in err
    code, _, err = run(capsys, "ledger", "upgrade", "--key", keys.path("legal"),
                       "--ledger", ledger_location)
    assert code == 2 and "not an active admin key" in err
    code, out, err = run(capsys, "ledger", "upgrade", "--key", keys.path("admin"),
                         "--ledger", ledger_location)
    assert code == 0, err
    view = open_view(ledger_location, None)
    assert view is not None and view.trust.pinned and view.integrity_findings() == []
    cleared = view.decision(asset(1), LEGAL)
    assert cleared is not None and (cleared.status, cleared.approver) == ("cleared", "Lea Legal")
    rejected = view.decision(asset(2), LEGAL)
    assert rejected is not None and rejected.status == "rejected"
    with open_store(ledger_location) as store:
        legacy = store.legacy_entries()
        root = store.entries()[0].statement()
    assert [e.seq for e in legacy] == [1, 2, 3, 4]
    assert root is not None and root["legacy"] == {"entries": 4, "head": legacy[-1].entry_hash}
    assert run(capsys, "approve", asset(3), "--key", keys.path("legal"),
               "--ledger", ledger_location)[0] == 0


def test_reports_and_tagged_copies_record_the_head(
        ledger: str, keys: Keys, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    timeline = tmp_path / "cut.otio"
    timeline.write_text((Path(__file__).parents[2] / "sample_timelines" / "ai_voice.otio")
                        .read_text())
    code, out, _ = run(capsys, "check", timeline, "--ledger", ledger, "--no-media",
                       "--format", "json")
    trust = json.loads(out)["timelines"][0]["ledger"]
    with open_store(ledger) as store:
        head = store.head()
    assert head is not None
    assert (trust["state"], trust["head_seq"], trust["head_hash"]) == ("pinned", *head)
    code, out, _ = run(capsys, "check", timeline, "--ledger", ledger, "--no-media")
    assert f"LEDGER pinned (user): {ledger}, root {trust['root'][:16]}…, head entry {head[0]} " \
        f"{head[1][:16]}…" in out
    tagged = tmp_path / "tagged.otio"
    code, _, err = run(capsys, "tag", timeline, "-o", tagged, "--ledger", ledger, "--no-media")
    assert code in (0, 1), err
    stamped = json.loads(tagged.read_text())["metadata"]["aiclear_ledger"]
    assert stamped["head_hash"] == head[1]
    code, out, _ = run(capsys, "ledger", "verify", "--ledger", ledger, "--against", tagged)
    assert code == 0 and f"ok: {tagged}: entry {head[0]}" in out


def test_only_an_admin_re_pins_the_policy(ledger: str, keys: Keys,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "ledger", "policy", "--key", keys.path("legal"), "--profile",
                       "documentary", "--ledger", ledger)
    assert code == 2
    assert err == ("aiclear: error: refused: Lea Legal (legal) is not an admin and cannot "
                   "change the policy\n")
    code, out, err = run(capsys, "ledger", "policy", "--key", keys.path("admin"), "--profile",
                         "documentary", "--ledger", ledger)
    assert code == 0, err
    view = open_view(ledger, None)
    assert view is not None and view.integrity_findings() == []
    policy, deliverables = view.pinned_policy()
    assert policy == {"name": "documentary",
                      "sha256": profile_digest(load_profile("documentary"))}
    assert ".otio" in deliverables


@pytest.mark.parametrize("change", [{"decision": "maybe"}, {"decision": "APPROVE"},
                                    {"asset_id": ""}, {"expiry": 7}])
def test_a_carried_decision_must_be_a_valid_decision(keys: Keys, change: dict[str, object]) -> None:
    """An upgraded entry carries a schema-1 decision; one that no direct decision could be
    (an unknown verb, no asset) is refused, so it can never read as an approval."""
    from aiclear.ledger.keyring import carried_decision

    original = dict(decision_statement(keys["legal"], asset_id=asset(1), decision="approve",
                                       production="Old Show"), v=1)
    assert carried_decision(original)
    assert not carried_decision(dict(original, **change))
