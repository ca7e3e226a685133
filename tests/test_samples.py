"""The sample timelines behave as their README table says."""

from __future__ import annotations

import re

import pytest

from aiclear.scan.core import scan_file
from aiclear.scan.settings import SettingsSpec
from tests.conftest import SAMPLES

ROW = re.compile(r"^\| `([^`]+\.(?:otio|edl|xml))` \|.*\| (\d+) \| (pass|blocked) \|$")


def _table() -> list[tuple[str, int, str]]:
    rows = []
    for line in (SAMPLES / "README.md").read_text().splitlines():
        if m := ROW.match(line):
            rows.append((m.group(1), int(m.group(2)), m.group(3)))
    return rows


def test_table_lists_every_sample() -> None:
    listed = {name for name, _, _ in _table()}
    on_disk = {p.name for p in SAMPLES.iterdir() if p.suffix in (".otio", ".edl", ".xml")}
    assert listed == on_disk
    assert len(listed) >= 8


@pytest.mark.parametrize(("name", "count", "verdict"), _table())
def test_sample_matches_table(name: str, count: int, verdict: str) -> None:
    settings = SettingsSpec("baseline", (str(SAMPLES / "register.yaml"),))()
    [result] = scan_file(SAMPLES / name, settings)
    assert result.error is None
    assert len(result.segments) == count
    assert result.verdict == verdict
