"""The panel offscreen: loading, filters, strip/table sync, keyboard, exports, reload."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import opentimelineio as otio
import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, Qt  # noqa: E402

from aiclear.detect import record  # noqa: E402
from aiclear.gui.dialogs import SignOff, SignOffDialog  # noqa: E402
from aiclear.gui.exporting import NO_GATE  # noqa: E402
from aiclear.scan.settings import MediaOptions  # noqa: E402
from aiclear.session.core import PROVISIONAL_LABEL, available  # noqa: E402
from aiclear.timeline.read import NO_TAG  # noqa: E402
from tests.gui.conftest import LOAD_MS, open_and_wait  # noqa: E402
from tests.session.ledger_setup import make_ledger  # noqa: E402

pytestmark = pytest.mark.gui
NLE_WRITE = {"aiclear": {"intent": "off"}}  # an NLE's export does not pass our gate


def _rows(win: Any) -> list[str]:
    proxy = win.proxy
    return [proxy.index(r, 4).data() for r in range(proxy.rowCount())]


def test_loading_fills_strip_table_and_banner(qtbot: Any, window: Any, sample: Any) -> None:
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    session = window.session
    assert window.model.rowCount() == len(session.segments) == 3
    assert [item.lane.label for item in window.strip.lanes] == ["V2", "V1"]  # video top-down
    assert sum(len(item.ai_index) for item in window.strip.lanes) == 3
    assert window.banner.text().startswith("BLOCKED")
    assert window.banner.property("state") == "blocked"
    assert not window.exports.deliverable.isEnabled()
    assert "(3 blocking)" in window.exports.deliverable.text()
    assert "is not cleared: it needs an approval signed by" in window.exports.deliverable.toolTip()
    assert "aiclear approve" not in window.exports.deliverable.toolTip()  # plain language
    assert window.exports.review.isEnabled()
    assert window.current == 0  # the first segment is selected and inspected
    assert window.inspector.segment is session.segments[0]
    assert "clearance.provisional" in window.inspector.body.toPlainText()


def test_load_error_is_one_line(qtbot: Any, window: Any, tmp_path: Path) -> None:
    bad = tmp_path / "broken.otio"
    bad.write_text("{ not json")
    with qtbot.waitSignal(window.failed, timeout=LOAD_MS) as blocker:
        window.open_path(bad)
    message = blocker.args[0]
    assert "broken.otio" in message
    assert "\n" not in message
    assert window.banner.text() == message
    assert not window.exports.deliverable.isEnabled()


def test_filters(qtbot: Any, window: Any, sample: Any) -> None:
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    assert len(_rows(window)) == 3
    window.filters.text.setText("genai")
    assert _rows(window) == ["GENAI_skyline_v2"]
    window.filters.text.clear()
    window.filters.track.setCurrentIndex(window.filters.track.findData("V2"))
    assert _rows(window) == ["synthetic_crowd_fill"]
    window.filters.track.setCurrentIndex(0)
    window.filters.status_boxes["provisional"].setChecked(False)
    assert _rows(window) == []
    window.filters.status_boxes["provisional"].setChecked(True)
    window.filters.blocking.setChecked(True)
    assert len(_rows(window)) == 3


def test_strip_click_selects_table_row(qtbot: Any, window: Any, sample: Any) -> None:
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    strip = window.strip
    target = next(i for i, s in enumerate(window.session.segments) if s.clip == "synthetic_crowd_fill")
    point = strip.mapFromScene(strip.scene_point_of(target))
    qtbot.mouseClick(strip.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x(), point.y()))
    assert window.current == target
    assert strip.selected == target
    row = window.table.selectionModel().currentIndex()
    assert row.isValid()
    assert window.proxy.index(row.row(), 4).data() == "synthetic_crowd_fill"
    assert window.inspector.segment.clip == "synthetic_crowd_fill"


def test_table_selection_moves_strip(qtbot: Any, window: Any, sample: Any) -> None:
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    window.filters.text.setText("genai")
    window.table.selectRow(0)
    index = window.table.selectionModel().currentIndex()
    window.table.setCurrentIndex(index)
    assert window.session.segments[window.current].clip == "GENAI_skyline_v2"
    assert window.strip.selected == window.current


def test_keyboard_next_previous(qtbot: Any, window: Any, sample: Any) -> None:
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    # window shortcuts fire only in the active window: offscreen makes it active on its
    # own, a real X server without a window manager (Xvfb) only when asked
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    segments = window.session.segments
    by_time = sorted(range(len(segments)), key=lambda i: segments[i].start_frame)
    window.select(by_time[0])
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_N)
    assert window.current == by_time[1]
    qtbot.keyClick(window.table, Qt.Key.Key_N)
    assert window.current == by_time[2]
    qtbot.keyClick(window.table, Qt.Key.Key_P)
    assert window.current == by_time[1]


def test_strip_zoom_is_view_only(qtbot: Any, window: Any, sample: Any) -> None:
    open_and_wait(qtbot, window, sample("tool_names.otio"))
    strip = window.strip
    fitted = strip.px_per_frame()
    strip.zoom_by(4.0)
    assert strip.px_per_frame() == pytest.approx(fitted * 4.0)
    assert strip.transform().m22() == 1.0  # X-only: rows keep their height
    strip.zoom_by(1e-6)
    assert strip.px_per_frame() == pytest.approx(fitted)  # never smaller than the whole cut
    strip.fit()
    assert strip.px_per_frame() == pytest.approx(fitted)


def test_edit_record_is_declared_manually(qtbot: Any, window: Any, sample: Any) -> None:
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    seg = window.session.segments[0]
    assert "declare.use_missing" in {f.rule for f in seg.findings}
    with qtbot.waitSignal(window.loaded, timeout=LOAD_MS):
        window.apply_edit(seg.segment_id, {"use": "background_element", "lifecycle": "final"})
    seg = window.session.segment(seg.segment_id)
    assert seg.record["use"] == "background_element"
    assert "declare.use_missing" not in {f.rule for f in seg.findings}
    assert "manual" in window.model.index(window.current, 6).data()


def test_review_export_always_allowed(qtbot: Any, window: Any, sample: Any, tmp_path: Path) -> None:
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    assert window.session.blockers().blocked
    out = tmp_path / "review.otio"
    with qtbot.waitSignal(window.wrote, timeout=LOAD_MS):
        window.exports.export_review(out)
    copy = otio.adapters.read_from_file(str(out), hook_function_argument_map=NO_TAG)
    labelled = [c for c in copy.find_clips() if any(m.name == PROVISIONAL_LABEL for m in c.markers)]
    assert len(labelled) == 3
    assert all(record.read(c)["status"] == "provisional" for c in labelled)


def test_clean_timeline_deliverable_state(qtbot: Any, window: Any, sample: Any) -> None:
    open_and_wait(qtbot, window, sample("clean_cut.otio"))
    assert window.banner.text().startswith("CLEAR")
    assert not window.exports.show_blocking.isEnabled()
    deliverable = window.exports.deliverable
    if available("aiclear.gate.decision"):
        assert deliverable.isEnabled()
    else:
        assert not deliverable.isEnabled()
        assert deliverable.toolTip() == NO_GATE


def test_show_blocking(qtbot: Any, window: Any, sample: Any) -> None:
    open_and_wait(qtbot, window, sample("disabled_ai.otio"))
    window.filters.text.setText("zzz")
    assert _rows(window) == []
    if window.exports.show_blocking.isEnabled():
        window.exports.show_blocking.trigger()
        assert window.filters.blocking.isChecked()
        assert all(window.session.segments[i].blocking
                   for i in range(len(window.session.segments))
                   if window.proxy.mapFromSource(window.model.index(i, 0)).isValid())
    else:  # disabled AI never blocks
        assert not window.session.blockers().blocked


def test_reload_on_file_change_keeps_selection(qtbot: Any, window: Any, sample: Any) -> None:
    path = sample("nested_compound.otio")
    open_and_wait(qtbot, window, path)
    chosen = next(s for s in window.session.segments if s.clip == "synthetic_crowd_fill")
    window.select(window.session.segments.index(chosen))
    timeline = otio.adapters.read_from_file(str(path), hook_function_argument_map=NO_TAG)
    extra = otio.schema.Clip("MIDJOURNEY_extra_plate", source_range=otio.opentime.TimeRange(
        otio.opentime.RationalTime(0, 24), otio.opentime.RationalTime(24, 24)))
    timeline.tracks[0].append(extra)
    tmp = path.with_suffix(".tmp.otio")
    otio.adapters.write_to_file(timeline, str(tmp), hook_function_argument_map=NLE_WRITE)
    with qtbot.waitSignal(window.loaded, timeout=LOAD_MS):
        os.replace(tmp, path)  # the way an NLE re-exports: rename over the file
    assert len(window.session.segments) == 4
    assert window.selected_segment().segment_id == chosen.segment_id
    assert window.model.rowCount() == 4
    # still watched after the rename: a second change reloads again
    clips = sum(len(item.lane) for item in window.strip.lanes)
    timeline.tracks[0].append(otio.schema.Clip("plain_clip", source_range=extra.source_range))
    otio.adapters.write_to_file(timeline, str(tmp), hook_function_argument_map=NLE_WRITE)
    with qtbot.waitSignal(window.loaded, timeout=LOAD_MS):
        os.replace(tmp, path)
    assert sum(len(item.lane) for item in window.strip.lanes) == clips + 1


def test_screenshot(qtbot: Any, qapp: Any, sample: Any, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    from aiclear.cli import main

    out = tmp_path / "panel.png"
    code = main(["panel", str(sample("tool_names.otio")), "--screenshot", str(out)])
    assert code == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1440, 860)
    amber = image.pixelColor(0, 0)  # sanity: an image was drawn, not an empty buffer
    assert amber.isValid()


def _sign(qtbot: Any, window: Any, verb: str, key: Path, note: str = "") -> None:
    seg = window.selected_segment()
    with qtbot.waitSignal(window.loaded, timeout=LOAD_MS):
        window.apply_signoff(seg.segment_id, SignOff(verb, key, note, "", None))


def test_approve_flow_then_export_enabled(qtbot: Any, window: Any, sample: Any,
                                          tmp_path: Path) -> None:
    keys = make_ledger(tmp_path)  # the default ledger: beside the timeline
    # only media aiclear reads can be cleared: real files, and a panel that reads them
    path = sample("nested_compound.otio")
    from tests.plugin.helpers import NO_TAG as NO_TAG_HOOK
    from tests.plugin.helpers import with_media

    (tmp_path / "media").mkdir()
    with_media(otio.adapters.read_from_file(str(path), hook_function_argument_map=NO_TAG_HOOK),
               tmp_path / "media").to_json_file(str(path))
    window.spec = dataclasses.replace(window.spec, media=MediaOptions(enabled=True, progress=False,
                                                                      jobs=0))
    open_and_wait(qtbot, window, path)
    assert not window.exports.deliverable.isEnabled()
    assert window.acts.approve.isEnabled()
    first = window.selected_segment()
    _sign(qtbot, window, "approve", keys["legal"], "licence checked")
    assert first.status == "cleared"
    assert window.model.index(window.current, 0).data() == "cleared"
    assert window.strip.status_of(window.current) == "cleared"
    qtbot.waitUntil(lambda: isinstance(window.inspector.history, list)
                    and len(window.inspector.history) == 1, timeout=LOAD_MS)
    assert "licence checked" in window.inspector.body.toPlainText()
    assert "Lea Legal" in window.inspector.body.toPlainText()
    assert "(2 blocking)" in window.exports.deliverable.text()
    for _ in range(2):
        window.step(1)
        _sign(qtbot, window, "approve", keys["legal"])
    assert not window.session.blockers().blocked
    assert window.banner.text().startswith("CLEAR")
    assert window.exports.deliverable.isEnabled()
    out = tmp_path / "out" / "cut.otio"
    out.parent.mkdir()
    outcome: list[str] = []
    window.wrote.connect(lambda m: outcome.append("wrote " + m))
    window.failed.connect(lambda m: outcome.append("failed " + m))
    window.exports.export_deliverable(out, ["srt"], "en")
    qtbot.waitUntil(lambda: bool(outcome), timeout=LOAD_MS)
    assert outcome[0].startswith("wrote"), outcome
    delivered = otio.adapters.read_from_file(str(out), hook_function_argument_map=NO_TAG)
    assert [record.read(c)["status"] for c in delivered.find_clips() if record.read(c)] == [
        "cleared"] * 3
    assert (out.parent / "cut.ai-labels.srt").is_file()
    # a rejection blocks again, in red
    _sign(qtbot, window, "reject", keys["legal"], "no")
    assert window.selected_segment().status == "rejected"
    assert "clearance.rejected" in window.model.index(window.current, 7).data()
    assert not window.exports.deliverable.isEnabled()


def test_untrusted_key_fails_in_one_line(qtbot: Any, window: Any, sample: Any,
                                         tmp_path: Path) -> None:
    make_ledger(tmp_path)
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    seg = window.selected_segment()
    with qtbot.waitSignal(window.failed, timeout=LOAD_MS) as blocker:
        window.apply_signoff(seg.segment_id, SignOff("approve", tmp_path / "missing.key", "", "",
                                                      None))
    assert "missing.key" in blocker.args[0]
    assert "\n" not in blocker.args[0]
    assert seg.status == "provisional"


def test_signoff_dialog_collects_input(qtbot: Any, window: Any, sample: Any) -> None:
    open_and_wait(qtbot, window, sample("nested_compound.otio"))
    dialog = SignOffDialog(window.selected_segment(), "reject", window)
    qtbot.addWidget(dialog)
    assert not dialog.conditions.isEnabled()  # conditions belong to approvals
    dialog.verb.setCurrentIndex(0)
    assert dialog.conditions.isEnabled()
    dialog.key.setText("/keys/lea.key")
    dialog.note.setPlainText("checked")
    dialog.conditions.setText("festival only")
    value = dialog.value()
    assert value == SignOff("approve", Path("/keys/lea.key"), "checked", "festival only", None)


def test_disclosure_preview_language_switch(qtbot: Any, window: Any, sample: Any) -> None:
    from aiclear.gui.dialogs import DisclosureDialog

    open_and_wait(qtbot, window, sample("tool_names.otio"))
    assert window.acts.disclose.isEnabled()
    dialog = DisclosureDialog(window.session, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=LOAD_MS)
    english = dialog.preview
    dialog.lang.setCurrentIndex(dialog.lang.findText("fr"))
    qtbot.waitUntil(lambda: dialog.preview is not english and dialog.preview.lang == "fr",
                    timeout=LOAD_MS)
    assert dialog.preview.events
    assert dialog.preview.events != english.events
    assert "On-screen labels" in dialog.view.toPlainText()


def test_drop_opens_the_file(qtbot: Any, window: Any, sample: Any) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    path = sample("tool_names.otio")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.loaded, timeout=LOAD_MS):
        window.dropEvent(event)
    assert window.session.path == path
    assert len(window.session.segments) == 5


def test_record_dialog_round_trip(qtbot: Any, window: Any, sample: Any) -> None:
    from aiclear.gui.dialogs import RecordDialog

    open_and_wait(qtbot, window, sample("ai_voice.otio"))
    seg = window.selected_segment()
    dialog = RecordDialog(seg, window)
    qtbot.addWidget(dialog)
    assert dialog.people.rowCount() == len(seg.record.get("people") or [])
    dialog.lifecycle.setCurrentIndex(dialog.lifecycle.findData("final"))
    dialog.add_person({"name": "Rae Rivers", "consent": {"status": "granted", "ref": "REL-7"}})
    fields = dialog.fields()
    assert fields["lifecycle"] == "final"
    assert {"name": "Rae Rivers", "consent": {"status": "granted", "ref": "REL-7"}} in fields["people"]
    with qtbot.waitSignal(window.loaded, timeout=LOAD_MS):
        window.apply_edit(seg.segment_id, fields)
    edited = window.session.segment(seg.segment_id)
    assert edited.record["lifecycle"] == "final"
    assert any(p["name"] == "Rae Rivers" for p in edited.record["people"])


def test_several_timelines_offer_a_choice(qtbot: Any, window: Any, tmp_path: Path) -> None:
    from tests.conftest import SAMPLES

    first = otio.adapters.read_from_file(str(SAMPLES / "tool_names.otio"),
                                         hook_function_argument_map=NO_TAG)
    second = otio.adapters.read_from_file(str(SAMPLES / "nested_compound.otio"),
                                          hook_function_argument_map=NO_TAG)
    first.name, second.name = "reel 1", "reel 2"
    both = tmp_path / "reels.otio"
    otio.adapters.write_to_file(otio.schema.SerializableCollection("reels", [first, second]),
                                str(both), hook_function_argument_map=NLE_WRITE)
    open_and_wait(qtbot, window, both)
    assert window.timeline_action.isVisible()
    assert [window.timeline_box.itemText(i) for i in range(window.timeline_box.count())] == [
        "reel 1", "reel 2"]
    assert len(window.session.segments) == 5
    with qtbot.waitSignal(window.loaded, timeout=LOAD_MS):
        window.timeline_box.setCurrentIndex(1)
    assert window.session.result.name == "reel 2"
    assert len(window.session.segments) == 3
    assert window.model.rowCount() == 3


def test_reload_after_delete_and_recreate(qtbot: Any, window: Any, sample: Any) -> None:
    path = sample("tool_names.otio")
    open_and_wait(qtbot, window, path)
    timeline = otio.adapters.read_from_file(str(path), hook_function_argument_map=NO_TAG)
    del timeline.tracks[0][1]  # drop the Midjourney matte painting
    path.unlink()  # some tools delete first and write a new file a moment later
    qtbot.wait(600)
    assert len(window.session.segments) == 5  # nothing to read yet: the panel waits
    with qtbot.waitSignal(window.loaded, timeout=LOAD_MS):
        otio.adapters.write_to_file(timeline, str(path), hook_function_argument_map=NLE_WRITE)
    assert len(window.session.segments) == 4
    assert "Midjourney_matte_painting" not in _rows(window)


def test_change_during_a_load_is_read_afterwards(qtbot: Any, window: Any, sample: Any) -> None:
    path = sample("tool_names.otio")
    open_and_wait(qtbot, window, path)
    timeline = otio.adapters.read_from_file(str(path), hook_function_argument_map=NO_TAG)
    del timeline.tracks[0][1]
    window.reload()  # busy from here until the scan is done
    assert window.busy
    window.reload()  # a change notice arriving meanwhile is kept, not dropped
    otio.adapters.write_to_file(timeline, str(path), hook_function_argument_map=NLE_WRITE)
    qtbot.waitUntil(lambda: not window.busy and len(window.session.segments) == 4,
                    timeout=LOAD_MS)
