"""Issue 14 in the panel: once nothing blocks, the deliverable export offers a clearance
certificate; the studio's offline verify accepts it. While something blocks it is off."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from aiclear.cli import main  # noqa: E402
from tests.gui.conftest import open_and_wait, reading_media  # noqa: E402
from tests.gui.test_ledger_state import _approve_all  # noqa: E402
from tests.session.ledger_setup import make_ledger  # noqa: E402


def test_certify_from_the_panel_then_verify_offline(qtbot: object, window: object,
                                                    media_sample: object) -> None:
    cut = media_sample("tool_names.otio")  # type: ignore[operator]
    keys = make_ledger(cut.parent)
    open_and_wait(qtbot, reading_media(window), cut)
    certify = window.exports.certify  # type: ignore[attr-defined]
    assert not certify.isEnabled()  # provisional AI blocks: nothing to certify yet
    assert "Nothing may block" in certify.toolTip()
    _approve_all(cut, keys["legal"])
    open_and_wait(qtbot, window, cut)
    assert certify.isEnabled()
    out = cut.parent / "tool_names.clearance.json"
    with qtbot.waitSignal(window.wrote, timeout=60_000):  # type: ignore[attr-defined]
        window.exports.write_certificate(out, keys["legal"])  # type: ignore[attr-defined]
    root = window.session.result.ledger.root  # type: ignore[attr-defined]
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["verify", str(out), "--trust-root", root, "--timeline", str(cut)])
    assert code == 0, err.getvalue()


def test_an_editor_key_cannot_certify_from_the_panel(qtbot: object, window: object,
                                                     media_sample: object) -> None:
    cut = media_sample("tool_names.otio")  # type: ignore[operator]
    keys = make_ledger(cut.parent)
    _approve_all(cut, keys["legal"])
    open_and_wait(qtbot, reading_media(window), cut)
    out = cut.parent / "cut.clearance.json"
    with qtbot.waitSignal(window.failed, timeout=60_000) as failed:  # type: ignore[attr-defined]
        window.exports.write_certificate(out, keys["editor"])  # type: ignore[attr-defined]
    assert "role editor" in failed.args[0] and "certificates are signed by" in failed.args[0]
    assert not Path(out).exists()
