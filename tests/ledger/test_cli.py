"""The ledger's commands end to end, and the options check and gate use."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from aiclear.errors import LedgerError, UsageError
from aiclear.ledger import add_ledger_arguments, resolve_ledger, view_from_args
from aiclear.ledger.location import to_url
from aiclear.scan.assets import resolve_asset_id
from tests.ledger.conftest import Keys
from tests.ledger.ledger_helpers import asset, run


def test_log_text_and_json(ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "approve", asset(1), "--key", keys.path("legal"), "--ledger",
                       ledger, "--note", "per contract\x1b[31m 12", "--conditions", "no promos")
    assert code == 0
    assert out.startswith("entry 5: approve sha256:")
    code, out, _ = run(capsys, "ledger", "log", "--ledger", ledger)
    lines = out.splitlines()
    assert code == 0
    assert len(lines) == 5
    assert "production root 'Night Shift'" in lines[0] and "admin Ada Admin" in lines[0]
    assert "approve " + asset(1) in lines[4]
    assert "conditions: no promos" in lines[4]
    assert "\x1b" not in out  # control characters from a note never reach the terminal
    code, out, _ = run(capsys, "ledger", "log", "--ledger", ledger, "--format", "json")
    entries = json.loads(out)
    assert [e["entry"] for e in entries] == [1, 2, 3, 4, 5]
    assert entries[4]["statement"]["decision"] == "approve"
    assert entries[4]["statement"]["production"] == "Night Shift"
    assert entries[4]["prev_hash"] == entries[3]["entry_hash"]
    assert all(e["valid"] for e in entries)


def test_keys_list(ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "keys", "list", "--ledger", ledger, "--format", "json")
    listed = {k["name"]: k for k in json.loads(out)}
    assert code == 0
    assert {n: k["role"] for n, k in listed.items()} == {
        "Ada Admin": "admin", "Lea Legal": "legal", "Pat Producer": "producer",
        "Ed Editor": "editor"}
    assert listed["Lea Legal"]["key"] == keys["legal"].public_text


def test_init_refusals(ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str],
                       tmp_path: Path) -> None:
    code, _, err = run(capsys, "ledger", "init", "--ledger", ledger, "--admin-key",
                       keys.path("admin"))
    assert code == 2
    assert "already initialised" in err
    code, _, err = run(capsys, "ledger", "init", "--ledger", tmp_path / "new.sqlite",
                       "--admin-key", keys.path("legal"))
    assert code == 2
    assert "needs one made with" in err


def test_trust_and_revoke_rules(ledger: str, keys: Keys,
                                capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "keys", "trust", keys.path("legal"), "--by", keys.path("admin"),
                       "--ledger", ledger)
    assert code == 2
    assert "already trusted" in err
    code, _, err = run(capsys, "keys", "revoke", keys.path("admin"), "--by",
                       keys.path("admin"), "--ledger", ledger)
    assert code == 2
    assert "last admin" in err
    code, _, err = run(capsys, "keys", "revoke", keys.path("outsider"), "--by",
                       keys.path("admin"), "--ledger", ledger)
    assert code == 2
    assert "not a trusted key" in err
    code, _, err = run(capsys, "keys", "trust", keys.path("admin"), "--role", "legal", "--by",
                       keys.path("admin"), "--ledger", ledger)
    assert code == 2
    assert "last admin" in err
    code, out, _ = run(capsys, "keys", "trust", keys["outsider"].public_text, "--name",
                       "Oz", "--role", "producer", "--by", keys.path("admin"), "--ledger", ledger)
    assert code == 0
    assert "trusted Oz as producer" in out


def test_id_forms(ledger: str, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    digest = "0123456789ab" + "c" * 52
    full = "sha256:" + digest
    assert run(capsys, "approve", full, "--key", keys.path("legal"), "--ledger", ledger)[0] == 0
    for form in (digest[:12], "sha256:" + digest[:8]):
        code, out, err = run(capsys, "revoke", form, "--key", keys.path("legal"),
                             "--ledger", ledger)
        assert code == 0, err
        assert full in out
    # a segment id is matched exactly against a timeline, never widened to its asset
    code, _, err = run(capsys, "revoke", f"{digest[:12]}-V1-120", "--key", keys.path("legal"),
                       "--ledger", ledger)
    assert code == 2 and "--timeline" in err
    other = "sha256:" + "0123456789ff" + "d" * 52
    assert run(capsys, "approve", other, "--key", keys.path("legal"), "--ledger", ledger)[0] == 0
    code, _, err = run(capsys, "approve", "0123456789", "--key", keys.path("legal"),
                       "--ledger", ledger)
    assert code == 2
    assert "matches 2 assets" in err


def test_resolver_takes_extra_sources() -> None:
    full = "sha256:" + "ab" * 32
    assert resolve_asset_id("abababababab-A2-7", [], lambda: [("abababababab-A2-7", full)]) == full
    assert resolve_asset_id(full) == full
    with pytest.raises(UsageError):
        resolve_asset_id("abab", [lambda: [full]])


def test_bad_locations(tmp_path: Path, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "ledger", "verify", "--ledger", tmp_path / "typo.sqlite")
    assert code == 2
    assert "no ledger here" in err
    assert not (tmp_path / "typo.sqlite").exists()
    code, _, err = run(capsys, "ledger", "verify", "--ledger", "mysql://x@y/z")
    assert code == 2
    assert "unsupported ledger URL scheme" in err
    junk = tmp_path / "junk.sqlite"
    junk.write_text("this is not a database " * 100)
    code, _, err = run(capsys, "ledger", "verify", "--ledger", junk)
    assert code == 2
    assert "ledger unavailable" in err
    assert "\n" not in err.strip()
    code, _, err = run(capsys, "ledger", "verify", "--ledger",
                       "postgresql://nobody:secret@127.0.0.1:1/none")
    assert code == 2
    assert "secret" not in err
    assert "ledger unavailable" in err


def test_postgresql_url_uses_psycopg() -> None:
    assert to_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert to_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"


def test_location_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    timeline = tmp_path / "cut" / "reel1.otio"
    assert resolve_ledger(None, timeline) == str(tmp_path / "cut" / "aiclear-ledger.sqlite")
    monkeypatch.setenv("AICLEAR_LEDGER", "/srv/ledger.sqlite")
    assert resolve_ledger(None, timeline) == "/srv/ledger.sqlite"
    assert resolve_ledger("x.sqlite", timeline) == "x.sqlite"
    assert resolve_ledger(None, None) == "/srv/ledger.sqlite"
    monkeypatch.delenv("AICLEAR_LEDGER")
    assert resolve_ledger(None, None) is None


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_ledger_arguments(parser)
    return parser.parse_args(list(argv))


def test_view_from_args(tmp_path: Path, keys: Keys, capsys: pytest.CaptureFixture[str],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    timeline = tmp_path / "reel1.otio"
    assert view_from_args(_args(), timeline) is None  # no ledger beside it: all provisional
    with pytest.raises(LedgerError, match="no ledger here"):
        view_from_args(_args("--ledger", str(tmp_path / "typo.sqlite")), timeline)
    beside = tmp_path / "aiclear-ledger.sqlite"
    assert run(capsys, "ledger", "init", "--ledger", beside, "--admin-key",
               keys.path("admin"))[0] == 0
    assert run(capsys, "keys", "trust", keys.path("legal"), "--by", keys.path("admin"),
               "--ledger", beside)[0] == 0
    assert run(capsys, "approve", asset(1), "--key", keys.path("legal"), "--timeline",
               timeline)[0] == 0  # --timeline puts the ledger beside it
    view = view_from_args(_args(), timeline)
    assert view is not None
    assert view.decision(asset(1), frozenset({"legal"})) is not None
    monkeypatch.setenv("AICLEAR_LEDGER", str(tmp_path / "elsewhere.sqlite"))
    with pytest.raises(LedgerError):
        view_from_args(_args(), timeline)  # a named ledger that is missing is an error


def test_ledger_for_reads_each_ledger_once(tmp_path: Path, keys: Keys,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from aiclear.scan.settings import LedgerOptions, ledger_factory

    beside = tmp_path / "aiclear-ledger.sqlite"
    assert run(capsys, "ledger", "init", "--ledger", beside, "--admin-key",
               keys.path("admin"))[0] == 0
    lookup = ledger_factory(LedgerOptions(None))
    first = lookup(tmp_path / "reel1.otio")
    assert first is not None
    assert lookup(tmp_path / "reel2.otio") is first
    other = tmp_path / "elsewhere"
    other.mkdir()
    assert lookup(other / "reel3.otio") is None
