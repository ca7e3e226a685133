"""Declarations as ledger entries, on SQLite and PostgreSQL: signed, chained, applied by
the view from trusted keys only; a forged or unsigned one never counts."""

from __future__ import annotations

import pytest

from aiclear.errors import SigningKeyError, UsageError
from aiclear.ledger.declaration import declaration_statement
from aiclear.ledger.signoff import sign_declaration
from aiclear.ledger.store import open_store
from aiclear.ledger.view import LedgerView
from tests.ledger.conftest import Keys
from tests.ledger.ledger_helpers import asset


def test_declaration_is_chained_and_seen_by_the_view(ledger: str, keys: Keys) -> None:
    seq = sign_declaration(ledger, asset(1), {"use": "likeness"}, keys.path("editor"),
                           note="it is the lead actor")
    with open_store(ledger) as store:
        view = LedgerView.load(store)
        entries = store.entries()
    assert view.audit.ok
    assert entries[-1].seq == seq and entries[-1].kind == "declaration"
    assert entries[-1].asset_id == asset(1)
    [declared] = view.declarations(asset(1))
    assert declared.fields == {"use": "likeness"}
    assert f"declared by Ed Editor (editor) in ledger entry {seq}" in declared.detail
    assert view.declarations(asset(2)) == []


def test_outsider_and_bad_fields_are_refused(ledger: str, keys: Keys) -> None:
    with pytest.raises(SigningKeyError):
        sign_declaration(ledger, asset(1), {"use": "likeness"}, keys.path("outsider"))
    with pytest.raises(UsageError):
        sign_declaration(ledger, asset(1), {"status": "cleared"}, keys.path("editor"))


def test_a_declaration_claiming_another_role_is_refused(ledger: str, keys: Keys) -> None:
    """An editor's key signing a statement that says 'legal' (the keyring decides roles)."""
    statement = declaration_statement(keys["editor"], asset_id=asset(1),
                                      fields={"use": "background_element"},
                                      production="Night Shift", role="legal",
                                      approver="Ed Editor")
    with open_store(ledger) as store, pytest.raises(SigningKeyError, match="claims role .legal."):
        store.append(statement, keys["editor"])  # signed into its place by the editor's key
