"""What ``check``, ``gate`` and the OTIO hook call to get the ledger's view.

    add_ledger_arguments(parser)                # --ledger PATH|URL
    view = view_from_args(args, timeline_path)  # LedgerView, or None when there is no ledger
"""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from aiclear.ledger.location import DEFAULT_NAME, ENV, is_url, resolve_ledger, sqlite_path, to_url

if TYPE_CHECKING:  # the view pulls in cryptography (~0.1 s): imported when a ledger is read
    from aiclear.ledger.view import LedgerView


def add_ledger_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ledger",
        metavar="PATH|URL",
        default=None,
        help=f"clearance ledger: a SQLite file or postgresql://USER@HOST/DB (default: ${ENV},"
        " else aiclear-ledger.sqlite beside the timeline)",
    )
    add_trust_root_argument(parser)


def add_trust_root_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--trust-root",
        metavar="FINGERPRINT",
        default=None,
        help="trust only the ledger whose production root has this fingerprint, for this run "
        "(default: $AICLEAR_TRUST_ROOT, else this machine's pins)",
    )


def view_from_args(
    args: argparse.Namespace, timeline_path: str | Path | None
) -> LedgerView | None:
    """The ledger view for one timeline.

    None when no ledger was named and none sits beside the timeline (every AI segment
    then stays provisional). A ledger that was named but cannot be opened raises
    ``LedgerError``: a typo must not pass for "nothing cleared yet" silently."""
    return open_view(getattr(args, "ledger", None), timeline_path,
                     trust_root=getattr(args, "trust_root", None))


def open_view(
    ledger: str | None, timeline_path: str | Path | None, now: datetime | None = None,
    trust_root: str | None = None,
) -> LedgerView | None:
    """``trust_root``: pin exactly this root for the call (None: $AICLEAR_TRUST_ROOT, else
    this machine's pins; see aiclear.ledger.pins)."""
    named = bool(ledger) or bool(os.environ.get(ENV, "").strip())
    location = resolve_ledger(ledger, timeline_path)
    if location is None:
        return None
    if not named and not is_url(location) and not Path(location).expanduser().exists():
        return None  # no ledger beside the timeline, known without SQLAlchemy (~0.2 s)
    path = sqlite_path(to_url(location))
    if not named and path is not None and not path.exists():
        return None
    # SQLAlchemy and alembic only when a ledger is used: importing them costs ~0.3 s
    from aiclear.ledger.pins import applicable
    from aiclear.ledger.store import open_store
    from aiclear.ledger.view import LedgerView

    pins = applicable(trust_root)  # a bad fingerprint is an error before the ledger opens
    with open_store(location) as store:
        return LedgerView.load(store, now=now, pins=pins)


def writer_location(ledger: str | None, timeline_path: str | Path | None = None) -> str:
    """For the commands that write (keys, ledger, approve ...): --ledger, $AICLEAR_LEDGER,
    beside --timeline, else aiclear-ledger.sqlite in the current folder."""
    return resolve_ledger(ledger, timeline_path) or str(Path.cwd() / DEFAULT_NAME)
