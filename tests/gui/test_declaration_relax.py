"""The record dialog says, before signing, when the user's key cannot relax a field: an
editor declaring a performer's consent granted is told it will not count and who may sign
it; legal is told nothing. Signed anyway, the clip keeps blocking with the warning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from aiclear.scan.settings import SettingsSpec  # noqa: E402
from tests.gui.conftest import LOAD_MS, READ_MEDIA, open_and_wait  # noqa: E402
from tests.security.test_declaration_relax import PEOPLE, production  # noqa: E402

pytestmark = pytest.mark.gui

LINE = ("declaration by Ed Editor (editor) would relax consent; it needs a role that clears "
        "this use: legal")


def _window(qtbot: Any, folder: Path) -> Any:
    from aiclear.gui.launch import application
    from aiclear.gui.window import MainWindow

    application()
    spec = SettingsSpec(profile="studio-partner", registers=(str(folder / "register.yaml"),),
                        catalogue=str(folder / "catalogue.yaml"), media=READ_MEDIA)
    win = MainWindow(spec, remember=False)
    win.ask_unsigned = lambda _n: "discard"
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    return win


def test_record_dialog_warns_before_an_editor_signs_a_relaxing_consent(
        qtbot: Any, tmp_path: Path) -> None:
    folder = tmp_path / "prod"
    p = production(folder, str(folder / "aiclear-ledger.sqlite"), "studio-partner",
                   "use: likeness\n    " + PEOPLE % "required_pending", "legal")
    win = _window(qtbot, folder)
    open_and_wait(qtbot, win, p.cut)
    seg = win.selected_segment()
    assert seg.status == "cleared" and seg.blocking  # legal approved; consent still pending
    dialog = win.record_dialog(seg)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.relax.isHidden()  # nothing relaxed yet
    dialog.key.setText(str(p.key("editor")))
    dialog.key.editingFinished.emit()
    assert dialog.relax.isHidden()
    status = dialog.people.cellWidget(0, 2)
    status.setCurrentIndex(status.findData("granted"))  # the editor grants the consent
    assert dialog.relax.isVisible()
    assert dialog.relax.text() == (f"Not counted if you sign: {LINE}. Every check ignores that "
                                   "part of your declaration until someone with that role "
                                   "signs it.")
    dialog.key.setText(str(p.key("legal")))  # legal may: nothing to say
    dialog.key.editingFinished.emit()
    assert dialog.relax.isHidden()
    dialog.key.setText(str(p.key("editor")))
    dialog.key.editingFinished.emit()
    assert dialog.relax.isVisible()
    status.setCurrentIndex(status.findData("refused"))  # raising: counts from any key
    assert dialog.relax.isHidden()
    status.setCurrentIndex(status.findData("granted"))
    # signed anyway: the panel shows what every check will, the block and the warning
    with qtbot.waitSignal(win.loaded, timeout=LOAD_MS):
        win.apply_edit(seg.segment_id, dialog.fields(), p.key("editor"))
    seg = win.session.segment(seg.segment_id)
    assert win.session.unsigned() == []
    assert seg.record["people"][0]["consent"]["status"] == "required_pending"
    messages = {f.rule: f.message for f in seg.findings}
    assert messages["declare.relaxing"] == LINE
    assert messages["people.consent"] == "no recorded consent from Mara Quinn"
    assert not win.exports.deliverable.isEnabled()
