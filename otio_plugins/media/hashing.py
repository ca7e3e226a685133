"""Streamed sha256 of a media file: the ``asset_id`` that keys approvals in the ledger."""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 1 << 20  # 1 MiB: large enough to be fast, small enough for multi-GB camera files


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of the file's bytes, read in chunks (never the whole file in memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def asset_id(path: str | Path) -> str:
    """``sha256:<hex>`` of the file bytes."""
    return f"sha256:{sha256_file(path)}"  # same form as aiclear.timeline.ids.file_asset_id
