"""SQLite cache of per-file evidence, shared by every aiclear process of this user.

Keyed by the absolute path and a fingerprint of the probe configuration (probe version,
trust anchors, tool list); a row only counts while the file's device, inode, size,
mtime_ns and ctime_ns all still match, so an edited or replaced file is probed again, even
one of the same size whose mtime was set back (``touch -d``, ``os.utime``): the kernel
moves ctime on every write and every utime, and nobody can set it back short of changing
the clock. The cache only speeds up finding evidence: an identity read from it is hashed
again before it clears anything (``MediaResult.recheck``). WAL mode and a busy timeout let
several processes (parallel CI jobs, the panel and a CLI run) read and write it at once.
The cache is an optimisation: if it cannot be opened or written, probing carries on
without it and says so once on stderr.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from aiclear.media.c2pa_read import sidecar_signature
from aiclear.media.probe import FileProbe

log = logging.getLogger("aiclear.media")
FILENAME = "media-evidence-v2.sqlite3"  # v2: device, inode and ctime in the key
_BATCH = 500  # SQLite's host-parameter limit is 999 on old builds

_SCHEMA = """
CREATE TABLE IF NOT EXISTS evidence (
    path     TEXT NOT NULL,
    config   TEXT NOT NULL,
    dev      INTEGER NOT NULL,
    ino      INTEGER NOT NULL,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    sidecar  TEXT NOT NULL,
    result   TEXT NOT NULL,
    stored   REAL NOT NULL,
    PRIMARY KEY (path, config)
)
"""


def default_path() -> Path:
    return platformdirs.user_cache_path("aiclear") / FILENAME


@dataclass(frozen=True, slots=True)
class FileKey:
    path: str
    size: int
    mtime_ns: int
    sidecar: str = ""  # a .c2pa sidecar's name, size and mtime: adding or editing one counts
    dev: int = -1
    ino: int = -1
    ctime_ns: int = -1

    @classmethod
    def of(cls, path: str) -> FileKey:
        st = os.stat(path)
        return cls(path, st.st_size, st.st_mtime_ns, sidecar_signature(path), st.st_dev,
                   st.st_ino, st.st_ctime_ns)

    def stamp(self) -> tuple[int, int, int, int, int, str]:
        """Everything that must be unchanged for a cached row to count."""
        return (self.dev, self.ino, self.size, self.mtime_ns, self.ctime_ns, self.sidecar)


class EvidenceCache:
    """``get_many`` / ``put_many`` over one SQLite file; counts hits and misses."""

    def __init__(self, path: Path | None = None, config: str = "") -> None:
        self.path = path or default_path()
        self.config = config
        self.hits = 0
        self.misses = 0
        self.writes = 0
        self._db: sqlite3.Connection | None = None
        self._broken = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None or self._broken:
            return self._db
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute(_SCHEMA)
        except (sqlite3.Error, OSError) as err:
            self._give_up(err)
            return None
        self._db = db
        return db

    def _give_up(self, err: Exception) -> None:
        self._broken = True
        log.warning("aiclear: media cache %s unusable (%s); probing without it", self.path, err)

    def get_many(self, keys: Sequence[FileKey]) -> dict[str, FileProbe]:
        """Cached probes for the keys whose file is unchanged; the rest count as misses."""
        found: dict[str, FileProbe] = {}
        db = self._connect()
        wanted = {k.path: k for k in keys}
        if db is not None:
            try:
                for rows in _chunks(list(wanted), _BATCH):
                    marks = ",".join("?" * len(rows))
                    cur = db.execute(
                        f"SELECT path, dev, ino, size, mtime_ns, ctime_ns, sidecar, result "
                        f"FROM evidence WHERE config = ? AND path IN ({marks})",
                        [self.config, *rows])
                    for path, dev, ino, size, mtime_ns, ctime_ns, sidecar, result in cur:
                        if (dev, ino, size, mtime_ns, ctime_ns, sidecar) == wanted[path].stamp():
                            found[path] = FileProbe.from_json(json.loads(result))
            except (sqlite3.Error, ValueError, TypeError) as err:
                self._give_up(err)
                found = {}
        self.hits += len(found)
        self.misses += len(wanted) - len(found)
        return found

    def put_many(self, probes: Iterable[FileProbe]) -> None:
        rows = [(p.path, self.config, p.dev, p.ino, p.size, p.mtime_ns, p.ctime_ns,
                 p.sidecar_key, json.dumps(p.to_json()), time.time())
                for p in probes if p.cacheable and p.size >= 0]
        db = self._connect()
        if db is None or not rows:
            return
        try:
            with db:  # one transaction: a single fsync for the whole batch
                db.execute("BEGIN IMMEDIATE")
                db.executemany(
                    "INSERT OR REPLACE INTO evidence (path, config, dev, ino, size, mtime_ns, "
                    "ctime_ns, sidecar, result, stored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows)
        except sqlite3.Error as err:
            self._give_up(err)
            return
        self.writes += len(rows)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
