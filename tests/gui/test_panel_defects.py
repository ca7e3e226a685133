"""Issue 16's panel defects 1-7, each reproduced with real widgets (offscreen)."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtGui import QCloseEvent  # noqa: E402

from aiclear.gui.dialogs import DeliverableDialog, RecordDialog, SignOff  # noqa: E402
from aiclear.scan.settings import MediaOptions, SettingsSpec  # noqa: E402
from aiclear.session.core import available  # noqa: E402
from aiclear.timeline.lanes import ruler_timecode  # noqa: E402
from tests.gui.conftest import LOAD_MS, READ_MEDIA, REGISTER, open_and_wait, reading_media  # noqa: E402,E501
from tests.session.ledger_setup import make_ledger  # noqa: E402

pytestmark = pytest.mark.gui


def _new_window(qtbot: Any, profile: str = "baseline", media: MediaOptions = READ_MEDIA
                ) -> Any:
    """A window that reads media unless told (only media aiclear hashed can be cleared)."""
    from aiclear.gui.window import MainWindow

    win = MainWindow(SettingsSpec(profile=profile, registers=(REGISTER,), media=media),
                     remember=False)
    win.ask_unsigned = lambda _n: "discard"
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    return win


# -- 1: record edits are never lost; a declaration that raises requirements holds -------
def test_1_record_edit_is_signed_and_survives_reopening(qtbot: Any, window: Any,
                                                         media_sample: Any, tmp_path: Path
                                                         ) -> None:
    keys = make_ledger(tmp_path)
    path = media_sample("nested_compound.otio")  # real media: an approval can clear it
    open_and_wait(qtbot, reading_media(window), path)
    seg = window.selected_segment()
    with qtbot.waitSignal(window.loaded, timeout=LOAD_MS):
        window.apply_edit(seg.segment_id, {"use": "background_element"}, keys["editor"])
    with qtbot.waitSignal(window.loaded, timeout=LOAD_MS):
        window.apply_signoff(seg.segment_id, SignOff("approve", keys["producer"], "", "", None))
    assert window.selected_segment().status == "cleared"
    with qtbot.waitSignal(window.loaded, timeout=LOAD_MS):  # now a likeness: legal only
        window.apply_edit(seg.segment_id, {"use": "likeness"}, keys["editor"])
    assert window.selected_segment().status == "provisional"
    assert window.session.unsigned() == []
    # quit and reopen (a new window, as on another machine): the edit holds
    window.close()
    again = _new_window(qtbot)
    open_and_wait(qtbot, again, path)
    reopened = again.session.segment(seg.segment_id)
    assert reopened.record["use"] == "likeness"
    assert reopened.status == "provisional"
    assert not again.exports.deliverable.isEnabled()


def test_1_unsigned_edit_asks_before_close_and_switch(qtbot: Any, window: Any, sample: Any
                                                       ) -> None:
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    seg = window.selected_segment()
    with qtbot.waitSignal(window.loaded, timeout=LOAD_MS):
        window.apply_edit(seg.segment_id, {"use": "likeness"})  # no key: unsigned
    assert window.session.unsigned() == [seg.asset_id]
    assert window.acts.sign_edits.isEnabled() == available("aiclear.ledger")
    asked: list[int] = []
    window.ask_unsigned = lambda n: asked.append(n) or "cancel"
    event = QCloseEvent()
    window.closeEvent(event)
    assert asked == [1] and not event.isAccepted()  # the window stays, the edit too
    first = window.session
    window.open_path(sample("tool_names.otio"))
    assert asked == [1, 1] and window.session is first  # switching files asked as well
    assert window.session.unsigned() == [seg.asset_id]


# -- 2: why export is blocked is said in plain language; cleared-but-blocking colour ----
def test_2_cleared_but_blocking_has_its_own_colour_and_a_fix(qtbot: Any, media_sample: Any,
                                                              tmp_path: Path) -> None:
    from aiclear.gui.models import STATUS_COLOURS

    keys = make_ledger(tmp_path)
    win = _new_window(qtbot, profile="documentary")
    open_and_wait(qtbot, win, media_sample("documentary_archival.otio"))  # clearable media
    seg = win.selected_segment()
    with qtbot.waitSignal(win.loaded, timeout=LOAD_MS):
        win.apply_signoff(seg.segment_id, SignOff("approve", keys["legal"], "", "", None))
    assert seg.status == "cleared" and seg.blocking
    colour = win.model.index(win.current, 0).data(Qt.ItemDataRole.ForegroundRole)
    assert colour.name() == STATUS_COLOURS["cleared_blocking"] != STATUS_COLOURS["cleared"]
    assert win.strip.status_of(win.current) == "cleared_blocking"
    assert "None" not in " ".join(f.message for f in seg.findings)
    tip = win.exports.deliverable.toolTip()
    assert seg.clip in tip and "aiclear " not in tip
    assert "aiclear " not in win.banner.toolTip() and seg.clip in win.banner.toolTip()
    dialog = RecordDialog(seg, win)
    qtbot.addWidget(dialog)
    dialog.fact_check.setCurrentIndex(dialog.fact_check.findData("verified"))
    assert dialog.fact_check.currentText() == "Verified"  # the label, the code kept as data
    assert dialog.fields()["fact_check"] == {"status": "verified"}


# -- 3: sign-off errors stay in the dialog with the note; it names role and ledger ------
def test_3_signoff_error_is_inline_and_keeps_the_note(qtbot: Any, window: Any, sample: Any,
                                                      tmp_path: Path) -> None:
    make_ledger(tmp_path)
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    seg = window.selected_segment()
    dialog = window.signoff_dialog(seg, "approve")
    qtbot.addWidget(dialog)
    dialog.show()
    assert "sha256" not in dialog.windowTitle()
    assert dialog.width() <= dialog.MAX_WIDTH
    assert "legal" in dialog.needs.text()
    assert "aiclear-ledger.sqlite" in dialog.target.text() and "Night Shift" in dialog.target.text()
    dialog.key.setText(str(tmp_path / "nobody.key"))
    dialog.note.setPlainText("licence PDF checked, p. 3")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible()
    assert dialog.error.isVisible() and "nobody.key" in dialog.error.text()
    assert dialog.note.toPlainText() == "licence PDF checked, p. 3"
    assert seg.status == "provisional"


# -- 4: N/P move the table highlight and follow its filter; new file, new track names --
def test_4_next_moves_the_highlight_and_respects_the_filter(qtbot: Any, window: Any,
                                                             sample: Any) -> None:
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    window.select(0)
    window.step(1)
    row = window.table.selectionModel().currentIndex()
    selected = window.table.selectionModel().selectedRows()
    assert [r.row() for r in selected] == [row.row()]  # the highlight moved with N
    shown = window.proxy.index(row.row(), 4).data()
    assert shown == window.selected_segment().clip
    window.filters.track.setCurrentIndex(window.filters.track.findData("V2"))
    visible = {window.proxy.index(r, 4).data() for r in range(window.proxy.rowCount())}
    for _ in range(3):
        window.step(1)
        assert window.selected_segment().clip in visible


def test_4_track_names_follow_the_new_file(qtbot: Any, window: Any, sample: Any) -> None:
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    painted: list[int] = []
    window.strip.headers.paintEvent = lambda _e: painted.append(1)
    open_and_wait(qtbot, window, sample("tool_names.otio"))
    qtbot.waitUntil(lambda: bool(painted), timeout=2000)  # repainted without a resize


# -- 5: the export dialog's language is the profile's (English), as in the preview ------
def test_5_export_language_defaults_to_the_profile(qtbot: Any, window: Any) -> None:
    dialog = DeliverableDialog(Path("/tmp/out.otio"), window)
    qtbot.addWidget(dialog)
    assert dialog.lang.currentText() == "en"


# -- 6: long errors elide, buttons stay reachable, failures stay out of Open Recent -----
def test_6_long_error_keeps_the_window_and_the_buttons(qtbot: Any, window: Any,
                                                       tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*(["a_rather_long_folder_name_for_a_project"] * 8))
    deep.mkdir(parents=True)
    bad = deep / ("x" * 200 + ".otio")
    bad.write_text("{ not json")
    width = window.width()
    with qtbot.waitSignal(window.failed, timeout=LOAD_MS):
        window.open_path(bad)
    qtbot.wait(50)
    assert window.width() == width
    assert window.banner.text().startswith(str(bad)[:20]) and "…" in window.banner.shown()
    window.resize(640, 420)
    qtbot.wait(50)
    for act in (window.exports.review, window.exports.deliverable):
        button = window.acts.export_toolbar.widgetForAction(act)
        assert button is not None and button.isVisible(), act.text()
        assert button.mapTo(window, QPoint(button.width(), 0)).x() <= window.width()


def test_6_failed_file_not_in_open_recent(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    from aiclear.gui import state
    from aiclear.gui.window import MainWindow

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings().remove("files/recent")
    win = MainWindow(SettingsSpec(profile="baseline"), remember=True)
    win.ask_unsigned = lambda _n: "discard"
    qtbot.addWidget(win)
    bad = tmp_path / "broken.otio"
    bad.write_text("{ not json")
    with qtbot.waitSignal(win.failed, timeout=LOAD_MS):
        win.open_path(bad)
    assert str(bad.resolve()) not in state.recent_files()


# -- 7: media-root preview, Ctrl+F, empty table, loading banner, ruler, file modes ------
def test_7_empty_filter_says_so(qtbot: Any, window: Any, sample: Any) -> None:
    open_and_wait(qtbot, window, sample("clean_cut.otio"))
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    window.filters.text.setText("no such clip")
    assert window.empty_note.isVisible() and "3 hidden" in window.empty_note.text()
    window.empty_note.click()
    assert window.proxy.rowCount() == 3 and not window.empty_note.isVisible()


def test_7_ctrl_f_focuses_the_filter(qtbot: Any, window: Any, sample: Any) -> None:
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    window.table.setFocus()
    window.acts.find.trigger()
    assert window.acts.find.shortcut().toString() == "Ctrl+F"
    assert window.filters.text.hasFocus() or window.focusWidget() is window.filters.text


def test_7_banner_says_loading_while_loading(qtbot: Any, window: Any, sample: Any) -> None:
    window.open_path(sample("nested_compound.otio"))
    assert window.banner.text().startswith("Loading nested_compound.otio")
    qtbot.waitUntil(lambda: not window.busy, timeout=LOAD_MS)


def test_7_ruler_never_wraps_and_ticks_fall_on_whole_steps(qtbot: Any, window: Any,
                                                           sample: Any) -> None:
    assert ruler_timecode(24 * 3600 * 24 + 5, 24.0) == "24:00:00:05"
    assert ruler_timecode(25 * 3600 * 24, 24.0) == "25:00:00:00"
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    strip = window.strip
    strip.offset = 86400 + 13  # a start timecode that is not on a whole second
    step = strip._tick_step()
    ticks = strip.tick_frames()
    assert ticks and all((t + strip.offset) % step == 0 for t in ticks)
    assert all(strip.mapFromScene(t, 0).x() >= 0 for t in ticks)  # no label cut at the left


def test_7_preview_of_media_found_through_a_media_root(qtbot: Any, tmp_path: Path) -> None:
    import shutil
    import subprocess

    import opentimelineio as otio

    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    roots = tmp_path / "media"
    roots.mkdir()
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x36:rate=24",
                    "-frames:v", "2", str(roots / "MIDJOURNEY_plate.mp4")], check=True)
    tl = otio.schema.Timeline("t")
    track = otio.schema.Track("V1")
    tl.tracks.append(track)
    clip = otio.schema.Clip("MIDJOURNEY_plate", source_range=otio.opentime.TimeRange(
        otio.opentime.RationalTime(0, 24), otio.opentime.RationalTime(2, 24)),
        media_reference=otio.schema.ExternalReference("/nowhere/offline/MIDJOURNEY_plate.mp4"))
    track.append(clip)
    path = tmp_path / "cut.otio"
    otio.adapters.write_to_file(tl, str(path), hook_function_argument_map={
        "aiclear": {"intent": "off"}})
    win = _new_window(qtbot, media=replace(READ_MEDIA, media_root=(str(roots),)))
    open_and_wait(qtbot, win, path)
    seg = win.selected_segment()
    assert seg is not None
    assert win.session.media_path(seg) == roots / "MIDJOURNEY_plate.mp4"
    qtbot.waitUntil(lambda: win.inspector.thumbnail is not None, timeout=LOAD_MS)


def test_7_deliverable_follows_the_umask(qtbot: Any, sample: Any, tmp_path: Path) -> None:
    from aiclear.session.core import Session

    if not available("aiclear.gate"):
        pytest.skip("needs the gate")
    old = os.umask(0o022)
    try:
        session = Session(sample("clean_cut.otio"), SettingsSpec(profile="baseline"))
        session.load()
        out = tmp_path / "deliver" / "cut.otio"
        out.parent.mkdir()
        session.export_deliverable(out)
        session.save_tagged(tmp_path / "tagged.otio")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "tagged.otio").stat().st_mode) == 0o644


def test_7_playhead_jump_to_timecode_selects_the_segment(qtbot: Any, window: Any,
                                                          sample: Any) -> None:
    open_and_wait(qtbot, window, sample("tool_names.otio"))
    assert window.timecode.text() == "01:00:00:00"
    assert window.jump_to("01:00:05:00")
    assert window.strip.playhead == 120
    assert window.timecode.text() == "01:00:05:00"
    assert window.selected_segment().clip == "veo3_city_flyover"
    assert not window.jump_to("1:00")  # refused with a message, playhead kept
    assert not window.jump_to("23:00:00:00")
    assert window.strip.playhead == 120
    x = window.strip.mapFromScene(48, 0).x()
    window.strip.ruler_click(x)
    assert abs(window.strip.playhead - 48) <= 1


def test_7_missing_media_is_not_listed_as_evidence(qtbot: Any, sample: Any) -> None:
    win = _new_window(qtbot)  # media read: its files are looked for, and missing
    open_and_wait(qtbot, win, sample("tool_names.otio"))  # its media files are not here
    kinds = [win.model.index(r, 6).data() for r in range(win.model.rowCount())]
    assert kinds and all("media" not in k.split(", ") for k in kinds)
    assert all("media" in str(win.session.segments[r].evidence) for r in range(len(kinds)))


def test_2_disabled_export_button_explains_itself(qtbot: Any, window: Any, sample: Any) -> None:
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    button = window.acts.export_toolbar.widgetForAction(window.exports.deliverable)
    assert not button.isEnabled()
    assert "is not cleared" in button.toolTip()
    event = QHelpEvent(QEvent.Type.ToolTip, QPoint(4, 4), button.mapToGlobal(QPoint(4, 4)))
    QApplication.sendEvent(button, event)
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert "is not cleared" in QToolTip.text()
