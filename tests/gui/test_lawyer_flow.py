"""The clearance lawyer's whole flow in the panel, through the real ledger: open, see what
blocks, play the shot, sign in the dialog (a wrong key first), export the deliverable."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import opentimelineio as otio
import pytest

pytest.importorskip("PySide6")

from aiclear.detect import record  # noqa: E402
from aiclear.session.core import available  # noqa: E402
from aiclear.timeline.read import NO_TAG  # noqa: E402
from tests.gui.conftest import LOAD_MS, READ_MEDIA, open_and_wait  # noqa: E402
from tests.gui.test_player import cut  # noqa: E402, F401 - the fixture
from tests.session.ledger_setup import make_ledger  # noqa: E402

pytestmark = pytest.mark.gui


def test_lawyer_flow(qtbot: Any, window: Any, cut: Path, tmp_path: Path) -> None:  # noqa: F811
    keys = make_ledger(cut.parent)
    # the cut's real media gives the identity an approval clears; the media root lets the
    # gate find it again from the deliverable's folder (its reference is relative)
    window.spec = replace(window.spec, media=replace(READ_MEDIA, media_root=(str(cut.parent),)))
    open_and_wait(qtbot, window, cut)
    assert not window.exports.deliverable.isEnabled()
    window.banner.clicked.emit()  # the banner opens what blocks
    assert window.blocks_dock.isVisible()
    assert [fix for fix, _, _ in window.blocks.groups] == ["sign"]
    dialogs: list[Any] = []
    window.sign = lambda verb: dialogs.append(window.signoff_dialog(window.selected_segment(),
                                                                    verb))
    button, block = window.blocks.buttons[0]
    button.click()
    dialog = dialogs[0]
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.segment.segment_id == block.segment_id
    assert dialog.player is not None
    dialog.player.play_button.click()  # the lawyer watches the shot first
    qtbot.waitUntil(lambda: dialog.player.shot is not None, timeout=LOAD_MS)
    assert len(dialog.player.shot.frames) == 24
    dialog.player.toggle()
    dialog.key.setText(str(keys["editor"]))  # the wrong key: an editor never clears
    dialog.key.editingFinished.emit()
    assert dialog.signer.text() == "Ed Editor (editor)"
    dialog.note.setPlainText("model release on file")
    dialog.key.setText(str(tmp_path / "lost.key"))  # a key file that is not there
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible() and "lost.key" in dialog.error.text()
    assert dialog.note.toPlainText() == "model release on file"
    dialog.key.setText(str(keys["legal"]))
    dialog.key.editingFinished.emit()
    assert dialog.signer.text() == "Lea Legal (legal)"
    with qtbot.waitSignal(window.loaded, timeout=LOAD_MS):
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible()
    assert window.selected_segment().status == "cleared"
    again = window.signoff_dialog(window.selected_segment(), "reject")
    qtbot.addWidget(again)
    assert "cleared by Lea Legal (legal)" in again.now.text() and "supersedes" in again.now.text()
    assert window.blocks.groups == []
    assert "Nothing blocks delivery" in window.blocks.summary.text()
    if not available("aiclear.gate"):
        return
    assert window.exports.deliverable.isEnabled()
    out = tmp_path / "deliver" / "cut.otio"
    out.parent.mkdir()
    with qtbot.waitSignal(window.wrote, timeout=LOAD_MS):
        window.exports.export_deliverable(out, ["srt"], "en")
    delivered = otio.adapters.read_from_file(str(out), hook_function_argument_map=NO_TAG)
    assert [record.read(c)["status"] for c in delivered.find_clips()] == ["cleared"]
    assert (out.parent / "cut.ai-labels.srt").read_text().count("AI GENERATED") == 1
