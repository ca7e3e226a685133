"""Alembic migrations for the ledger schema, run programmatically when a ledger opens.

The version table has its own name so a ledger can share a database with other apps.
"""

from pathlib import Path

SCRIPT_LOCATION = str(Path(__file__).resolve().parent)
VERSION_TABLE = "aiclear_alembic_version"
