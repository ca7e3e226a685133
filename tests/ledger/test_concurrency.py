"""8 processes approving 50 assets each at once: nothing lost, one unforked chain."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest

from aiclear.ledger import open_view
from aiclear.ledger.store import open_store
from tests.ledger.conftest import Keys
from tests.ledger.ledger_helpers import approve_many, asset

WORKERS = 8
EACH = 50
LEGAL = frozenset({"legal"})


@pytest.mark.slow
def test_eight_processes_lose_nothing(ledger: str, keys: Keys) -> None:
    with open_store(ledger) as store:
        before = len(store.entries())
    context = multiprocessing.get_context("spawn")  # fresh interpreters, own connections
    with ProcessPoolExecutor(WORKERS, mp_context=context) as pool:
        futures = [pool.submit(approve_many, ledger, str(keys.path("legal")), w, EACH)
                   for w in range(WORKERS)]
        seqs = [s for f in futures for s in f.result(timeout=300)]
    assert len(seqs) == WORKERS * EACH
    assert sorted(seqs) == list(range(before + 1, before + 1 + WORKERS * EACH))
    with open_store(ledger) as store:
        checked = store.audit()
        assert checked.ok, checked.problems[:3]
        assert checked.count == before + WORKERS * EACH
        assert len(store.known_assets()) == WORKERS * EACH
    view = open_view(ledger, None)
    assert view is not None
    for w in range(WORKERS):
        for i in range(EACH):
            got = view.decision(asset(w * 1000 + i), LEGAL)
            assert got is not None
            assert got.status == "cleared"


@pytest.mark.slow
def test_cli_processes_at_once(ledger: str, keys: Keys) -> None:
    """The same through the real command line: 8 ``aiclear approve`` at the same moment."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", "import sys; from aiclear.cli import run; run()",
             "approve", asset(9000 + n), "--key", str(keys.path("legal")),
             "--ledger", ledger],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(WORKERS)
    ]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert all(code == 0 for _, _, code in results), results
    with open_store(ledger) as store:
        checked = store.audit()
    assert checked.ok
    assert len(checked.decisions) == WORKERS


def test_fresh_ledger_opened_by_many_processes_migrates_once(ledger_location: str) -> None:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(4, mp_context=context) as pool:
        counts = list(pool.map(_open_and_count, [ledger_location] * 4))
    assert counts == [0, 0, 0, 0]


def _open_and_count(location: str) -> int:
    with open_store(location, create=True) as store:
        return len(store.entries())
