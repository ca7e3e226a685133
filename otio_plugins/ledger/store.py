"""Ledger storage: SQLite by default, PostgreSQL for a facility (SQLAlchemy Core).

Appends are serialised so concurrent writers never fork the chain: SQLite takes the
write lock up front (``BEGIN IMMEDIATE``, with WAL and a busy timeout so readers keep
reading and writers queue), PostgreSQL takes a transaction-scoped advisory lock. The
primary key on ``seq`` is the last line of defence: a second entry with the same number
fails to insert. Migrations run on open, under the same lock.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, insert, select, text, update
from sqlalchemy.engine import URL, RowMapping
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry

from aiclear.errors import LedgerError, SigningKeyError
from aiclear.ledger import tables
from aiclear.ledger.audit import Audit, audit
from aiclear.ledger.chain import GENESIS_HASH, Entry, make_entry
from aiclear.ledger.envelope import sign_entry
from aiclear.ledger.keyring import Keyring, Problem
from aiclear.ledger.keys import SigningKey
from aiclear.ledger.location import redact, sqlite_path, to_url
from aiclear.ledger.migrations import SCRIPT_LOCATION, VERSION_TABLE
from aiclear.ledger.statement import CLOCK_SKEW, LEGACY_VERSION, Statement, parse_time
from aiclear.model import JsonObject

if TYPE_CHECKING:
    import sqlite3

BUSY_TIMEOUT_S = 60  # 8 busy writers queue for well under this
_PG_LOCK_KEY = 0x61696C6564676572  # "ailedger": one advisory lock for ledger writes


class LedgerStore:
    """An open ledger. ``open_store`` builds one; ``close()`` releases its connections."""

    def __init__(self, engine: Engine, location: str) -> None:
        self.engine = engine
        self.location = location

    # -- reading --------------------------------------------------------------------
    def entries(self) -> list[Entry]:
        with self._read() as conn:
            rows = conn.execute(select(tables.entries).order_by(tables.entries.c.seq))
            return [_entry(row._mapping) for row in rows]

    def head(self) -> tuple[int, str] | None:
        with self._read() as conn:
            return _head(conn)

    def audit(self) -> Audit:
        """Everything verified in one read of the table."""
        with self._read() as conn:
            rows = conn.execute(select(tables.entries).order_by(tables.entries.c.seq))
            entries = [_entry(row._mapping) for row in rows]
            return audit(entries, _head(conn))

    def keyring(self) -> Keyring:
        with self._read() as conn:
            return _keyring(conn)

    def known_assets(self) -> list[str]:
        query = select(tables.entries.c.asset_id).where(tables.entries.c.asset_id.is_not(None))
        with self._read() as conn:
            return sorted({str(r[0]) for r in conn.execute(query.distinct())})

    def is_empty(self) -> bool:
        return self.head() is None and not self.entries()

    # -- writing --------------------------------------------------------------------
    def append(self, statement: JsonObject, key: SigningKey) -> Entry:
        """Sign ``statement`` into the next place of the chain and append it, after
        checking it as verification will (keyring, roles, schema, time)."""
        with self._write() as conn:
            return self._append_in(conn, statement, key)

    def upgrade(self, build: Callable[[list[Entry]], list[JsonObject]],
                key: SigningKey) -> list[Entry]:
        """Re-anchor a schema-1 chain in one transaction: its rows move, untouched, to
        ``aiclear_legacy_entries``; ``build(old entries)`` gives the new chain's statements
        (a root first), each signed into place by ``key``."""
        with self._write() as conn:
            old = [_entry(r._mapping) for r in
                   conn.execute(select(tables.entries).order_by(tables.entries.c.seq))]
            if conn.execute(select(tables.legacy_entries.c.seq).limit(1)).first() is not None:
                raise LedgerError(f"{self.location}: already upgraded once (legacy entries kept)")
            for entry in old:
                conn.execute(insert(tables.legacy_entries).values(**_row(entry)))
            conn.execute(tables.entries.delete())
            conn.execute(tables.head.delete())
            return [self._append_in(conn, statement, key) for statement in build(old)]

    def legacy_entries(self) -> list[Entry]:
        query = select(tables.legacy_entries).order_by(tables.legacy_entries.c.seq)
        with self._read() as conn:
            return [_entry(r._mapping) for r in conn.execute(query)]

    def _append_in(self, conn: Connection, statement: JsonObject, key: SigningKey
                   ) -> Entry:
        seq, prev_hash = _tail(conn, self.location)
        keyring = _keyring(conn)
        keyring.last_time = _last_time(conn) or keyring.last_time
        if keyring.schema == LEGACY_VERSION:
            raise LedgerError(f"{self.location}: a schema-1 (legacy) ledger is read-only; "
                              "run 'aiclear ledger upgrade --key ADMIN.key'")
        production = statement.get("production_id") if seq == 0 else keyring.production_id
        signature = sign_entry(key, str(production), seq + 1, prev_hash, statement)
        admitted = keyring.admit(seq + 1, statement, signature, prev_hash)
        problem = (admitted if isinstance(admitted, Problem)
                   else _future_problem(seq + 1, admitted))
        if problem is not None:
            raise SigningKeyError(f"refused: {problem.message}")
        entry = make_entry(seq + 1, prev_hash, statement, signature)
        self._insert(conn, entry)
        return entry

    def append_raw(self, entries: list[Entry]) -> None:
        """Copy already-signed entries as they are (a mirror); they must extend the chain."""
        with self._write() as conn:
            seq, prev_hash = _tail(conn, self.location)
            for entry in entries:
                if entry.seq != seq + 1 or entry.prev_hash != prev_hash:
                    raise LedgerError(f"{self.location}: entry {entry.seq} does not extend "
                                      f"this copy (it ends at entry {seq})")
                self._insert(conn, entry)
                seq, prev_hash = entry.seq, entry.entry_hash

    @staticmethod
    def _insert(conn: Connection, entry: Entry) -> None:
        conn.execute(insert(tables.entries).values(**_row(entry)))
        values = {"seq": entry.seq, "entry_hash": entry.entry_hash}
        if entry.seq == 1:
            conn.execute(insert(tables.head).values(id=1, **values))
        else:
            conn.execute(update(tables.head).where(tables.head.c.id == 1).values(**values))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> LedgerStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -----------------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except SQLAlchemyError as err:
            raise _ledger_error(self.location, err) from err

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with _locked(self.engine) as conn:
                yield conn
        except SQLAlchemyError as err:
            raise _ledger_error(self.location, err) from err


def open_store(location: str, *, create: bool = False) -> LedgerStore:
    """Open (and migrate) the ledger at a path or URL.

    ``create`` allows a new SQLite file; without it a missing file is an error, so a typo
    in ``--ledger`` never silently starts an empty ledger."""
    url = to_url(location)
    path = sqlite_path(url)
    if path is not None:
        _check_sqlite_path(path, create)
    engine = _engine(url)
    store = LedgerStore(engine, redact(location))
    try:
        _migrate(engine)
    except SQLAlchemyError as err:
        engine.dispose()
        raise _ledger_error(store.location, err) from err
    except BaseException:
        engine.dispose()
        raise
    return store


def _check_sqlite_path(path: Path, create: bool) -> None:
    if path.exists():
        if not path.is_file():
            raise LedgerError(f"{path}: not a file (expected a SQLite ledger)")
        return
    if not create:
        raise LedgerError(f"{path}: no ledger here (create one with 'aiclear ledger init')")
    if not path.parent.is_dir():
        raise LedgerError(f"{path}: folder {path.parent} does not exist")


def _engine(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_size=2, max_overflow=2)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        cur.execute("PRAGMA trusted_schema=OFF")  # a hostile file's triggers stay inert
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # an approval survives a power cut
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("aiclear_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the ledger's write lock until it commits."""
    with engine.connect() as conn:
        conn.execution_options(aiclear_write=True)
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            yield conn


