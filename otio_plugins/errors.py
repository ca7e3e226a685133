"""The aiclear exception tree.

Every error a user can cause carries enough to print one line naming the file, the
place in it and what was expected. The CLI maps the tree to exit codes:
``InputError`` and ``UsageError`` -> 2, ``Blocked`` -> 1.

    AiclearError (OTIOError)
    ├── UsageError             bad command-line argument
    ├── InputError             a file we were given is unreadable or malformed
    │   ├── TimelineError
    │   ├── ProfileError
    │   ├── RegisterError
    │   └── MediaError
    ├── LedgerError            ledger unreachable, or its contents fail verification
    │   ├── LedgerTampered
    │   └── SigningKeyError
    ├── RenderError            ffmpeg missing or failed
    ├── ExecutorError          the batch executor (a Dask cluster) is unreachable or failed
    └── Blocked                a decision that refuses the action
        └── ExportBlocked      raised by the OTIO pre_adapter_write gate
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import opentimelineio as otio

if TYPE_CHECKING:
    from aiclear.model import Finding


class AiclearError(otio.exceptions.OTIOError):
    """Base of every error aiclear raises on purpose."""

    exit_code = 2


class UsageError(AiclearError):
    """A command-line argument or API argument is wrong."""


class InputError(AiclearError):
    """A file is unreadable or malformed.

    ``str(err)`` is the one-line message: ``path:place: problem (expected ...)``.
    """

    def __init__(
        self,
        path: str | Path | None,
        problem: str,
        *,
        place: str | int | None = None,
        expected: str | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.place = place
        self.problem = problem
        self.expected = expected
        super().__init__(self._line())

    def _line(self) -> str:
        where = self.path or "<input>"
        if self.place is not None:
            where += f":{self.place}"
        text = f"{where}: {self.problem}"
        if self.expected:
            text += f" (expected {self.expected})"
        return " ".join(text.split())  # one line, whatever the inputs held


class TimelineError(InputError):
    """A timeline cannot be read or walked."""


class ProfileError(InputError):
    """A policy profile is missing, malformed or fails its schema."""


class RegisterError(InputError):
    """A production AI register is malformed."""


class CatalogueError(InputError):
    """An approved-tools catalogue is missing or malformed."""


class MediaError(InputError):
    """A media file cannot be probed."""


class LedgerError(AiclearError):
    """The clearance ledger cannot be opened, read or written."""


class LedgerTampered(LedgerError):
    """A ledger entry fails its signature or hash-chain check."""

    def __init__(self, entry: int | str, problem: str) -> None:
        self.entry = entry
        self.problem = problem
        super().__init__(f"ledger entry {entry}: {problem}")


class SigningKeyError(LedgerError):
    """A key file is unreadable, or the key lacks the trust or role needed."""


class ExecutorError(AiclearError):
    """The batch executor cannot run the checks (e.g. no Dask scheduler at the address)."""


class RenderError(AiclearError):
    """ffmpeg is missing or a render failed."""


class Blocked(AiclearError):
    """An action was refused because something is unresolved."""

    exit_code = 1

    def __init__(self, message: str, findings: Sequence[Finding] = ()) -> None:
        self.findings = list(findings)
        super().__init__(message)


class ExportBlocked(Blocked):
    """Raised by the pre_adapter_write hook before any byte of a deliverable is written."""


__all__ = [
    "AiclearError",
    "Blocked",
    "ExportBlocked",
    "InputError",
    "LedgerError",
    "LedgerTampered",
    "MediaError",
    "ProfileError",
    "RegisterError",
    "RenderError",
    "SigningKeyError",
    "TimelineError",
    "UsageError",
]
