"""What ``check``, ``gate`` and the OTIO hook call to get the ledger's view.

    add_ledger_arguments(parser)                # --ledger PATH|URL
    view = view_from_args(args, timeline_path)  # LedgerView, or None when there is no ledger
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
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


def view_from_args(
    args: argparse.Namespace, timeline_path: str | Path | None
) -> LedgerView | None:
    """The ledger view for one timeline.

    None when no ledger was named and none sits beside the timeline (every AI segment
    then stays provisional). A ledger that was named but cannot be opened raises
    ``LedgerError``: a typo must not pass for "nothing cleared yet" silently."""
    return open_view(getattr(args, "ledger", None), timeline_path)


def open_view(
    ledger: str | None, timeline_path: str | Path | None, now: datetime | None = None
) -> LedgerView | None:
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
    from aiclear.ledger.store import open_store
    from aiclear.ledger.view import LedgerView

    with open_store(location) as store:
        return LedgerView.load(store, now=now)


def ledger_for(ledger: str | None) -> Callable[[Path | None], LedgerView | None]:
    """``ScanSettings.ledger_for`` for a run: timeline path -> view, each ledger read and
    verified once per process however many timelines share it."""
    views: dict[str, LedgerView | None] = {}

    def for_timeline(timeline_path: Path | None) -> LedgerView | None:
        location = resolve_ledger(ledger, timeline_path)
        if location is None:
            return None
        if location not in views:
            views[location] = open_view(ledger, timeline_path)
        return views[location]

    return for_timeline


def writer_location(ledger: str | None, timeline_path: str | Path | None = None) -> str:
    """For the commands that write (keys, ledger, approve ...): --ledger, $AICLEAR_LEDGER,
    beside --timeline, else aiclear-ledger.sqlite in the current folder."""
    return resolve_ledger(ledger, timeline_path) or str(Path.cwd() / DEFAULT_NAME)
