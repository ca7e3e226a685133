"""What an editor without legal, producer or admin keys can do to a ledger: read and write
its rows with plain SQL (sqlite3 for a file, any PostgreSQL client for a database),
recompute the unkeyed hashes, copy rows between ledgers. No aiclear code signs here."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import create_engine, text

from aiclear.ledger.chain import GENESIS_HASH, body_hash
from aiclear.ledger.location import is_url, to_url

COLUMNS = ("seq", "prev_hash", "entry_hash", "kind", "asset_id", "signer", "body", "signature")


def rows(location: str) -> list[dict[str, Any]]:
    query = f"SELECT {', '.join(COLUMNS)} FROM aiclear_entries ORDER BY seq"
    if not is_url(location):
        conn = sqlite3.connect(location)
        try:
            return [dict(zip(COLUMNS, r, strict=True)) for r in conn.execute(query)]
        finally:
            conn.close()
    engine = create_engine(to_url(location))
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(text(query))]
    finally:
        engine.dispose()


def execute(location: str, statements: list[tuple[str, dict[str, Any]]]) -> None:
    """Run SQL in one transaction, behind aiclear's back."""
    if not is_url(location):
        conn = sqlite3.connect(location)
        try:
            with conn:
                for sql, params in statements:
                    conn.execute(sql, params)
        finally:
            conn.close()
        return
    engine = create_engine(to_url(location))
    try:
        with engine.begin() as conn:
            for sql, params in statements:
                conn.execute(text(sql), params)
    finally:
        engine.dispose()


def rewrite(location: str, new_rows: list[dict[str, Any]]) -> None:
    """Replace every row, renumbered 1..n, each hash and link recomputed, the head moved:
    a chain that is perfect as far as unkeyed hashes go."""
    fixed, prev = [], GENESIS_HASH
    for number, row in enumerate(new_rows, start=1):
        row = dict(row, seq=number, prev_hash=prev)
        row["entry_hash"] = body_hash(prev, number, row["body"], row["signature"])
        fixed.append(row)
        prev = row["entry_hash"]
    insert = (f"INSERT INTO aiclear_entries ({', '.join(COLUMNS)}) VALUES "
              f"({', '.join(':' + c for c in COLUMNS)})")
    statements: list[tuple[str, dict[str, Any]]] = [("DELETE FROM aiclear_entries", {})]
    statements += [(insert, row) for row in fixed]
    statements.append(("UPDATE aiclear_head SET seq = :seq, entry_hash = :h",
                       {"seq": len(fixed), "h": prev}))
    execute(location, statements)


def append_copy(location: str, row: dict[str, Any]) -> int:
    """Append a copy of ``row`` (from this or another ledger) as the newest entry."""
    existing = rows(location)
    rewrite(location, [*existing, row])
    return len(existing) + 1


def drop(location: str, seqs: set[int]) -> None:
    """Delete entries and renumber the rest, recomputing every hash and the head."""
    rewrite(location, [r for r in rows(location) if r["seq"] not in seqs])
