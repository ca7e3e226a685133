"""Tampering blocks: edited and deleted rows, forged signatures, unknown and revoked keys."""

from __future__ import annotations

import pytest

from aiclear.ledger import open_view
from aiclear.ledger.chain import compute_hash
from aiclear.ledger.keys import new_key
from aiclear.ledger.statement import canonical, decision_statement, keyring_statement
from aiclear.ledger.store import open_store
from tests.ledger.conftest import Keys
from tests.ledger.ledger_helpers import asset, forge_append, raw_sql, run

LEGAL = frozenset({"legal"})


def findings(ledger: str) -> list[tuple[str, str]]:
    v = open_view(ledger, None)
    assert v is not None
    return [(f.rule, f.message) for f in v.integrity_findings()]


def verify(capsys: pytest.CaptureFixture[str], ledger: str) -> tuple[int, str, str]:
    return run(capsys, "ledger", "verify", "--ledger", ledger)


def approve(capsys: pytest.CaptureFixture[str], ledger: str, keys: Keys, n: int) -> None:
    code, _, err = run(capsys, "approve", asset(n), "--key", keys.path("legal"),
                       "--ledger", ledger, "--note", "contract 12")
    assert code == 0, err


def test_intact_ledger_verifies(ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]
                                ) -> None:
    approve(capsys, ledger, keys, 1)
    code, out, _ = verify(capsys, ledger)
    assert code == 0
    assert "5 entries, chain intact" in out


def test_edited_row_is_named(ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]
                             ) -> None:
    approve(capsys, ledger, keys, 1)
    approve(capsys, ledger, keys, 2)
    raw_sql(ledger, "UPDATE aiclear_entries SET body = REPLACE(body, 'contract 12', "
                    "'contract 99') WHERE seq = 5")
    code, out, err = verify(capsys, ledger)
    assert code == 1
    assert "ledger.tampered: entry 5:" in out
    assert "failed at entry 5" in err
    assert findings(ledger)[0][0] == "ledger.tampered"
    assert "ledger entry 5" in findings(ledger)[0][1]
    v = open_view(ledger, None)
    assert v is not None
    assert v.decision(asset(1), LEGAL) is None
    assert v.decision(asset(2), LEGAL) is not None


