"""The issue's acceptance on the sample timelines, through the core scan's ledger seam:
approving every AI asset with a legal key passes; an editor's approvals clear nothing;
one approval row edited behind the ledger's back blocks, naming the entry."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from aiclear.ledger import open_view
from aiclear.model import TimelineResult
from aiclear.policy.profile import Profile
from aiclear.scan.core import scan_file
from aiclear.scan.settings import SettingsSpec
from aiclear.timeline.read import expand
from tests.ledger.conftest import Keys
from tests.ledger.ledger_helpers import raw_sql, run

SAMPLES = Path(__file__).resolve().parents[2] / "sample_timelines"
REGISTER = SAMPLES / "register.yaml"


def scan(ledger: str, by_reference: bool = True) -> list[TimelineResult]:
    """The samples reference no media on disk, so their clips have ``ref:`` ids: they can
    be cleared only where the production's profile allows approvals by reference (given
    here as the production's profile would be, not as a local --profile file, which may
    not weaken the policy)."""
    settings = SettingsSpec(profile="baseline", registers=(str(REGISTER),))()
    if by_reference:
        settings.profile = _allowing(settings.profile)
    settings.ledger_for = lambda path: open_view(ledger, path)
    return [t for path in expand([str(SAMPLES)]) for t in scan_file(path, settings)]


def _allowing(profile: Profile) -> Profile:
    data = copy.deepcopy(profile.data)
    data["clearance"]["allow_reference_approvals"] = True
    # the production's own profile as its ledger pins it (same name), allowing references
    return Profile(name=profile.name, data=data, sources=profile.sources)


def approve_all(capsys: pytest.CaptureFixture[str], ledger: str, keys: Keys, who: str
                ) -> int:
    """Approve every AI asset by its segment id, resolved through --timeline."""
    count = 0
    for result in scan(ledger):
        for seg in result.segments:
            code, _, err = run(capsys, "approve", seg.segment_id, "--key", keys.path(who),
                               "--ledger", ledger, "--timeline", result.path,
                               "--register", REGISTER)
            assert code == 0, err
            count += 1
    return count


def blocked(results: list[TimelineResult]) -> list[str]:
    return [Path(t.path).name for t in results if t.verdict == "blocked"]


def test_samples_clear_with_legal_and_block_on_tampering(
        ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    assert len(blocked(scan(ledger))) >= 5  # nothing cleared yet
    assert approve_all(capsys, ledger, keys, "legal") >= 15
    results = scan(ledger)
    assert blocked(results) == []
    assert all(s.status_text == "cleared (approved by reference)" for t in results
               for s in t.segments)
    unmounted = scan(ledger, by_reference=False)  # baseline: unread media clears nothing
    assert all(s.status == "provisional" for t in unmounted for s in t.segments)
    assert len(blocked(unmounted)) >= 5
    raw_sql(ledger, "UPDATE aiclear_entries SET body = REPLACE(body, '\"note\":\"\"', "
                    "'\"note\":\"edited\"') WHERE seq = 7")
    results = scan(ledger)
    assert len(blocked(results)) == len(results)  # every timeline relies on this ledger
    rules = {(f.rule, f.message.split(" in ")[0]) for t in results for f in t.blocking}
    assert ("ledger.tampered", "ledger entry 7") in rules


def test_editor_approvals_clear_nothing_on_samples(
        ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    before = blocked(scan(ledger))
    approve_all(capsys, ledger, keys, "editor")
    results = scan(ledger)
    assert blocked(results) == before
    assert all(s.status == "provisional" for t in results for s in t.segments)
