"""Fixtures for the ledger tests: one ledger per test on each backend, and keys."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from aiclear.ledger.keys import SigningKey, new_key, write_key
from tests.ledger.ledger_helpers import run


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ledger_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A ledger location nobody has used: a SQLite path, or a PostgreSQL URL whose
    search_path is a fresh schema (dropped afterwards)."""
    if request.param == "sqlite":
        yield str(tmp_path / "aiclear-ledger.sqlite")
        return
    base = request.getfixturevalue("pg_url")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


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
