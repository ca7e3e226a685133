"""Start the panel: ``aiclear-panel [TIMELINE]`` or ``aiclear panel [TIMELINE]``.

This module imports Qt only after checking that PySide6 is installed, so a missing GUI
extra gives one friendly line instead of a traceback.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from collections.abc import Sequence

INSTALL_HINT = "aiclear panel needs PySide6: pip install 'aiclear[gui]'"


def main(argv: Sequence[str] | None = None) -> int:
    """GUI-script entry point (``aiclear-panel``)."""
    from aiclear.cli.panel import add_arguments

    parser = argparse.ArgumentParser(prog="aiclear-panel", description="The aiclear desktop panel.")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return launch(args)
    except Exception as err:  # noqa: BLE001 - one line, never a traceback
        print(f"aiclear-panel: error: {' '.join(str(err).split())}", file=sys.stderr)  # noqa: T201
        return 2


def launch(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("PySide6") is None:
        print(f"aiclear: error: {INSTALL_HINT}", file=sys.stderr)  # noqa: T201
        return 2
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from aiclear.gui.launch import run_panel

    return run_panel(args)
