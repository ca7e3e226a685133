"""aiclear.provenance.trust: the seam every provenance question goes through, on the
ledger's signed production root."""

from __future__ import annotations

import pytest

from aiclear.errors import LedgerError, UsageError
from aiclear.ledger.keys import new_key
from aiclear.ledger.pins import applicable
from aiclear.provenance import trust
from tests.ledger.conftest import Keys
from tests.ledger.ledger_helpers import run


def test_root_is_the_signed_root_statement_and_its_fingerprint(
        ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "ledger", "root", "--ledger", ledger, "--format", "json")
    assert code == 0, err
    import json

    printed = json.loads(out)["root"]
    root = trust.read_snapshot(ledger).root
    assert root.fingerprint == printed and len(printed) == 64  # the bare hex ledger prints
    assert root.statement["kind"] == "root" and root.production == "Night Shift"
    assert root.admins == (keys["admin"].public_text,)
    assert root.production_id == root.statement["production_id"]
    assert trust.root_problem(root) is None
    again = trust.root_from_json(root.to_json())
    assert again == root and trust.root_problem(again) is None
    shown = trust.root_from_json(dict(root.to_json(), fingerprint="sha256:" + printed))
    assert shown.fingerprint == printed  # the display form reads as the same fingerprint


def test_root_problems_name_what_was_changed(ledger: str) -> None:
    root = trust.read_snapshot(ledger).root
    other = new_key("Mallory", "admin").public_text
    block = root.to_json()
    assert trust.root_problem(trust.root_from_json(dict(block, admins=[other]))) == \
        "its production or admins are not those of its root statement"
    assert trust.root_problem(trust.root_from_json(dict(block, production="Day Shift"))) == \
        "its production or admins are not those of its root statement"
    edited = dict(block["statement"], production="Day Shift")
    assert trust.root_problem(trust.root_from_json(dict(block, statement=edited))) == \
        "its root statement does not hash to its fingerprint"
    forged_sig = trust.root_from_json(dict(block, signature=block["signature"][::-1]))
    assert trust.root_problem(forged_sig) == \
        "its root statement is not signed by one of its admins as entry 1"


def test_pins_are_read_strictly(ledger: str) -> None:
    root = trust.read_snapshot(ledger).root
    fp = root.fingerprint
    assert trust.is_pinned(root, fp)
    assert trust.is_pinned(root, "sha256:" + fp.upper())
    assert not trust.is_pinned(root, None)
    assert not trust.is_pinned(root, "0" * 64)
    with pytest.raises(UsageError, match="bad --trust-root"):
        trust.is_pinned(root, fp[:-1])


def test_snapshot_is_judged_against_this_machines_pins(ledger: str) -> None:
    pinned = trust.read_snapshot(ledger, applicable())  # ledger init pinned it for the user
    assert pinned.trust.pinned and trust.certify_problem(pinned, "final") is None
    other = trust.read_snapshot(ledger, applicable("ab" * 32))
    assert other.trust.state == "unverified"
    problem = trust.certify_problem(other, "final")
    assert problem is not None and problem.startswith("a final certificate needs a ledger "
                                                      "pinned here: ")
    assert trust.certify_problem(other, "review") is None
    with pytest.raises(LedgerError, match="read without pins"):
        trust.read_snapshot(ledger).trust  # noqa: B018 - the property raises


def test_snapshot_head_prefix_and_credentials(ledger: str, keys: Keys,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    snap = trust.read_snapshot(ledger)
    assert snap.head is not None and snap.head.seq == 4  # root + 3 trusts
    assert trust.ledger_head(ledger) == snap.head
    code, _, err = run(capsys, "keys", "trust", keys.path("outsider"), "--by",
                       keys.path("admin"), "--ledger", ledger)
    assert code == 0, err
    later = trust.read_snapshot(ledger)
    then = trust.prefix(later, snap.head)
    assert [e.seq for e in then.entries] == [1, 2, 3, 4] and then.audit.ok
    assert [e.seq for e in trust.later_entries(later, snap.head)] == [5]
    with pytest.raises(LedgerError, match="does not contain the certified head"):
        trust.prefix(later, trust.Head(4, "f" * 64))
    root = later.root
    cred = trust.credential(later, keys["legal"].public_text)
    assert cred["role"] == "legal" and cred["trusted_by"]["seq"] == 2
    assert cred["trusted_by"]["production_id"] == root.production_id
    assert trust.credential_problem(root, keys["legal"].public_text, cred) is None
    assert trust.credential_problem(root, keys["producer"].public_text, cred) == \
        "the signer's keyring entry trusts a different key"
    moved = dict(cred, trusted_by=dict(cred["trusted_by"], prev_hash="0" * 64))
    assert trust.credential_problem(root, keys["legal"].public_text, moved) == \
        "the signer's keyring entry does not verify"
    admin = trust.credential(later, keys["admin"].public_text)
    assert admin["trusted_by"] is None  # the root lists it
    assert trust.credential_problem(root, keys["admin"].public_text, admin) is None
    assert trust.credential_problem(root, keys["legal"].public_text,
                                    dict(admin, role="legal")) == \
        "the signer carries no keyring entry and is not an admin of the root"
    with pytest.raises(LedgerError, match="Ed Editor's key has role editor"):
        trust.credential(later, keys["editor"].public_text)


def test_key_trusted_by_a_later_admin_is_refused(ledger: str, keys: Keys,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Fail closed: the verifier has only the root, so a producer trusted by an admin the
    root does not list cannot be shown to speak for the production."""
    from aiclear.ledger.keys import write_key

    second = new_key("Second Admin", "admin")
    write_key(second, keys.folder / "second.key")
    code, _, err = run(capsys, "keys", "trust", keys.folder / "second.key", "--by",
                       keys.path("admin"), "--ledger", ledger)
    assert code == 0, err
    code, _, err = run(capsys, "keys", "trust", keys.path("outsider"), "--by",
                       keys.folder / "second.key", "--ledger", ledger)
    assert code == 0, err
    snap = trust.read_snapshot(ledger)
    with pytest.raises(LedgerError, match="trusted by an admin added after the production "
                                          "root"):
        trust.credential(snap, keys["outsider"].public_text)
    cred = trust.credential(snap, second.public_text)  # trusted by a root admin: carried
    assert trust.credential_problem(snap.root, second.public_text, cred) is None
