"""Scan settings for code that runs inside other people's programs (the OTIO hooks).

A hook has no command line, so its settings come from, strongest first:

- ``hook_function_argument_map={"aiclear": {"profile": ..., "register": [...], "ledger": ...,
  "catalogue": ..., "trust_root": FINGERPRINT, "media_root": [...]}}``
  (only on the first call: OTIO drops the caller's map on the second call of string adapters);
- environment variables ``AICLEAR_PROFILE`` (name or YAML path), ``AICLEAR_REGISTER``
  (register files, ``os.pathsep``-separated), ``AICLEAR_CATALOGUE`` (the approved-tools
  catalogue; default: the profile's ``catalogue:``), ``AICLEAR_MEDIA_ROOT`` (folders to find
  media in, ``os.pathsep``-separated, like ``--media-root``), ``AICLEAR_LEDGER`` and
  ``AICLEAR_TRUST_ROOT`` (read by the ledger: the root to trust for this process, see
  aiclear.ledger.pins);
- the baseline profile, no register, and the ledger beside the timeline if one is there.

Registers and the catalogue are re-read when their files change; profiles are cached by ``load_profile``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import SupportsFloat

from aiclear.errors import UsageError
from aiclear.scan.settings import LedgerOptions, MediaOptions, ScanSettings, SettingsSpec

ENV_PROFILE = "AICLEAR_PROFILE"
ENV_REGISTER = "AICLEAR_REGISTER"
ENV_CATALOGUE = "AICLEAR_CATALOGUE"
ENV_MEDIA_ROOT = "AICLEAR_MEDIA_ROOT"
ENV_GATE = "AICLEAR_GATE"
ENV_MEDIA = "AICLEAR_MEDIA"


def options(argument_map: Mapping[str, object] | None) -> dict[str, object]:
    """Our part of a hook's argument map: ``argument_map["aiclear"]`` as a plain dict."""
    if not argument_map:
        return {}
    ours = argument_map.get("aiclear")
    if ours is None:
        return {}
    if not isinstance(ours, Mapping):
        raise UsageError(f'hook_function_argument_map["aiclear"] is {type(ours).__name__} '
                         '(expected a dict such as {"intent": "final"})')
    return dict(ours)


def settings(opts: Mapping[str, object] | None = None, rate: object = None, *,
             media: bool = False) -> ScanSettings:
    """ScanSettings from the hook options and the environment (see the module doc).

    ``media``: read the media files too (C2PA, XMP, tags). The export gate does, so a
    signed AI shot with a plain name cannot pass; the read hook does not, so opening a
    timeline in any OTIO tool never hashes its media. ``AICLEAR_MEDIA=off`` turns media
    reading off for the gate as well (media not mounted on this machine); the gate then
    counts every clip's media as not read (``media.unprobed``, blocking where the profile
    says so) and nothing whose media it did not hash can be cleared.
    """
    opts = opts or {}
    profile = str(opts.get("profile") or os.environ.get(ENV_PROFILE, "").strip() or "baseline")
    registers = _paths(opts.get("register"), "register") \
        or _paths(os.environ.get(ENV_REGISTER, ""), ENV_REGISTER)
    ledger = opts.get("ledger")
    catalogue = str(opts.get("catalogue") or os.environ.get(ENV_CATALOGUE, "").strip()) or None
    trust_root = opts.get("trust_root")
    # where to look for media: only finds files (identity is still the bytes aiclear reads)
    roots = _paths(opts.get("media_root"), "media_root") \
        or _paths(os.environ.get(ENV_MEDIA_ROOT, ""), ENV_MEDIA_ROOT)
    stamps = tuple(_stamp(p) for p in (*registers, *([catalogue] if catalogue else [])))
    switched_off = os.environ.get(ENV_MEDIA, "").strip().lower() in ("off", "0", "no")
    # the gate was asked to read media and told not to: media it cannot see is unprobed
    media_off = f"{ENV_MEDIA}=off" if media and switched_off else None
    return _cached(profile, registers, stamps, _rate(rate), str(ledger) if ledger else None,
                   media and not switched_off, catalogue, str(trust_root) if trust_root else None,
                   media_off, roots)


@lru_cache(maxsize=16)
def _cached(profile: str, registers: tuple[str, ...], stamps: tuple[tuple[int, int], ...],
            rate: float | None, ledger: str | None, media: bool,
            catalogue: str | None = None, trust_root: str | None = None,
            media_off: str | None = None, media_root: tuple[str, ...] = ()) -> ScanSettings:
    # the ledger is opened afresh for each scan: these settings live as long as the
    # process (a conform script, the panel), which must see new approvals
    return SettingsSpec(profile=profile, registers=registers, rate=rate,
                        media=MediaOptions(enabled=media, progress=False, off_reason=media_off,
                                           media_root=media_root),
                        ledger=LedgerOptions(ledger, fresh=True, trust_root=trust_root),
                        catalogue=catalogue)()


def gate_switch() -> str:
    """``AICLEAR_GATE``: ``off`` disables the export gate (logged on every write)."""
    return os.environ.get(ENV_GATE, "").strip().lower()


def _paths(value: object, name: str) -> tuple[str, ...]:
    """``os.pathsep``-separated text (an environment variable, or the same in the hook
    options) or a list of paths; ``name`` says where it came from."""
    if not value:
        return ()
    if isinstance(value, str):
        return tuple(p for p in value.split(os.pathsep) if p.strip())
    if not isinstance(value, Iterable):
        raise UsageError(f'hook_function_argument_map["aiclear"]["{name}"] is '
                         f"{type(value).__name__} (expected a list of paths)")
    return tuple(str(p) for p in value if str(p).strip())


def _stamp(path: str) -> tuple[int, int]:
    try:
        st = os.stat(path)
    except OSError:
        return (-1, -1)  # load_register reports the missing file
    return (st.st_mtime_ns, st.st_size)


def _rate(value: object) -> float | None:
    if not isinstance(value, (str, SupportsFloat)):
        return None  # what float() refuses with a TypeError
    try:
        rate = float(value)
    except ValueError:
        return None
    return rate if rate and 1 <= rate <= 1000 else None
