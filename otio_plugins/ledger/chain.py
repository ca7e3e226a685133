"""The hash chain: every ledger entry commits to the one before it.

``entry_hash = sha256(prev_hash + canonical({"seq", "statement", "signature"}))`` in hex,
with ``prev_hash`` of entry 1 being 64 zeros. Editing an entry changes its hash; deleting
one leaves a gap in ``seq`` and a ``prev_hash`` that points nowhere; deleting the last one
disagrees with the head row the store keeps beside the entries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from aiclear.ledger.statement import canonical
from aiclear.model import JsonObject

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

    def statement(self) -> JsonObject | None:
        """The parsed statement, or None when the body is not a JSON object. Not yet
        validated: ``aiclear.ledger.keyring`` decides whether it is well formed."""
        try:
            value = json.loads(self.body)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None


def compute_hash(prev_hash: str, seq: int, statement: Mapping[str, object], signature: str
                 ) -> str:
    return body_hash(prev_hash, seq, canonical(statement).decode("utf-8"), signature)


def body_hash(prev_hash: str, seq: int, body: str, signature: str) -> str:
    """The same hash from the stored canonical body, without serialising it again:
    canonical({"seq", "signature", "statement"}) with keys in sorted order."""
    content = f'{{"seq":{int(seq)},"signature":{json.dumps(signature)},"statement":{body}}}'
    return hashlib.sha256(prev_hash.encode("ascii") + content.encode("utf-8")).hexdigest()


def index_columns(statement: Mapping[str, object]) -> tuple[str, object, str]:
    """kind, asset_id and signer: the columns that repeat the statement for lookups. The
    asset_id is returned as the statement holds it (text or None once the keyring accepted
    it), so ``content_problem`` compares the signed value itself with the column."""
    kind = str(statement.get("kind"))
    original = statement.get("original")
    if kind == "carried" and isinstance(original, dict):
        asset = original.get("asset_id")
    else:
        asset = statement.get("asset_id") if kind in ("decision", "declaration") else None
    return kind, asset, str(statement.get("signer"))


def make_entry(
    seq: int, prev_hash: str, statement: Mapping[str, object], signature: str
) -> Entry:
    """The row to append after an entry whose hash is ``prev_hash``."""
    kind, asset, signer = index_columns(statement)
    body = canonical(statement).decode("utf-8")
    return Entry(
        seq=seq,
        prev_hash=prev_hash,
        entry_hash=body_hash(prev_hash, seq, body, signature),
        kind=kind,
        asset_id=None if asset is None else str(asset),
        signer=signer,
        body=body,
        signature=signature,
    )


def content_problem(entry: Entry, statement: Mapping[str, object] | None) -> str | None:
    """Why this row no longer matches what was hashed, or None when it does."""
    if statement is None:
        return "body is not a JSON object"
    if canonical(statement).decode("utf-8") != entry.body:
        return "body was rewritten (not the canonical form that was hashed)"
    if body_hash(entry.prev_hash, entry.seq, entry.body, entry.signature) != entry.entry_hash:
        return "content does not match its hash"
    stored = (entry.kind, entry.asset_id, entry.signer)
    for column, want, got in zip(("kind", "asset_id", "signer"), index_columns(statement),
                                 stored, strict=True):
        if want != got:
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