@cache
def _head_revision() -> str | None:
    return ScriptDirectory(SCRIPT_LOCATION).get_current_head()


def _current_revision(conn: Connection) -> str | None:
    ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
    return ctx.get_current_revision()


def _migrate(engine: Engine) -> None:
    with engine.connect() as conn:
        if _current_revision(conn) == _head_revision():
            return
    with _locked(engine) as conn:  # another process may be migrating the same ledger
        if _current_revision(conn) == _head_revision():
            return
        config = Config()
        config.set_main_option("script_location", SCRIPT_LOCATION)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def _head(conn: Connection) -> tuple[int, str] | None:
    row = conn.execute(select(tables.head.c.seq, tables.head.c.entry_hash)).first()
    return (int(row[0]), str(row[1])) if row else None


def _tail(conn: Connection, location: str) -> tuple[int, str]:
    """Number and hash of the newest entry; refuse to extend a damaged chain."""
    head = _head(conn)
    last = conn.execute(
        select(tables.entries.c.seq, tables.entries.c.entry_hash)
        .order_by(tables.entries.c.seq.desc())
        .limit(1)
    ).first()
    found = (int(last[0]), str(last[1])) if last else None
    if head != found:
        raise LedgerError(
            f"{location}: the newest entry does not match the ledger head; "
            "run 'aiclear ledger verify' (refusing to extend a damaged chain)"
        )
    return found or (0, GENESIS_HASH)