def test_edited_index_column_is_tampering(ledger: str, keys: Keys,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    approve(capsys, ledger, keys, 1)
    raw_sql(ledger, f"UPDATE aiclear_entries SET asset_id = '{asset(7)}' WHERE seq = 5")
    code, out, _ = verify(capsys, ledger)
    assert code == 1
    assert "entry 5: column asset_id" in out


def test_rehashed_edit_breaks_the_signature_and_the_next_link(
        ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    """An attacker who recomputes the hash still cannot re-sign, or relink what follows."""

    approve(capsys, ledger, keys, 1)
    approve(capsys, ledger, keys, 2)
    with open_store(ledger) as store:
        entry = store.entries()[4]
    statement = entry.statement()
    assert statement is not None
    statement["asset_id"] = asset(9)
    new_hash = compute_hash(entry.prev_hash, entry.seq, statement, entry.signature)
    raw_sql(ledger, "UPDATE aiclear_entries SET body = :body, asset_id = :asset, "
                    "entry_hash = :hash WHERE seq = 5",
            {"body": canonical(statement).decode(), "asset": asset(9), "hash": new_hash})
    rules = [rule for rule, _ in findings(ledger)]
    assert rules == ["ledger.bad_signature", "ledger.chain_broken"]
    code, out, _ = verify(capsys, ledger)
    assert code == 1
    assert "entry 5: signature does not verify" in out
    assert "entry 6:" in out


def test_deleted_row_breaks_the_chain(ledger: str, keys: Keys,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    approve(capsys, ledger, keys, 1)
    approve(capsys, ledger, keys, 2)
    raw_sql(ledger, "DELETE FROM aiclear_entries WHERE seq = 5")
    code, out, err = verify(capsys, ledger)
    assert code == 1
    assert "ledger.chain_broken: entry 5: missing from the chain" in out
    assert "failed at entry 5" in err
    assert [r for r, _ in findings(ledger)] == ["ledger.chain_broken"]


def test_deleted_newest_row_is_caught_by_the_head(ledger: str, keys: Keys,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    approve(capsys, ledger, keys, 1)
    raw_sql(ledger, "DELETE FROM aiclear_entries WHERE seq = 5")
    code, out, _ = verify(capsys, ledger)
    assert code == 1
    assert "entry 5: missing" in out
    # and no client extends a chain whose head is gone
    code, _, err = run(capsys, "approve", asset(3), "--key", keys.path("legal"),
                       "--ledger", ledger)
    assert code == 2
    assert "damaged chain" in err


def test_forged_signature(ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    st = decision_statement(keys["legal"], asset_id=asset(1), decision="approve",
                            production="Night Shift")
    seq = forge_append(ledger, st, keys["outsider"])  # names legal, signed by the outsider
    assert findings(ledger) == [("ledger.bad_signature",
                                 f"ledger entry {seq} in {ledger}: signature does not verify")]
    v = open_view(ledger, None)
    assert v is not None
    assert v.decision(asset(1), LEGAL) is None
    code, _, err = verify(capsys, ledger)
    assert code == 1
    assert f"entry {seq}" in err


def test_unknown_key(ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    st = decision_statement(keys["outsider"], asset_id=asset(1), decision="approve",
                            production="Night Shift")
    seq = forge_append(ledger, st, keys["outsider"])
    rules = findings(ledger)
    assert rules[0][0] == "ledger.unknown_key"
    assert f"entry {seq}" in rules[0][1]
    v = open_view(ledger, None)
    assert v is not None
    assert v.decision(asset(1), LEGAL) is None
    # the CLI refuses the same thing up front
    code, _, err = run(capsys, "approve", asset(1), "--key", keys.path("outsider"),
                       "--ledger", ledger)
    assert code == 2
    assert "not trusted" in err


def test_revoked_key_signing_later_is_flagged(ledger: str, keys: Keys,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "keys", "revoke", keys.path("legal"), "--by", keys.path("admin"),
                       "--ledger", ledger)
    assert code == 0, err
    st = decision_statement(keys["legal"], asset_id=asset(1), decision="approve",
                            production="Night Shift")
    seq = forge_append(ledger, st, keys["legal"])
    assert findings(ledger)[0][0] == "ledger.revoked_key"
    assert f"ledger entry {seq}" in findings(ledger)[0][1]


def test_claimed_role_must_match_the_keyring(ledger: str, keys: Keys) -> None:
    st = decision_statement(keys["producer"], asset_id=asset(1), decision="approve",
                            production="Night Shift", role="legal")
    forge_append(ledger, st, keys["producer"])
    assert findings(ledger)[0][0] == "ledger.role_mismatch"
    v = open_view(ledger, None)
    assert v is not None
    assert v.decision(asset(1), LEGAL) is None


def test_only_an_admin_changes_the_keyring(ledger: str, keys: Keys,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    mallory = new_key("Mallory", "legal")
    st = keyring_statement(keys["legal"], action="trust", key=mallory.public_text,
                           name="Mallory", role="legal", production="Night Shift")
    forge_append(ledger, st, keys["legal"])
    assert findings(ledger)[0][0] == "ledger.unauthorised"
    # and Mallory's approvals then come from an unknown key
    st = decision_statement(mallory, asset_id=asset(1), decision="approve",
                            production="Night Shift")
    forge_append(ledger, st, mallory)
    assert [r for r, _ in findings(ledger)] == ["ledger.unauthorised", "ledger.unknown_key"]
    code, _, _ = run(capsys, "keys", "trust", mallory.public_text, "--name", "M", "--role",
                     "legal", "--by", keys.path("legal"), "--ledger", ledger)
    assert code == 2
