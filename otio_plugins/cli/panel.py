"""``aiclear panel [TIMELINE] [--screenshot OUT.png]``: the desktop panel.

The GUI sits above the CLI (``aiclear-panel`` reuses these options), so this command
finds it the way a plugin host does: through the installed ``aiclear-panel`` entry point.
Qt loads only then, so the rest of the CLI works without PySide6.
"""

from __future__ import annotations

import argparse

from aiclear.cli.common import Subparsers, add_scan_arguments
from aiclear.errors import UsageError
from aiclear.ledger import add_ledger_arguments


def register(sub: Subparsers) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "panel", help="open the desktop panel (strip, inspector, sign-off, gated export)",
        description="Open a timeline in the aiclear desktop panel.")
    add_arguments(parser)
    parser.set_defaults(func=run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("timeline", nargs="?", metavar="TIMELINE",
                        help="any file an installed OTIO adapter reads")
    parser.add_argument("--screenshot", metavar="OUT.png", default=None,
                        help="render the loaded window offscreen to a PNG and exit")
    add_scan_arguments(parser)
    add_ledger_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from importlib import import_module
    from importlib.metadata import entry_points

    found = entry_points(group="gui_scripts", name="aiclear-panel")
    if not found:
        raise UsageError("the desktop panel is not installed: pip install 'aiclear[gui]'")
    module = import_module(next(iter(found)).module)  # aiclear.gui.app; Qt only from here on
    return int(module.launch(args))
