"""A real ledger for the session and panel tests: SQLite beside the timeline, real keys."""

from __future__ import annotations

from pathlib import Path

from aiclear.cli import main
from aiclear.ledger.keys import new_key, write_key


def make_ledger(folder: Path, production: str = "Night Shift") -> dict[str, Path]:
    """``aiclear-ledger.sqlite`` in ``folder`` trusting a legal, a producer and an editor key.

    Returns the key files by role ("admin", "legal", "producer", "editor")."""
    keys = {}
    for role, name in (("admin", "Ada Admin"), ("legal", "Lea Legal"), ("producer", "Pat Producer"),
                       ("editor", "Ed Editor")):
        keys[role] = folder / f"{role}.key"
        write_key(new_key(name, role), keys[role])
    ledger = str(folder / "aiclear-ledger.sqlite")
    assert main(["ledger", "init", "--ledger", ledger, "--admin-key", str(keys["admin"]),
                 "--production", production]) == 0
    for role in ("legal", "producer", "editor"):
        assert main(["keys", "trust", str(keys[role]), "--by", str(keys["admin"]),
                     "--ledger", ledger]) == 0
    return keys
