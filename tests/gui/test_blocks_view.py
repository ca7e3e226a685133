"""The "What blocks delivery" view: plain language, grouped by fix, a button per fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from aiclear.gui.dialogs import SignOff  # noqa: E402
from aiclear.scan.settings import SettingsSpec  # noqa: E402
from tests.gui.conftest import LOAD_MS, READ_MEDIA, REGISTER, open_and_wait  # noqa: E402
from tests.session.ledger_setup import make_ledger  # noqa: E402

pytestmark = pytest.mark.gui


def test_groups_and_sign_button(qtbot: Any, window: Any, sample: Any) -> None:
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    window.exports.show_blocking.trigger()
    view = window.blocks
    assert window.blocks_dock.isVisible()
    assert [(fix, n) for fix, _, n in view.groups] == [("sign", 3)]
    assert "3 finding(s) block delivery" in view.summary.text()
    signed: list[tuple[str, str]] = []
    window.sign = lambda verb: signed.append((window.selected_segment().segment_id, verb))
    button, block = view.buttons[1]
    button.click()
    assert signed == [(block.segment_id, "approve")]
    assert "needs an approval signed by" in block.text and "aiclear " not in block.text


def test_fact_check_group_opens_the_record(qtbot: Any, media_sample: Any, tmp_path: Path
                                           ) -> None:
    from aiclear.gui.window import MainWindow

    keys = make_ledger(tmp_path)
    win = MainWindow(SettingsSpec(profile="documentary", registers=(REGISTER,), media=READ_MEDIA),
                     remember=False)
    win.ask_unsigned = lambda _n: "discard"
    qtbot.addWidget(win)
    win.show()
    open_and_wait(qtbot, win, media_sample("documentary_archival.otio"))  # clearable media
    seg = win.selected_segment()
    with qtbot.waitSignal(win.loaded, timeout=LOAD_MS):
        win.apply_signoff(seg.segment_id, SignOff("approve", keys["legal"], "", "", None))
    win.show_blocks()
    fixes = [fix for fix, _, _ in win.blocks.groups]
    assert "fact_check" in fixes and "sign" not in fixes  # cleared, but still blocking
    opened: list[str] = []
    win.edit_record = lambda: opened.append(win.selected_segment().segment_id)
    button = next(b for b, block in win.blocks.buttons if block.fix == "fact_check")
    assert button.text() == "Fact-check…"
    button.click()
    assert opened == [seg.segment_id]


def test_relink_adds_a_media_root_and_checks_again(qtbot: Any, window: Any, sample: Any,
                                                   tmp_path: Path) -> None:
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    with qtbot.waitSignal(window.loaded, timeout=LOAD_MS):
        window.relink(tmp_path)
    assert str(tmp_path) in window.session.spec.media.media_root
    assert window.session.spec.media.enabled is True


def test_legend_names_every_colour(qtbot: Any, window: Any) -> None:
    from aiclear.gui.models import LEGEND, STATUS_COLOURS

    keys = {key for key, _ in LEGEND}
    assert set(STATUS_COLOURS) <= keys
    for _, text in LEGEND:
        assert text.split(":")[0] in window.legend.text()
