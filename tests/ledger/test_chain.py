from __future__ import annotations

import hashlib

from aiclear.ledger.chain import GENESIS_HASH, body_hash, compute_hash, make_entry
from aiclear.ledger.statement import canonical


def test_fast_hash_equals_the_canonical_definition() -> None:
    statement = {"kind": "decision", "note": 'Zoë "quoted" \\ \n\u2028 😀', "asset_id": "ref:x",
                 "signer": "ed25519:abc", "v": 1, "expiry": None}
    signature = "c2lnbmF0dXJl+/=="
    slow = hashlib.sha256(GENESIS_HASH.encode() + canonical(
        {"seq": 7, "statement": statement, "signature": signature})).hexdigest()
    assert compute_hash(GENESIS_HASH, 7, statement, signature) == slow
    body = canonical(statement).decode()
    assert body_hash(GENESIS_HASH, 7, body, signature) == slow


def test_entries_link() -> None:
    first = make_entry(1, GENESIS_HASH, {"kind": "keyring", "signer": "k"}, "s1")
    second = make_entry(2, first.entry_hash, {"kind": "decision", "asset_id": "a",
                                              "signer": "k"}, "s2")
    assert second.prev_hash == first.entry_hash
    assert (second.kind, second.asset_id, first.asset_id) == ("decision", "a", None)
    again = make_entry(2, first.entry_hash, {"kind": "decision", "asset_id": "b",
                                             "signer": "k"}, "s2")
    assert again.entry_hash != second.entry_hash
