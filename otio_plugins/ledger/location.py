"""Where the ledger lives: ``--ledger PATH|URL``, else ``AICLEAR_LEDGER``, else a SQLite
file ``aiclear-ledger.sqlite`` beside the timeline."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from aiclear.errors import UsageError

ENV = "AICLEAR_LEDGER"
DEFAULT_NAME = "aiclear-ledger.sqlite"
_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg")


def resolve_ledger(arg: str | None, timeline_path: str | Path | None) -> str | None:
    """The ledger location to use, or None when none was given and there is no timeline."""
    if arg:
        return arg
    env = os.environ.get(ENV, "").strip()
    if env:
        return env
    if timeline_path is not None:
        return str(Path(timeline_path).resolve().parent / DEFAULT_NAME)
    return None


def is_url(location: str) -> bool:
    return "://" in location


def to_url(location: str) -> URL:
    """A SQLAlchemy URL for a path or a sqlite:// / postgresql:// URL (psycopg driver)."""
    if not is_url(location):
        return URL.create("sqlite", database=str(Path(location).expanduser().resolve()))
    try:
        url = make_url(location)
    except ArgumentError as err:
        raise UsageError(f"bad ledger URL {redact(location)!r}") from err
    if url.drivername not in _SCHEMES:
        raise UsageError(
            f"unsupported ledger URL scheme {url.drivername!r} "
            "(expected a file path, sqlite:///PATH or postgresql://USER@HOST/DB)"
        )
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")  # psycopg 3, not psycopg2
    return url


def sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL (None for PostgreSQL or an in-memory database)."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def redact(location: str) -> str:
    """The location with any password hidden, for messages."""
    if not is_url(location):
        return location
    try:
        return make_url(location).render_as_string(hide_password=True)
    except ArgumentError:
        return location.split("://", 1)[0] + "://…"