#: the entry kinds that change the keyring or the production's pins
_KEYRING_KINDS = ("keyring", "root", "policy", "catalogue")


def _keyring(conn: Connection) -> Keyring:
    """Replay the keyring entries only (cheap: a handful of rows)."""
    keyring = Keyring()
    query = (
        select(tables.entries)
        .where(tables.entries.c.kind.in_(_KEYRING_KINDS))
        .order_by(tables.entries.c.seq)
    )
    for row in conn.execute(query):
        entry = _entry(row._mapping)
        statement = entry.statement()
        if statement is None or statement.get("kind") not in _KEYRING_KINDS:
            continue
        admitted = keyring.admit(entry.seq, statement, entry.signature, entry.prev_hash)
        if not isinstance(admitted, Problem):
            keyring.apply(entry.seq, admitted)
    return keyring


def _last_time(conn: Connection) -> datetime | None:
    row = conn.execute(select(tables.entries.c.body).order_by(tables.entries.c.seq.desc())
                       .limit(1)).first()
    if row is None:
        return None
    try:
        return parse_time(json.loads(str(row[0])).get("time"))
    except (ValueError, AttributeError):
        return None


def _future_problem(seq: int, statement: Statement) -> Problem | None:
    """A statement dated ahead of this machine's clock would fence out honest entries."""
    moment = parse_time(statement["time"])
    if moment is not None and moment > datetime.now(UTC) + CLOCK_SKEW:
        return Problem(seq, "ledger.out_of_order", f"dated {statement['time']}, in the future")
    return None


def _entry(row: RowMapping) -> Entry:
    return Entry(
        seq=int(row["seq"]),
        prev_hash=str(row["prev_hash"]),
        entry_hash=str(row["entry_hash"]),
        kind=str(row["kind"]),
        asset_id=row["asset_id"],
        signer=str(row["signer"]),
        body=str(row["body"]),
        signature=str(row["signature"]),
    )


def _row(entry: Entry) -> dict[str, int | str | None]:
    return {
        "seq": entry.seq,
        "prev_hash": entry.prev_hash,
        "entry_hash": entry.entry_hash,
        "kind": entry.kind,
        "asset_id": entry.asset_id,
        "signer": entry.signer,
        "body": entry.body,
        "signature": entry.signature,
    }


def _ledger_error(location: str, err: SQLAlchemyError) -> LedgerError:
    detail = str(getattr(err, "orig", None) or err).strip().splitlines()
    first = detail[0] if detail else type(err).__name__
    return LedgerError(f"{location}: ledger unavailable ({first})")
