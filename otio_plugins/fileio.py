"""Atomic writes: a temp file in the target's folder, fsync, then rename over it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from aiclear.errors import UsageError


def atomic_write(path: str | Path, data: str | bytes, *, overwrite: bool = True) -> Path:
    path = Path(path)
    if not overwrite and path.exists():
        raise UsageError(f"{path}: exists; refusing to overwrite it (pass --force)")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def same_file(a: str | Path, b: str | Path) -> bool:
    """True when two paths name the same file (so an output would overwrite an input)."""
    pa, pb = Path(a), Path(b)
    try:
        return pa.exists() and pb.exists() and os.path.samefile(pa, pb)
    except OSError:
        return pa.resolve() == pb.resolve()
