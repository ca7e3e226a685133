"""aiclear.provenance.trust: the seam every provenance question goes through."""

from __future__ import annotations

import pytest

from aiclear.errors import LedgerError, UsageError
from aiclear.ledger.keys import new_key
from aiclear.provenance import trust
from tests.ledger.conftest import Keys
from tests.ledger.ledger_helpers import run


def test_fingerprint_is_stable_and_covers_production_and_admins() -> None:
    a, b = new_key("A", "admin").public_text, new_key("B", "admin").public_text
    fp = trust.root_fingerprint("Night Shift", [a, b])
    assert fp == trust.root_fingerprint("Night Shift", [b, a])  # order does not matter
    assert fp.startswith("sha256:") and len(fp) == 71
    assert fp != trust.root_fingerprint("Night Shift ", [a, b])
    assert fp != trust.root_fingerprint("Night Shift", [a])


def test_pins_are_read_strictly() -> None:
    root = trust.Root(trust.root_fingerprint("P", ["k"]), "P", ("k",))
    bare = root.fingerprint.removeprefix("sha256:")
    assert trust.is_pinned(root, root.fingerprint.upper().replace("SHA256:", "sha256:"))
    assert trust.is_pinned(root, bare)
    assert not trust.is_pinned(root, None)
    assert not trust.is_pinned(root, "sha256:" + "0" * 64)
    with pytest.raises(UsageError, match="bad --trust-root"):
        trust.is_pinned(root, bare[:-1])
    assert trust.root_problem(root) is None
    assert trust.root_problem(trust.Root(root.fingerprint, "P", ("k", "x"))) is not None


def test_snapshot_head_root_prefix_and_credentials(ledger: str, keys: Keys,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    snap = trust.read_snapshot(ledger)
    assert snap.head is not None and snap.head.seq == 4  # init + 3 trusts
    assert trust.ledger_head(ledger) == snap.head
    assert snap.root.admins == (keys["admin"].public_text,)
    assert snap.root.production == "Night Shift"
    code, _, err = run(capsys, "keys", "trust", keys.path("outsider"), "--by",
                       keys.path("admin"), "--ledger", ledger)
    assert code == 0, err
    later = trust.read_snapshot(ledger)
    then = trust.prefix(later, snap.head)
    assert [e.seq for e in then.entries] == [1, 2, 3, 4] and then.audit.ok
    assert [e.seq for e in trust.later_entries(later, snap.head)] == [5]
    with pytest.raises(LedgerError, match="does not contain the certified head"):
        trust.prefix(later, trust.Head(4, "f" * 64))
    cred = trust.credential(later, keys["legal"].public_text)
    assert cred["role"] == "legal"
    assert trust.credential_problem(later.root, keys["legal"].public_text, cred) is None
    assert trust.credential_problem(later.root, keys["producer"].public_text, cred) == \
        "the signer's keyring entry trusts a different key"
    with pytest.raises(LedgerError, match="Ed Editor's key has role editor"):
        trust.credential(later, keys["editor"].public_text)
