"""Arguments and settings shared by the commands that scan timelines (check, gate, tag,
disclose, burnin, and approve --timeline)."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from aiclear.errors import UsageError
from aiclear.policy.profile import load_profile
from aiclear.register import load_register
from aiclear.scan import ScanSettings


def add_scan_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", default="baseline", metavar="NAME|FILE",
                        help="policy profile: baseline, studio-partner, documentary, eu-ai-act, "
                             "or a YAML file (default: baseline)")
    parser.add_argument("--register", action="append", default=[], metavar="FILE",
                        help="production AI register (YAML or CSV); repeatable")
    parser.add_argument("--rate", type=_rate, default=None, metavar="FPS",
                        help="frame rate for formats that carry none (EDL); "
                             "default: the profile's, else 24")
    from aiclear.media.cli_args import add_media_arguments  # PyAV loads only when probing

    add_media_arguments(parser)
    parser.add_argument("--no-media", action="store_true",
                        help="do not open media files (names, markers, comments and the "
                             "register only; for media that is not mounted here)")


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number (expected e.g. 24, 25, 23.976)") from None
    if not math.isfinite(value) or not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"{text!r} is outside 1..1000 frames per second")
    return value


@dataclass(frozen=True)
class SettingsSpec:
    """Everything needed to build ScanSettings again inside a worker process."""

    profile: str
    registers: tuple[str, ...] = ()
    rate: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # media / ledger options
    #: (Profile, Registers) read here, for workers that cannot read our files (for_cluster)
    loaded: tuple[Any, tuple[Any, ...]] | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> SettingsSpec:
        return cls(profile=args.profile, registers=tuple(args.register), rate=args.rate,
                   extra=_extra(args))

    def __call__(self) -> ScanSettings:
        if self.loaded is not None:
            profile, registers = self.loaded[0], list(self.loaded[1])
        else:
            profile = load_profile(self.profile)
            registers = [load_register(p) for p in self.registers]
        return ScanSettings(profile=profile, registers=registers, rate=self.rate,
                            **_services(self, profile))

    def for_cluster(self) -> SettingsSpec:
        """This spec for workers in another folder or on another machine: the profile and
        registers travel read (labelled with the paths given here, so the report is the
        local one), every path option travels absolute (media roots, trust anchors, a
        ledger file), and so do the profile's own files (its ``media:`` paths are
        relative to them)."""
        profile = load_profile(self.profile)
        profile = replace(profile, sources=tuple(_absolute(s) for s in profile.sources))
        registers = tuple(load_register(p) for p in self.registers)
        extra = dict(self.extra)
        if extra.get("media_root"):
            extra["media_root"] = [_absolute(r) for r in extra["media_root"]]
        if extra.get("trust_anchors"):
            extra["trust_anchors"] = _absolute(extra["trust_anchors"])
        if extra.get("ledger") and "://" not in str(extra["ledger"]):  # a URL stays as is
            extra["ledger"] = _absolute(extra["ledger"])
        return replace(self, extra=extra, loaded=(profile, registers))


def _absolute(path: str) -> str:
    return os.path.abspath(os.path.expanduser(path))


def _extra(args: argparse.Namespace) -> dict[str, Any]:
    keys = ("media_root", "trust_anchors", "no_cache", "probe_timeout", "jobs", "ledger", "no_media",
            "progress")
    return {k: getattr(args, k) for k in keys if hasattr(args, k)}


def _services(spec: SettingsSpec, profile: Any) -> dict[str, Any]:
    """The ledger (and media prober) for commands that took their arguments."""
    services: dict[str, Any] = {}
    if not spec.extra.get("no_media", True):
        sources = [p for p in profile.sources if p.endswith((".yaml", ".yml"))]
        folder = Path(sources[0]).parent if sources else None
        from aiclear.media.cli_args import prober_from_options

        services["media"] = prober_from_options(spec.extra, profile.data, profile_dir=folder)
    if "ledger" in spec.extra:
        services["ledger_for"] = _ledger_for_when_there(spec.extra["ledger"])
    return services


#: as in aiclear.ledger.location, which is not imported here: importing aiclear.ledger
#: loads SQLAlchemy and cryptography (~0.4 s), more than checking a 10k-clip timeline
LEDGER_ENV = "AICLEAR_LEDGER"
LEDGER_FILE = "aiclear-ledger.sqlite"


def _ledger_for_when_there(ledger: str | None) -> Callable[[Path | None], Any]:
    """``aiclear.ledger.ledger_for(ledger)``, imported only once a ledger can exist: one
    was named (``--ledger`` or $AICLEAR_LEDGER) or a timeline has the file beside it."""
    real: Callable[[Path | None], Any] | None = None

    def for_timeline(timeline_path: Path | None) -> Any:
        nonlocal real
        if real is None:
            named = bool(ledger) or bool(os.environ.get(LEDGER_ENV, "").strip())
            beside = timeline_path is not None and (
                Path(timeline_path).resolve().parent / LEDGER_FILE).exists()
            if not named and not beside:
                return None  # what open_view() answers here, without the imports
            from aiclear.ledger import ledger_for

            real = ledger_for(ledger)
        return real(timeline_path)

    return for_timeline


def require_positive(value: int, name: str) -> int:
    if value < 1:
        raise UsageError(f"{name} must be 1 or more (got {value})")
    return value
