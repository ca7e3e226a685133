"""Command-line options for media probing, shared by ``check``, ``gate`` and ``tag``.

    from aiclear.media.cli_args import add_media_arguments, prober_from_args
    add_media_arguments(parser)                      # in register()
    prober = prober_from_args(args, profile.data)    # in the command; --jobs is the lead's
    prober = prober_from_options(options, profile.data)  # the same from a plain dict

Options win over the profile's ``media:`` section (trust_anchors, media_roots,
probe_timeout, cache, ai_tools, tag_keys).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from aiclear.errors import UsageError
from aiclear.safety import limits, shape

if TYPE_CHECKING:
    from aiclear.media.prober import Prober


def add_media_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("media evidence (C2PA, XMP, container tags)")
    group.add_argument(
        "--media-root", dest="media_root", action="append", default=[], metavar="DIR",
        help="folder to look for media in (relative references and relinking); repeatable")
    group.add_argument(
        "--trust-anchors", metavar="PEM",
        help="PEM bundle of C2PA trust anchors; signers chaining to one read as Trusted")
    group.add_argument(
        "--no-cache", action="store_true",
        help="probe every file again and leave the media evidence cache untouched")
    group.add_argument(
        "--probe-timeout", type=float, metavar="SECONDS",
        help=f"time limit per media file (default {limits.PROBE_TIMEOUT.default:g}, or "
             "$AICLEAR_PROBE_TIMEOUT), plus 1 s per 50 MB of its size; past it the file is "
             "reported unreadable")


def prober_from_args(args: argparse.Namespace, profile_data: Mapping[str, object], *,
                     profile_dir: Path | None = None) -> Prober:
    """A ``Prober`` configured from the parsed options and the profile's ``media:`` section.
    Relative paths in the profile are taken from ``profile_dir`` (default: the current
    folder)."""
    return prober_from_options(vars(args), profile_data, profile_dir=profile_dir)


def prober_from_options(options: Mapping[str, object], profile_data: Mapping[str, object], *,
                        profile_dir: Path | None = None) -> Prober:
    """The same from a plain dict of the option values (``media_root``, ``trust_anchors``,
    ``no_cache``, ``probe_timeout``, ``jobs``, ``progress``), e.g. one carried into a worker
    process. Pass ``progress=False`` when the caller draws its own progress bar."""
    # the profile's section was checked by its schema; the options are typed values
    media = shape.mapping((profile_data or {}).get("media"))
    base = profile_dir or Path.cwd()
    for key in ("media_roots", "trust_anchors"):
        given = shape.strings(media.get(key))  # one path, or a list of them
        if given:
            media[key] = [str(base / Path(p).expanduser()) for p in given]
    roots = shape.strings(options.get("media_root")) + shape.strings(media.get("media_roots"))
    for root in roots:
        if not Path(root).expanduser().is_dir():
            raise UsageError(f"--media-root {root}: not a folder")
    timeout = (shape.number(options.get("probe_timeout")) or shape.number(media.get("probe_timeout"))
               or limits.probe_timeout())
    if timeout <= 0:
        raise UsageError(f"--probe-timeout {timeout}: must be more than 0 seconds")
    option_anchors = options.get("trust_anchors")
    anchors = (option_anchors if isinstance(option_anchors, str) and option_anchors
               else shape.strings(media.get("trust_anchors")) or None)
    use_cache = not options.get("no_cache") and media.get("cache", True) is not False
    jobs = shape.number(options.get("jobs"))
    from aiclear.media.prober import Prober  # c2pa and PyAV load only when probing

    return Prober(
        media_roots=roots,
        progress=shape.flag(options.get("progress")),  # None: a bar when stderr is a terminal
        trust_anchors=anchors,
        use_cache=use_cache,
        jobs=int(jobs) if jobs is not None else None,
        timeout=timeout,
        media_section=media,
    )
