"""Fixtures for the ledger tests: one ledger per test on each backend, and keys."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from aiclear.ledger.keys import SigningKey, new_key, write_key
from tests.ledger.ledger_helpers import run


@dataclass
class Keys:
    folder: Path
    keys: dict[str, SigningKey]

    def path(self, who: str) -> Path:
        return self.folder / f"{who}.key"

    def __getitem__(self, who: str) -> SigningKey:
        return self.keys[who]


@pytest.fixture
def keys(tmp_path: Path) -> Keys:
    """Key files for an admin, a legal clearer, a producer, an editor and an outsider."""
    folder = tmp_path / "keys"
    folder.mkdir()
    people = {"admin": ("Ada Admin", "admin"), "legal": ("Lea Legal", "legal"),
              "producer": ("Pat Producer", "producer"), "editor": ("Ed Editor", "editor"),
              "outsider": ("Oz Outsider", "legal")}
    made = {}
    for who, (name, role) in people.items():
        made[who] = new_key(name, role)
        write_key(made[who], folder / f"{who}.key")
    return Keys(folder, made)


@pytest.fixture
def ledger(ledger_location: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> str:
    """An initialised ledger trusting legal, producer and editor (not the outsider)."""
    code, _, err = run(capsys, "ledger", "init", "--ledger", ledger_location,
                       "--admin-key", keys.path("admin"), "--production", "Night Shift")
    assert code == 0, err
    for who in ("legal", "producer", "editor"):
        code, _, err = run(capsys, "keys", "trust", keys.path(who), "--by", keys.path("admin"),
                           "--ledger", ledger_location)
        assert code == 0, err
    return ledger_location
