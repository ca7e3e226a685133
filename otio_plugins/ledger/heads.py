"""The highest verified head this machine has seen of each production's ledger.

Deleting the newest entries and rewinding the head row leaves a chain that verifies on
its own; only someone who saw the later state can tell. Every verification of a pinned
ledger compares its chain with the head remembered here (platformdirs user state,
``heads.json``) and then raises the remembered head: a ledger that ends before it, or whose
entry at that number has another hash, went backwards or was rewritten.
"""

from __future__ import annotations

import json
from pathlib import Path

from aiclear.model import JsonObject
from aiclear.safety.fileio import atomic_write

FILE = "heads.json"


def state_path() -> Path:
    import platformdirs

    return platformdirs.user_state_path("aiclear") / FILE


def remembered(production_id: str) -> tuple[int, str] | None:
    entry = _load().get(production_id)
    if not isinstance(entry, dict):
        return None
    try:
        return int(entry["seq"]), str(entry["hash"])
    except (KeyError, TypeError, ValueError):
        return None


def rollback_problem(production_id: str, hashes: dict[int, str], head: tuple[int, str],
                     location: str) -> str | None:
    """Why this chain is behind (or off) what this machine saw, or None."""
    seen = remembered(production_id)
    if seen is None:
        return None
    seq, digest = seen
    if head[0] < seq:
        return (f"ledger {location} went backwards: this machine verified entry {seq} "
                f"(head {digest[:16]}…) but the ledger now ends at entry {head[0]} "
                f"(head {head[1][:16]}…) — entries were deleted; restore it from a backup "
                "or a mirror ('aiclear ledger verify --mirror')")
    if hashes.get(seq) != digest:
        return (f"ledger {location} was rewritten: this machine verified entry {seq} as "
                f"{digest[:16]}… but it is now {str(hashes.get(seq, '-'))[:16]}… — restore "
                "it from a backup or a mirror ('aiclear ledger verify --mirror')")
    return None


def remember(production_id: str, root: str, head: tuple[int, str]) -> None:
    """Raise the remembered head (never lower it). Best effort: a read-only home folder
    must not stop a check, it only loses the rollback memory."""
    data = _load()
    old = remembered(production_id)
    if old is not None and old[0] >= head[0]:
        return
    data[production_id] = {"root": root, "seq": head[0], "hash": head[1]}
    path = state_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(data, indent=1, sort_keys=True) + "\n", mode=0o600)
    except OSError:
        return


def _load() -> JsonObject:
    try:
        data = json.loads(state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
