"""Media identity: the content hash of the bytes aiclear read, which keys approvals.

- ``blake3:<hex>`` (256-bit BLAKE3 of the file bytes) is the identity of every file read
  today. BLAKE3 is a cryptographic hash that runs several times faster than sha256 on one
  core (bench/identity.py), so identity stays at disk speed. One thread per file: the
  probe pool already hashes one file per core, and BLAKE3's own threads cost ~15 % more
  CPU for no wall-clock gain on a busy machine (measured by the bench).
- An image sequence is one asset: ``blake3:`` of the ordered list of its frames' digests
  (``sequence_id``), so regenerating any frame, or reordering them, changes the id.
- ``sha256:<hex>`` is the identity of ledgers written before BLAKE3. It is computed only
  when a lookup needs it (a blake3 id with no decision, a register entry keyed by sha256),
  never for image sequences (those were identified by their first frame only: re-approve).

Files are read with ``readinto`` into one reused buffer, not mmapped: a hostile file
truncated while mapped would kill the process with SIGBUS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import blake3

CHUNK = 1 << 20  # sha256: 1 MiB chunks
BLAKE3_CHUNK = 8 << 20  # BLAKE3: 8 MiB reads into one reused buffer
CONTENT = "blake3"
LEGACY = "sha256"
SEQUENCE_DOMAIN = b"aiclear image sequence v1\n"


def blake3_file(path: str | Path) -> str:
    """Hex BLAKE3 of the file's bytes, streamed."""
    digest = blake3.blake3()
    with open(path, "rb", buffering=0) as fh:
        buf = bytearray(BLAKE3_CHUNK)
        view = memoryview(buf)
        while n := fh.readinto(buf):
            digest.update(view[:n])
    return digest.hexdigest()


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of the file's bytes, read in chunks (never the whole file in memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def asset_id(path: str | Path) -> str:
    """``blake3:<hex>`` of the file bytes: the identity approvals are signed for."""
    return f"{CONTENT}:{blake3_file(path)}"


def legacy_id(path: str | Path) -> str:
    """``sha256:<hex>`` of the file bytes: the identity in ledgers from before BLAKE3."""
    return f"{LEGACY}:{sha256_file(path)}"


def sequence_id(frame_ids: Iterable[str]) -> str:
    """One identity for an ordered image sequence from its frames' content ids."""
    digest = blake3.blake3(SEQUENCE_DOMAIN)
    count = 0
    for frame in frame_ids:
        kind, _, hex_digest = frame.partition(":")
        if kind != CONTENT or len(hex_digest) != 64:
            raise ValueError(f"not a frame identity: {frame!r}")
        digest.update(bytes.fromhex(hex_digest))
        count += 1
    digest.update(count.to_bytes(8, "big"))
    return f"{CONTENT}:{digest.hexdigest()}"


def is_content_id(asset: str | None) -> bool:
    """True for an identity computed from media bytes (not a ``ref:`` or a stranger)."""
    kind, _, hex_digest = (asset or "").partition(":")
    return kind in (CONTENT, LEGACY) and len(hex_digest) == 64

