"""The clearance ledger: signed approvals, a keyring with roles, and an audit chain.

Public API for the scan, check, gate and hooks:

- ``add_ledger_arguments(parser)`` / ``view_from_args(args, timeline_path)`` -> a
  ``LedgerView`` (an ``aiclear.scan.ports.ClearanceView``) or None;
- ``open_view(ledger, timeline_path)`` -> the view of the ledger that decides a timeline
  (``aiclear.scan.settings.ledger_factory`` is the one place scans call it);
- ``RolePolicy.from_profile(profile.data).accepted(use)`` -> roles that may clear a use;
- ``open_store(location)`` for the CLI's writers;
- trust: ``open_view(ledger, timeline, trust_root=FP)``; ``view.trust`` is an
  ``aiclear.model.LedgerTrust`` (pinned / unverified / legacy, reason, root fingerprint,
  production id, head entry and hash); ``pins.applicable(trust_root)`` -> ``PinSet``;
  ``pins.pin_for_user(fp)``; ``witness.read_evidence`` / ``prefix_problem`` check a
  recorded head; ``envelope.sign_payload`` / ``envelope_signers`` for signed documents.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # what __getattr__ hands out, typed for the importers
    from aiclear.ledger.location import resolve_ledger
    from aiclear.ledger.options import add_ledger_arguments, open_view, view_from_args
    from aiclear.ledger.pins import applicable_pins
    from aiclear.ledger.roles import DEFAULT_ROLES, RolePolicy, accepted_roles
    from aiclear.ledger.view import LedgerView

#: public name -> the module that defines it; imported on first use (PEP 562), because
#: the view and the store pull in cryptography and SQLAlchemy, which ``aiclear check``
#: on a timeline without a ledger never needs (~0.4 s of its start-up)
_WHERE = {
    "resolve_ledger": "location",
    "add_ledger_arguments": "options", "open_view": "options",
    "view_from_args": "options",
    "DEFAULT_ROLES": "roles", "RolePolicy": "roles", "accepted_roles": "roles",
    "LedgerView": "view",
    "applicable_pins": "pins",
}


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module 'aiclear.ledger' has no attribute {name!r}")
    return getattr(importlib.import_module(f"aiclear.ledger.{_WHERE[name]}"), name)

__all__ = [
    "DEFAULT_ROLES",
    "LedgerView",
    "RolePolicy",
    "accepted_roles",
    "add_ledger_arguments",
    "applicable_pins",
    "open_view",
    "resolve_ledger",
    "view_from_args",
]
