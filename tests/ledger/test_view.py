"""Decisions as the scan sees them, on both backends: roles, expiry, revoke, rejection."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aiclear.ledger import RolePolicy, open_view
from aiclear.ledger.store import open_store
from aiclear.ledger.view import LedgerView
from tests.ledger.conftest import Keys
from tests.ledger.ledger_helpers import asset, run

LEGAL = frozenset({"legal"})
PRODUCER_OR_LEGAL = frozenset({"producer", "legal"})


def decide(capsys: pytest.CaptureFixture[str], ledger: str, keys: Keys, verb: str, who: str,
           asset_id: str, *extra: str) -> None:
    code, _, err = run(capsys, verb, asset_id, "--key", keys.path(who), "--ledger", ledger,
                       *extra)
    assert code == 0, err


def view(ledger: str, now: datetime | None = None) -> LedgerView:
    result = open_view(ledger, None, now=now)
    assert result is not None
    return result


def test_legal_approval_clears(ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]
                               ) -> None:
    decide(capsys, ledger, keys, "approve", "legal", asset(1), "--conditions", "no trailers",
           "--scope", "final deliverable")
    got = view(ledger).decision(asset(1), LEGAL)
    assert got is not None
    assert (got.status, got.approver, got.role, got.entry, got.conditions) == (
        "cleared", "Lea Legal", "legal", "5", "no trailers")
    assert view(ledger).decision(asset(2), LEGAL) is None
    assert view(ledger).integrity_findings() == []


def test_producer_cannot_clear_voice_but_can_clear_background(
        ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    policy = RolePolicy()
    decide(capsys, ledger, keys, "approve", "producer", asset(1))
    v = view(ledger)
    assert v.decision(asset(1), policy.accepted("voice")) is None
    cleared = v.decision(asset(1), policy.accepted("background_element"))
    assert cleared is not None
    assert cleared.status == "cleared"
    assert cleared.role == "producer"


def test_editor_approval_clears_nothing(ledger: str, keys: Keys,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    decide(capsys, ledger, keys, "approve", "editor", asset(1))
    v = view(ledger)
    # even when a caller (or a profile) wrongly accepts the editor role
    assert v.decision(asset(1), frozenset({"editor", "producer", "legal"})) is None
    assert v.integrity_findings() == []


def test_expired_approval_stops_clearing(ledger: str, keys: Keys,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    decide(capsys, ledger, keys, "approve", "legal", asset(1), "--expires", "2099-12-31")
    before = view(ledger, now=datetime(2099, 12, 31, 23, 0, tzinfo=UTC))
    got = before.decision(asset(1), LEGAL)
    assert got is not None
    assert got.expires == "2099-12-31"
    after = view(ledger, now=datetime(2100, 1, 1, 0, 0, 1, tzinfo=UTC))
    assert after.decision(asset(1), LEGAL) is None


def test_revoke_cancels_and_a_later_approval_counts_again(
        ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    decide(capsys, ledger, keys, "approve", "legal", asset(1))
    decide(capsys, ledger, keys, "revoke", "legal", asset(1), "--note", "contract lapsed")
    assert view(ledger).decision(asset(1), LEGAL) is None
    decide(capsys, ledger, keys, "approve", "legal", asset(1))
    got = view(ledger).decision(asset(1), LEGAL)
    assert got is not None
    assert got.entry == "7"


def test_rejection_from_a_clearing_role_wins_until_a_newer_approval(
        ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    decide(capsys, ledger, keys, "approve", "legal", asset(1))
    decide(capsys, ledger, keys, "reject", "legal", asset(1), "--note", "face is off-model")
    got = view(ledger).decision(asset(1), LEGAL)
    assert got is not None
    assert (got.status, got.approver) == ("rejected", "Lea Legal")
    decide(capsys, ledger, keys, "approve", "producer", asset(1))  # not a clearer for LEGAL
    decide(capsys, ledger, keys, "revoke", "producer", asset(1))  # so it cannot undo either
    got = view(ledger).decision(asset(1), LEGAL)
    assert got is not None
    assert got.status == "rejected"
    decide(capsys, ledger, keys, "approve", "legal", asset(1))
    got = view(ledger).decision(asset(1), LEGAL)
    assert got is not None
    assert got.status == "cleared"


def test_an_editor_cannot_reject_or_revoke(
        ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    decide(capsys, ledger, keys, "approve", "legal", asset(1))
    for verb in ("reject", "revoke"):
        code, _, err = run(capsys, verb, asset(1), "--key", keys.path("editor"),
                           "--ledger", ledger)
        assert code == 2
        assert err == (f"aiclear: error: refused: Ed Editor (editor) may not {verb} a decision "
                       "(only a role that may clear the asset, or an admin)\n")
    got = view(ledger).decision(asset(1), LEGAL)
    assert got is not None and got.status == "cleared"


def test_revoked_key_clears_nothing_and_cannot_sign(
        ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    decide(capsys, ledger, keys, "approve", "legal", asset(1))
    code, _, err = run(capsys, "keys", "revoke", keys.path("legal"), "--by", keys.path("admin"),
                       "--ledger", ledger)
    assert code == 0, err
    assert view(ledger).decision(asset(1), LEGAL) is None
    code, _, err = run(capsys, "approve", asset(2), "--key", keys.path("legal"),
                       "--ledger", ledger)
    assert code == 2
    assert "not trusted" in err
    assert view(ledger).integrity_findings() == []


def test_view_reads_the_ledger_once(ledger: str, keys: Keys,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    decide(capsys, ledger, keys, "approve", "legal", asset(1))
    with open_store(ledger) as store:
        v = LedgerView.load(store)
    # the store is closed: answers come from memory
    got = v.decision(asset(1), LEGAL)
    assert got is not None
    assert got.status == "cleared"


def test_name_and_role_come_from_the_keyring(ledger_location: str, keys: Keys,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A key file's header is a label; the admin's keyring entry is what counts."""
    assert run(capsys, "ledger", "init", "--ledger", ledger_location, "--admin-key",
               keys.path("admin"))[0] == 0
    assert run(capsys, "keys", "trust", keys.path("editor"), "--name", "Lea Legal (outside "
               "counsel)", "--role", "legal", "--by", keys.path("admin"),
               "--ledger", ledger_location)[0] == 0
    decide(capsys, ledger_location, keys, "approve", "editor", asset(1))
    got = view(ledger_location).decision(asset(1), LEGAL)
    assert got is not None
    assert (got.approver, got.role) == ("Lea Legal (outside counsel)", "legal")
