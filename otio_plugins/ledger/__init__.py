"""The clearance ledger: signed approvals, a keyring with roles, and an audit chain.

Public API for the scan, check, gate and hooks:

- ``add_ledger_arguments(parser)`` / ``view_from_args(args, timeline_path)`` -> a
  ``LedgerView`` (an ``aiclear.services.ClearanceView``) or None;
- ``ledger_for(args.ledger)`` -> a ``ScanSettings.ledger_for`` callable that reads each
  ledger once per process;
- ``RolePolicy.from_profile(profile.data).accepted(use)`` -> roles that may clear a use;
- ``open_store(location)`` for the CLI's writers.
"""

from aiclear.ledger.location import resolve_ledger
from aiclear.ledger.options import add_ledger_arguments, ledger_for, open_view, view_from_args
from aiclear.ledger.roles import DEFAULT_ROLES, RolePolicy, accepted_roles
from aiclear.ledger.view import LedgerView

__all__ = [
    "DEFAULT_ROLES",
    "LedgerView",
    "RolePolicy",
    "accepted_roles",
    "add_ledger_arguments",
    "ledger_for",
    "open_view",
    "resolve_ledger",
    "view_from_args",
]
