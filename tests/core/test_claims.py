"""The clearance claims an approval binds (aiclear.policy.claims)."""

from __future__ import annotations

import datetime

import pytest

from aiclear.detect import record
from aiclear.model import UsageRecord
from aiclear.policy.claims import changes, claims, digest, summary


def _record(**fields: object) -> UsageRecord:
    return UsageRecord(**{**record.new_record(), "ai_class": "generated", "use": "likeness",
                          "lifecycle": "final",
                          "people": [{"name": "Mara Quinn", "consent": {"status": "granted"}}],
                          **fields})


def test_what_every_scan_recomputes_or_only_documents_is_not_a_claim() -> None:
    base = digest(claims(_record()))
    assert digest(claims(_record(status="cleared", evidence=[{"kind": "manual", "detail": "x"}],
                                 escalation={"required": False}, catalogue={"status": "ok"},
                                 description="new words", asset_id="ref:1"))) == base
    assert digest(claims(_record(use=""))) == digest(claims(_record(use=None)))


@pytest.mark.parametrize(("field", "value", "change"), [
    ("lifecycle", "temp", "lifecycle: final -> temp"),
    ("use", None, "use: likeness -> (none)"),
    ("presented_as", "archival_or_primary_source", "presented_as: (none) -> archival_or_primary_source"),
    ("fact_check", {"status": "verified"}, "fact_check.status: (none) -> verified"),
    ("principles", {"data": True}, "principles.data: (none) -> yes"),
    ("depicts_real", {"resembles_existing": False},
     "depicts_real.resembles_existing: (none) -> false"),
    ("tool", {"product": "Sora"}, "tool.product: (none) -> Sora"),
    ("ingredients", [{"description": "plate", "rights": "licensed"}],
     'ingredients: [] -> [{"description": "plate", "rights": "licensed"}]'),
    ("people", [{"name": "Mara Quinn", "union": "SAG-AFTRA", "consent": {"status": "granted"}}],
     "people[Mara Quinn].union: (none) -> SAG-AFTRA"),
])
def test_each_claim_changes_the_hash_and_is_named(field: str, value: object, change: str) -> None:
    before, after = claims(_record()), claims(_record(**{field: value}))
    assert digest(before) != digest(after)
    assert changes(before, after) == [change]


def test_odd_values_hash_and_many_changes_are_cut_to_one_line() -> None:
    odd = claims(_record(fact_check={"status": "verified", "ref": datetime.date(2026, 1, 2)}))
    assert odd["fact_check"] == {"status": "verified", "ref": '"2026-01-02"'}
    assert len(digest(odd)) == 64
    after = claims(_record(use="voice", lifecycle="temp", presented_as="fiction",
                           fact_check={"status": "verified"}, tool={"product": "Sora"}))
    assert summary(claims(_record()), after) == (
        "use: likeness -> voice, lifecycle: final -> temp, fact_check.status: (none) -> "
        "verified, presented_as: (none) -> fiction, and 1 more")
