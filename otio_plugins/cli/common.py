"""Arguments and settings shared by the commands that scan timelines (check, gate, tag,
disclose, burnin, and approve --timeline)."""

from __future__ import annotations

import argparse
import math

from aiclear.errors import UsageError
from aiclear.scan.settings import LedgerOptions, MediaOptions, SettingsSpec

#: what ``register(subparsers)`` of each command module receives
Subparsers = argparse._SubParsersAction  # noqa: SLF001 - argparse has no public name for it


def add_scan_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", default="baseline", metavar="NAME|FILE",
                        help="policy profile: baseline, studio-partner, documentary, eu-ai-act, "
                             "or a YAML file (default: baseline)")
    parser.add_argument("--register", action="append", default=[], metavar="FILE",
                        help="production AI register (YAML or CSV); repeatable")
    parser.add_argument("--catalogue", default=None, metavar="FILE",
                        help="approved-tools catalogue (YAML); default: the profile's catalogue:")
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


def spec_from_args(args: argparse.Namespace) -> SettingsSpec:
    """The scan settings a command's parsed options ask for."""
    media = MediaOptions(
        enabled=not getattr(args, "no_media", True),
        media_root=tuple(getattr(args, "media_root", None) or ()),
        trust_anchors=getattr(args, "trust_anchors", None),
        no_cache=bool(getattr(args, "no_cache", False)),
        probe_timeout=getattr(args, "probe_timeout", None),
        jobs=getattr(args, "jobs", None),
        progress=getattr(args, "progress", None),
    )
    ledger = (LedgerOptions(args.ledger, trust_root=getattr(args, "trust_root", None))
              if hasattr(args, "ledger") else None)
    return SettingsSpec(profile=args.profile, registers=tuple(args.register), rate=args.rate,
                        media=media, ledger=ledger, catalogue=getattr(args, "catalogue", None))


def require_positive(value: int, name: str) -> int:
    if value < 1:
        raise UsageError(f"{name} must be 1 or more (got {value})")
    return value
