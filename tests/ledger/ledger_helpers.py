"""Helpers for the ledger tests: run the CLI in-process, write raw rows the way an
attacker with database access would, and the worker of the concurrency test."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, insert, select, text, update

from aiclear.cli import main
from aiclear.ledger import tables
from aiclear.ledger.chain import GENESIS_HASH, make_entry
from aiclear.ledger.envelope import sign_entry
from aiclear.ledger.keys import SigningKey, load_key
from aiclear.ledger.location import is_url, to_url
from aiclear.ledger.statement import decision_statement
from aiclear.ledger.store import open_store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``aiclear ARGV`` in-process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def asset(n: int) -> str:
    return "sha256:" + f"{n:064x}"


def raw_sql(location: str, sql: str, params: dict[str, Any] | None = None) -> None:
    """Change the database behind the ledger's back (stdlib sqlite3 for a file).
    Parameters are named ``:name`` (both drivers accept that form here)."""
    if not is_url(location):
        conn = sqlite3.connect(location)
        try:
            with conn:
                conn.execute(sql, params or {})
        finally:
            conn.close()
        return
    engine = create_engine(to_url(location))
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params or {})
    finally:
        engine.dispose()


def production_id(location: str) -> str:
    with open_store(location) as store:
        return store.keyring().production_id


def forge_append(location: str, statement: dict[str, Any], key: SigningKey | str) -> int:
    """Append a well-chained row without the checks a real client makes: signed into its
    place by ``key`` (a stolen or editor key), or with a given signature text."""
    pid = production_id(location)
    engine = create_engine(to_url(location))
    try:
        with engine.begin() as conn:
            row = conn.execute(select(tables.head.c.seq, tables.head.c.entry_hash)).first()
            seq, prev = (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)
            signature = key if isinstance(key, str) else sign_entry(key, pid, seq + 1, prev,
                                                                     statement)
            entry = make_entry(seq + 1, prev, statement, signature)
            conn.execute(insert(tables.entries).values(
                seq=entry.seq, prev_hash=entry.prev_hash, entry_hash=entry.entry_hash,
                kind=entry.kind, asset_id=entry.asset_id, signer=entry.signer,
                body=entry.body, signature=entry.signature))
            conn.execute(update(tables.head).values(seq=entry.seq, entry_hash=entry.entry_hash))
            return entry.seq
    finally:
        engine.dispose()


def approve_many(location: str, key_path: str, worker: int, count: int) -> list[int]:
    """Concurrency worker: ``count`` separate approvals, each its own transaction."""
    key: SigningKey = load_key(Path(key_path))
    seqs = []
    with open_store(location) as store:
        production = store.keyring().production
        for i in range(count):
            statement = decision_statement(key, asset_id=asset(worker * 1000 + i),
                                           decision="approve", production=production,
                                           note=f"worker {worker}")
            seqs.append(store.append(statement, key).seq)
    return seqs
