"""The hash chain: every ledger entry commits to the one before it.

``entry_hash = sha256(prev_hash + canonical({"seq", "statement", "signature"}))`` in hex,
with ``prev_hash`` of entry 1 being 64 zeros. Editing an entry changes its hash; deleting
one leaves a gap in ``seq`` and a ``prev_hash`` that points nowhere; deleting the last one
disagrees with the head row the store keeps beside the entries.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from aiclear.ledger.statement import canonical

GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True)
class Entry:
    """One stored row. ``body`` is the canonical JSON of the signed statement."""

    seq: int
    prev_hash: str
    entry_hash: str
    kind: str
    asset_id: str | None
    signer: str
    body: str
    signature: str

    def statement(self) -> dict[str, Any] | None:
        """The parsed statement, or None when the body is not a JSON object."""
        try:
            value = json.loads(self.body)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None


def compute_hash(prev_hash: str, seq: int, statement: dict[str, Any], signature: str) -> str:
    content = canonical({"seq": seq, "statement": statement, "signature": signature})
    return hashlib.sha256(prev_hash.encode("ascii") + content).hexdigest()


def make_entry(
    seq: int, prev_hash: str, statement: dict[str, Any], signature: str
) -> Entry:
    """The row to append after an entry whose hash is ``prev_hash``."""
    asset = statement.get("asset_id") if statement.get("kind") == "decision" else None
    return Entry(
        seq=seq,
        prev_hash=prev_hash,
        entry_hash=compute_hash(prev_hash, seq, statement, signature),
        kind=str(statement.get("kind")),
        asset_id=asset,
        signer=str(statement.get("signer")),
        body=canonical(statement).decode("utf-8"),
        signature=signature,
    )


def content_problem(entry: Entry, statement: dict[str, Any] | None) -> str | None:
    """Why this row no longer matches what was hashed, or None when it does."""
    if statement is None:
        return "body is not a JSON object"
    if canonical(statement).decode("utf-8") != entry.body:
        return "body was rewritten (not the canonical form that was hashed)"
    if compute_hash(entry.prev_hash, entry.seq, statement, entry.signature) != entry.entry_hash:
        return "content does not match its hash"
    expected = make_entry(entry.seq, entry.prev_hash, statement, entry.signature)
    for column in ("kind", "asset_id", "signer"):
        if getattr(expected, column) != getattr(entry, column):
            return f"column {column} does not match the signed statement"
    return None


def link_problem(entry: Entry, expected_seq: int, prev_hash: str) -> tuple[int, str] | None:
    """(entry number, why) when this row does not follow the previous one, else None."""
    if entry.seq > expected_seq:
        also = "" if entry.seq == expected_seq + 1 else f" with entries up to {entry.seq - 1}"
        jump = f"(it jumps from {expected_seq - 1} to {entry.seq})"
        return expected_seq, f"missing from the chain{also} {jump}"
    if entry.seq < expected_seq:
        return entry.seq, f"entry number {entry.seq} is out of order"
    if entry.prev_hash != prev_hash:
        return entry.seq, f"does not follow entry {expected_seq - 1} (its previous-hash differs)"
    return None
