from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from aiclear.errors import UsageError
from aiclear.ledger.keys import new_key, verify
from aiclear.ledger.statement import (
    canonical,
    decision_statement,
    expiry_moment,
    parse_expiry,
    sign,
)


def test_canonical_is_sorted_and_compact() -> None:
    assert canonical({"b": 1, "a": [1, "é"]}) == '{"a":[1,"é"],"b":1}'.encode()


def test_statement_has_every_field_and_verifies() -> None:
    key = new_key("Lea Legal", "legal")
    st = decision_statement(key, asset_id="sha256:" + "a" * 64, decision="approve",
                            production="P", scope="final", conditions="c", note="n",
                            expiry="2099-01-01")
    assert {"asset_id", "production", "scope", "decision", "conditions", "note", "approver",
            "role", "time", "expiry", "signer"} <= set(st)
    assert st["approver"] == "Lea Legal"
    assert st["role"] == "legal"
    signature = sign(key, st)
    assert verify(key.public_text, signature, canonical(st))
    changed = dict(st, decision="reject")
    assert not verify(key.public_text, signature, canonical(changed))
    other = new_key("Oz", "legal")
    assert not verify(other.public_text, signature, canonical(st))
    assert json.loads(canonical(st)) == st


def test_sign_refuses_a_statement_naming_another_signer() -> None:
    a, b = new_key("A", "legal"), new_key("B", "legal")
    st = decision_statement(a, asset_id="ref:x", decision="approve", production="P")
    with pytest.raises(UsageError):
        sign(b, st)


def test_expiry_parsing() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_expiry("2026-06-30", now) == "2026-06-30"
    assert expiry_moment("2026-06-30") == datetime(2026, 7, 1, tzinfo=UTC)
    assert parse_expiry("2026-06-30T12:00:00+02:00", now) == "2026-06-30T10:00:00Z"
    assert parse_expiry(None, now) is None
    with pytest.raises(UsageError, match="in the past"):
        parse_expiry("2025-12-31", now)
    with pytest.raises(UsageError, match="expected YYYY-MM-DD"):
        parse_expiry("next week", now)
