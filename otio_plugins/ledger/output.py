"""Output helpers shared by the ledger's CLI commands (stdout for results, stderr for
notes), so the command modules stay free of print()."""

from __future__ import annotations

import json
import sys


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def note(text: str) -> None:
    sys.stderr.write(f"aiclear: {' '.join(text.split())}\n")


def out_json(value: object) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def clean(value: object) -> str:
    """Text from a ledger entry made safe for a terminal: no control characters."""
    return "".join(ch if ch.isprintable() else " " for ch in str(value))
