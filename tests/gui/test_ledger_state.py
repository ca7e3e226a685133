"""Issue 13 in the panel: it shows whether the ledger is pinned here, and a decision in a
ledger that is not pinned never shows as cleared."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from aiclear.cli import main  # noqa: E402
from aiclear.ledger import pins  # noqa: E402
from tests.gui.conftest import open_and_wait, reading_media  # noqa: E402
from tests.session.ledger_setup import make_ledger  # noqa: E402


def _approve_all(cut: Path, legal: Path) -> None:
    import contextlib
    import io
    import json

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", str(cut), "--format", "json"])
    for seg in json.loads(out.getvalue())["timelines"][0]["segments"]:
        assert main(["approve", seg["asset_id"], "--key", str(legal), "--ledger",
                     str(cut.parent / "aiclear-ledger.sqlite")]) == 0


def test_pinned_then_unpinned_ledger_in_the_status_bar(qtbot: object, window: object,
                                                       media_sample: object) -> None:
    cut = media_sample("tool_names.otio")  # type: ignore[operator]
    keys = make_ledger(cut.parent)
    _approve_all(cut, keys["legal"])
    open_and_wait(qtbot, reading_media(window), cut)
    label = window.ledger_state  # type: ignore[attr-defined]
    assert label.text().startswith("Ledger: pinned (user) — Night Shift")
    assert {s.status for s in window.session.segments} == {"cleared"}  # type: ignore[attr-defined]
    # the same ledger on a machine where its root is not pinned: shown, and nothing clears
    assert pins.unpin_for_user(window.session.result.ledger.root)  # type: ignore[attr-defined]
    open_and_wait(qtbot, window, cut)
    assert label.text() == "Ledger: UNVERIFIED — clears nothing"
    assert "is not pinned on this machine" in label.toolTip()
    assert "cleared" not in {s.status for s in window.session.segments}  # type: ignore[attr-defined]
    assert not window.exports.deliverable.isEnabled()  # type: ignore[attr-defined]
