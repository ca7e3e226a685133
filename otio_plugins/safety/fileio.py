"""Output files: where a command may write, and atomic writes (temp file + rename).

An output never goes through a symbolic link (``-o labels.srt`` where labels.srt points
at the ledger would otherwise replace the ledger), never lands on an input of the command,
and never replaces a file that is a SQLite database (a ledger, a cache) or an aiclear or
PEM private key, whatever its name: the first bytes are sniffed.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from aiclear.errors import UsageError

STDOUT = "-"


SQLITE_MAGIC = b"SQLite format 3\x00"
KEY_MARKS = (b"# aiclear signing key", b"PRIVATE KEY-----")
_SNIFF = 4096


def output_target(output: str | Path, *inputs: str | Path) -> Path:
    """Where to write ``-o OUTPUT``: never an input, a folder, a device, a process file, a
    symbolic link, a ledger or a key (``check_target``).

    An atomic rename over ``/dev/stdout`` would replace the device link itself, so
    devices are refused (``-o -`` writes to stdout). The path is returned as given (made
    absolute), never resolved: what is written is that name, not what a link names.
    """
    given = Path(output).absolute()
    if given.parts[1:2] in (("dev",), ("proc",)) or given.resolve().parts[1:2] in (
            ("dev",), ("proc",)):
        raise UsageError(f"{output}: is a device or process file (use -o - for stdout)")
    check_target(given, *inputs, shown=output)
    if not given.parent.is_dir():
        raise UsageError(f"{output}: folder {given.parent} does not exist")
    return given


def check_target(path: str | Path, *inputs: str | Path, shown: str | Path | None = None) -> None:
    """Refuse, in one line, to write ``path`` when it is a symbolic link, not a regular
    file, one of ``inputs``, a SQLite database or a private key file."""
    path = Path(path)
    name = shown if shown is not None else path
    if path.is_symlink():
        raise UsageError(f"{name}: is a symbolic link; refusing to write through it "
                         "(remove the link or choose another name)")
    for item in inputs:
        if same_file(path, item):
            raise UsageError(f"{name}: refusing to overwrite the input {item}")
    if not os.path.lexists(path):
        return
    if not path.is_file():
        raise UsageError(f"{name}: is not a regular file (expected a file name; "
                         "use -o - for stdout)")
    kind = _protected(path)
    if kind:
        raise UsageError(f"{name}: is {kind}; refusing to overwrite it")


def _protected(path: Path) -> str | None:
    """What a file we must never overwrite is, from its first bytes."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF)
    except OSError:
        return None  # unreadable: the write itself will say why
    if head.startswith(SQLITE_MAGIC):
        return "a SQLite database (an aiclear ledger or cache)"
    if any(mark in head for mark in KEY_MARKS):
        return "a private key file"
    return None


def write_output(output: str | None, text: str, *inputs: str | Path) -> None:
    """``-o FILE`` atomically, or stdout for ``-o -`` and no ``-o`` at all."""
    if output in (None, STDOUT):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    atomic_write(output_target(output, *inputs), text)


@contextmanager
def atomic_stream(path: str | Path, *, mode: int | None = None) -> Iterator[BinaryIO]:
    """Yield a temp file beside ``path``; on success it is fsynced and renamed over ``path``
    (a reader or a crash sees the old file or the new one), on failure removed. Never
    through a symlink, never over something that is not a regular file. ``atomic_write``
    for output too large to hold in memory (a signed master)."""
    path = Path(path)
    if path.is_symlink():  # os.replace would swap the link; never write through one either
        raise UsageError(f"{path}: is a symbolic link; refusing to write through it "
                         "(remove the link or choose another name)")
    if path.exists() and not path.is_file():
        raise UsageError(f"{path}: is not a regular file; refusing to replace it")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _default_mode() if mode is None else mode)  # mkstemp makes 0600
        with os.fdopen(fd, "w+b") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: str | Path, data: str | bytes, *, overwrite: bool = True,
                 mode: int | None = None) -> Path:
    """Write ``data`` to a temp file beside ``path``, fsync it, then rename it over ``path``:
    a reader (or a crash) sees the old file or the new one, never half of one. ``mode``
    defaults to what the umask gives an ordinary file (0600 for secrets)."""
    path = Path(path)
    if not overwrite and path.exists() and not path.is_symlink():
        raise UsageError(f"{path}: exists; refusing to overwrite it (pass --force)")
    with atomic_stream(path, mode=mode) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
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
