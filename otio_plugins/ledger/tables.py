"""The ledger's tables (SQLAlchemy Core). Migrations in ``migrations/`` create them."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, Text

metadata = MetaData()

#: One row per chain entry; ``body`` is the canonical JSON that was signed and hashed.
#: ``kind``, ``asset_id`` and ``signer`` repeat fields of the body for lookups only.
entries = Table(
    "aiclear_entries",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("asset_id", String(255), nullable=True, index=True),
    Column("signer", String(80), nullable=False),
    Column("body", Text, nullable=False),
    Column("signature", String(128), nullable=False),
)

#: A schema-1 chain kept as it was by ``aiclear ledger upgrade`` (same columns as entries);
#: the new chain's ``carried`` entries name these rows by number and hash.
legacy_entries = Table(
    "aiclear_legacy_entries",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("asset_id", String(255), nullable=True),
    Column("signer", String(80), nullable=False),
    Column("body", Text, nullable=False),
    Column("signature", String(128), nullable=False),
)

#: A single row (id 1) naming the newest entry, written in the same transaction as it.
head = Table(
    "aiclear_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("entry_hash", String(64), nullable=False),
)
