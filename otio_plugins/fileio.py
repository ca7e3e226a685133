"""Output files: where a command may write, and atomic writes (temp file + rename)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from aiclear.errors import UsageError

STDOUT = "-"


def output_target(output: str | Path, *inputs: str | Path) -> Path:
    """Where to write ``-o OUTPUT``: never an input, a folder, a device or a process file.

    An atomic rename over ``/dev/stdout`` would replace the device link itself, so
    devices are refused (``-o -`` writes to stdout); a symlink to a file is followed.
    """
    given = Path(output).absolute()
    out = given.resolve()
    if any(p.parts[1:2] in (("dev",), ("proc",)) for p in (given, out)):
        raise UsageError(f"{output}: is a device or process file (use -o - for stdout)")
    for item in inputs:
        if same_file(out, item):
            raise UsageError(f"{output}: refusing to overwrite the input {item}")
    if out.exists() and not out.is_file():
        raise UsageError(f"{output}: is not a regular file (expected a file name; "
                         "use -o - for stdout)")
    if not out.parent.is_dir():
        raise UsageError(f"{output}: folder {out.parent} does not exist")
    return out


def write_output(output: str | None, text: str, *inputs: str | Path) -> None:
    """``-o FILE`` atomically, or stdout for ``-o -`` and no ``-o`` at all."""
    if output in (None, STDOUT):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    atomic_write(output_target(output, *inputs), text)


def atomic_write(path: str | Path, data: str | bytes, *, overwrite: bool = True,
                 mode: int | None = None) -> Path:
    """Write ``data`` to a temp file beside ``path``, fsync it, then rename it over ``path``:
    a reader (or a crash) sees the old file or the new one, never half of one. ``mode``
    defaults to what the umask gives an ordinary file (0600 for secrets)."""
    path = Path(path)
    if not overwrite and path.exists():
        raise UsageError(f"{path}: exists; refusing to overwrite it (pass --force)")
    if path.exists() and not path.is_file():
        raise UsageError(f"{path}: is not a regular file; refusing to replace it")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _default_mode() if mode is None else mode)  # mkstemp makes 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def ordinary_mode() -> int:
    """The mode the umask gives an ordinary new file (0644 under umask 022): for outputs
    written through a temporary file, which ``mkstemp`` makes 0600."""
    return _default_mode()


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def same_file(a: str | Path, b: str | Path) -> bool:
    """True when two paths name the same file (so an output would overwrite an input)."""
    pa, pb = Path(a), Path(b)
    try:
        return pa.exists() and pb.exists() and os.path.samefile(pa, pb)
    except OSError:
        return pa.resolve() == pb.resolve()
