"""Which production roots this machine trusts: pins, not discovery.

A ledger clears only when the fingerprint of its production root (entry 1) is pinned:

- the administrator's system-wide pins, ``/etc/aiclear/trusted-roots`` — where that file
  exists it *replaces* every per-user pin (an editor cannot write it);
- otherwise the user's pins, ``trusted-roots`` in the platformdirs user config folder
  (``aiclear ledger init`` pins the root it creates; ``aiclear ledger pin FP`` adds one);
- ``--trust-root FP`` (or ``AICLEAR_TRUST_ROOT``, or the hook map's ``trust_root``) pins
  exactly one root for one run; under a system pin file it can only narrow, never add.

A pin file holds one 64-hex fingerprint per line, optionally followed by a comment.
``AICLEAR_SYSTEM_PINS`` may point at another system file (a test rig, an unusual install)
but is honoured only when neither the file nor any folder above it is writable by the
current user: the editor controls their environment, so a path they could write is no pin.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from aiclear.errors import UsageError
from aiclear.safety.fileio import atomic_write

SYSTEM_PINS = Path("/etc/aiclear/trusted-roots")
ENV_SYSTEM_PINS = "AICLEAR_SYSTEM_PINS"
ENV_TRUST_ROOT = "AICLEAR_TRUST_ROOT"
PIN_FILE = "trusted-roots"
_FP = re.compile(r"^[0-9a-f]{64}$")
_MAX_PIN_FILE = 1024 * 1024


@dataclass(frozen=True, slots=True)
class PinSet:
    """The roots that count for this run and where that answer came from."""

    fingerprints: frozenset[str]
    source: str  # "system" | "user" | "trust-root"
    path: str = ""  # the pin file, for messages
    trust_root: str = ""  # the --trust-root of this run, if any

    def pins(self, fingerprint: str) -> bool:
        return fingerprint in self.fingerprints


def check_fingerprint(text: str) -> str:
    fp = str(text).strip().lower()
    if not _FP.match(fp):
        raise UsageError(f"bad root fingerprint {text!r} (expected the 64 hex digits "
                         "printed by 'aiclear ledger init' or 'aiclear ledger root')")
    return fp


def user_pin_path() -> Path:
    import platformdirs

    return platformdirs.user_config_path("aiclear") / PIN_FILE


def system_pin_path() -> Path:
    """The system pin file: the module constant, or an override nobody here can write."""
    override = os.environ.get(ENV_SYSTEM_PINS, "").strip()
    if override and _unwritable(Path(override)):
        return Path(override)
    return SYSTEM_PINS


def read_pins(path: Path) -> dict[str, str]:
    """fingerprint -> comment; an absent file is no pins, a bad line is an error."""
    try:
        if path.stat().st_size > _MAX_PIN_FILE:
            raise UsageError(f"{path}: too large for a pin file")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"{path}: cannot read pin file ({err})") from err
    pins: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        body = line.strip()
        if not body or body.startswith("#"):
            continue
        fp, _, comment = body.partition(" ")
        if not _FP.match(fp):
            raise UsageError(f"{path}:{number}: expected a 64-hex root fingerprint")
        pins[fp] = comment.strip().lstrip("#").strip()
    return pins


def applicable(trust_root: str | None = None) -> PinSet:
    """The pins this run honours (see the module doc)."""
    given = trust_root if trust_root is not None else os.environ.get(ENV_TRUST_ROOT, "")
    run_pin = check_fingerprint(given) if given and given.strip() else ""
    system = system_pin_path()
    if system.exists():
        pins = frozenset(read_pins(system))
        if run_pin:
            pins = pins & {run_pin}
        return PinSet(pins, "system", str(system), run_pin)
    if run_pin:
        return PinSet(frozenset({run_pin}), "trust-root", "", run_pin)
    user = user_pin_path()
    return PinSet(frozenset(read_pins(user)), "user", str(user))


applicable_pins = applicable  # the name aiclear.ledger exports


def pin_for_user(fingerprint: str, comment: str = "") -> Path:
    """Add a pin to the user's file (atomically; keeps the others)."""
    fp = check_fingerprint(fingerprint)
    path = user_pin_path()
    pins = read_pins(path)
    pins[fp] = " ".join(comment.split())
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{k}  # {v}" if v else k for k, v in pins.items()]
    atomic_write(path, "\n".join(lines) + "\n")
    return path


def unpin_for_user(fingerprint: str) -> bool:
    fp = check_fingerprint(fingerprint)
    path = user_pin_path()
    pins = read_pins(path)
    if pins.pop(fp, None) is None:
        return False
    atomic_write(path, "".join(f"{k}  # {v}\n" if v else f"{k}\n" for k, v in pins.items()))
    return True


def _unwritable(path: Path) -> bool:
    """Neither the file nor any folder above it can be changed by this user."""
    here = path.resolve()
    return not any(p.exists() and os.access(p, os.W_OK) for p in (here, *here.parents))
