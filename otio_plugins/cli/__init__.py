"""The ``aiclear`` command line: ``main(argv) -> exit code``.

Each sub-command lives in its own module ``aiclear.cli.<name>`` exposing
``register(subparsers)``; the parser sets ``func`` to a ``(args) -> int`` callable.

Exit codes: 0 pass / done, 1 blocked (or verification failed), 2 usage or input error.
No traceback reaches the user: errors print one line (``AICLEAR_DEBUG=1`` shows more).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from aiclear import __version__

COMMANDS = (
    "check", "tag", "gate", "keys", "ledger", "decide", "disclose", "burnin", "panel",
    "certify", "verify", "sign_master", "report",
)
#: commands whose users rely on the OTIO hooks: warn when they are not attached
HOOK_COMMANDS = ("check", "gate", "tag")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only`` (a command name) just that command's module is imported.

    Importing every command costs ~0.5 s (the ledger's SQLAlchemy and alembic), more than
    checking a 10k-clip timeline, so ``aiclear check ...`` imports only what check needs.
    """
    parser = argparse.ArgumentParser(
        prog="aiclear",
        description="Find, clear and disclose AI-generated clips on OTIO timelines.",
    )
    parser.add_argument("--version", action="version", version=f"aiclear {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _commands(only):
        try:
            module = importlib.import_module(f"aiclear.cli.{name}")
        except ModuleNotFoundError as err:
            if err.name == f"aiclear.cli.{name}":
                continue  # that command is not part of this build
            raise
        module.register(sub)
    return parser


def _commands(only: str | None) -> tuple[str, ...]:
    """The command modules to import: just ``only`` when it names one; none for a bare
    ``--version`` (which prints and exits before any command is looked at); else all."""
    if only in COMMANDS:
        return (only,)
    return () if only == "--version" else COMMANDS


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv[0] if argv else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    # here, not at the top: it imports OTIO (~0.07 s), which `aiclear --version` never needs
    from aiclear.errors import AiclearError

    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    if args.command in HOOK_COMMANDS:
        _warn_detached()
    try:
        return int(args.func(args))
    except AiclearError as err:
        _error(str(err))
        return err.exit_code
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except Exception as err:  # noqa: BLE001 - fail closed with one line, never a traceback
        if os.environ.get("AICLEAR_DEBUG"):
            traceback.print_exc()
        _error(f"internal error: {type(err).__name__}: {err}")
        return 2


def _warn_detached() -> None:
    from aiclear.gate.decision import ensure_attached

    message = ensure_attached()
    if message:
        print(f"aiclear: warning: {message}", file=sys.stderr)  # noqa: T201


def _error(message: str) -> None:
    print(f"aiclear: error: {' '.join(message.split())}", file=sys.stderr)  # noqa: T201


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
