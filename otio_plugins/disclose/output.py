"""Atomic writes of disclosure files: a temp file beside the target, then ``os.replace``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from aiclear.errors import UsageError


def check_target(output: str | Path, *inputs: str | Path | None) -> Path:
    """The resolved output path; refuses to overwrite any of ``inputs``."""
    out = Path(output).resolve()
    for item in inputs:
        if item is not None and Path(item).resolve() == out:
            raise UsageError(f"{out}: refusing to overwrite an input file")
    if out.is_dir():
        raise UsageError(f"{out}: is a folder (expected a file name)")
    return out


def write_bytes(output: str | Path, data: bytes) -> Path:
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(name, 0o666 & ~mask)
        os.replace(name, out)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return out


def write_text(output: str | Path, text: str) -> Path:
    return write_bytes(output, text.encode("utf-8"))
