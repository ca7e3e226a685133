"""The panel's main window: strip on top, segment table and inspector below.

The window owns one ``aiclear.session.core.Session`` and binds widgets to it. Slow steps run
in workers (``aiclear.gui.workers``): reading and laying out the file makes the strip
interactive first, then the scan colours the AI segments and fills the table.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import cast

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from aiclear.gui import state
from aiclear.gui.actions import PanelActions
from aiclear.gui.blocks import BlocksView
from aiclear.gui.dialogs import DisclosureDialog, RecordDialog, SignOff, SignOffDialog
from aiclear.gui.elided import ElidedLabel
from aiclear.gui.exporting import blocked_text
from aiclear.gui.filters import FilterBar
from aiclear.gui.inspector import Inspector
from aiclear.gui.live import LiveFile
from aiclear.gui.models import LEGEND, LEGEND_COLOURS, SEGMENT_ROLE, SegmentFilter, SegmentTableModel
from aiclear.gui.strip import TimelineStrip
from aiclear.gui.workers import run_task
from aiclear.model import Segment, UsageRecord
from aiclear.review.blocks import Block
from aiclear.scan.settings import SettingsSpec
from aiclear.session.core import Session, available
from aiclear.timeline.lanes import parse_timecode, ruler_timecode
from aiclear.timeline.read import readable_suffixes
from aiclear.timeline.walk import start_frame

NO_LEDGER = "The clearance ledger (aiclear.ledger) is not part of this build yet"
NO_DISCLOSE = "Disclosures (aiclear.disclose) are not part of this build yet"


class MainWindow(QMainWindow):
    laidOut = Signal()  # noqa: N815 - the strip is interactive
    loaded = Signal()  # the scan finished (or failed): table, colours and banner are current
    failed = Signal(str)
    wrote = Signal(str)  # an export or copy was written (the message says where)

    def __init__(self, spec: SettingsSpec | None = None, ledger: str | None = None,
                 remember: bool = True) -> None:
        super().__init__()
        self.remember = remember  # restore and save window state and recent files
        self.setWindowTitle("aiclear")
        self.spec = spec or SettingsSpec(profile="baseline")
        self.ledger = ledger
        self.session: Session | None = None
        self.current = -1
        self.busy = False
        self._pending_selection: str | None = None
        self._syncing = False
        self._build_widgets()
        self._build_actions()
        self._reload_pending = False
        self.live = LiveFile(self)
        self.live.changed.connect(self.reload)
        self.wrote.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        self.failed.connect(lambda msg: self.statusBar().showMessage(msg))
        self.setAcceptDrops(True)
        self._restore_state()
        self._update_actions()

    # -- construction ---------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.strip = TimelineStrip()
        self.strip.segmentClicked.connect(lambda i: self.select(i, source="strip"))
        self.strip.clipClicked.connect(lambda name: self.statusBar().showMessage(f"{name}: not AI", 3000))
        self.model = SegmentTableModel(self)
        self.proxy = SegmentFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._table_row_changed)
        self.filters = FilterBar(self.proxy)
        self.inspector = Inspector()
        lower = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.filters)
        self.empty_note = QPushButton()
        self.empty_note.setObjectName("empty_note")
        self.empty_note.setFlat(True)
        self.empty_note.clicked.connect(self.filters.clear_all)
        self.empty_note.hide()
        box.addWidget(self.empty_note)
        box.addWidget(self.table, 1)
        for sig in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                    self.proxy.layoutChanged):
            sig.connect(self._update_empty_note)
        lower.addWidget(left)
        lower.addWidget(self.inspector)
        lower.setSizes([760, 440])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.strip)
        self.splitter.addWidget(lower)
        self.splitter.setSizes([230, 470])
        self.setCentralWidget(self.splitter)
        self.blocks = BlocksView({"sign": self._fix_sign, "consent": self._fix_record,
                                  "fact_check": self._fix_record, "declare": self._fix_record,
                                  "relink": self._fix_relink})
        self.blocks_dock = QDockWidget("What blocks delivery", self)
        self.blocks_dock.setObjectName("blocks_dock")
        self.blocks_dock.setWidget(self.blocks)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.blocks_dock)
        self.blocks_dock.hide()
        self.banner = ElidedLabel("Open a timeline (File ▸ Open, or drop a file here)")
        self.banner.clicked.connect(self.show_blocks)
        self.banner.setObjectName("banner")
        self.banner.setProperty("state", "busy")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self.timecode = QLabel("--:--:--:--")
        self.timecode.setObjectName("timecode")
        self.timecode.setToolTip("The playhead (click the ruler; Ctrl+J: go to a timecode)")
        self.statusBar().addPermanentWidget(self.timecode)
        self.strip.playheadMoved.connect(self._show_timecode)
        self.legend = QLabel(" ".join(
            f"<span style='color:{LEGEND_COLOURS[key]}'>■</span>&nbsp;{escape(text.split(':')[0])}"
            for key, text in LEGEND))
        self.legend.setObjectName("legend")
        self.legend.setToolTip("\n".join(text for _, text in LEGEND))
        self.statusBar().addPermanentWidget(self.legend)
        self.ledger_state = QLabel("")
        self.ledger_state.setObjectName("ledgerState")
        self.statusBar().addPermanentWidget(self.ledger_state)

    def _build_actions(self) -> None:
        self.acts = PanelActions(self)
        self.exports = self.acts.exports
        self.recent_menu = self.acts.recent_menu
        self.timeline_box = self.acts.timeline_box
        self.timeline_action = self.acts.timeline_action

    # -- opening and loading --------------------------------------------------------------
    def choose_file(self) -> None:
        patterns = " ".join(f"*.{s}" for s in readable_suffixes())
        start = state.last_folder()
        path, _ = QFileDialog.getOpenFileName(self, "Open timeline", start,
                                              f"Timelines ({patterns});;All files (*)")
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> None:
        if not self.confirm_unsigned():
            return
        self.live.watch(Path(path))
        self._reload_pending = False
        self.session = Session(Path(path), self.spec, self.ledger)
        self.current = -1
        self._pending_selection = None
        self.model.set_segments([])
        self.inspector.show_segment(None, None)
        self.setWindowTitle(f"aiclear — {Path(path).name}")
        self._start_load()

    def reload(self) -> None:
        """Read the file again (the NLE re-exported it), keeping the selection and edits."""
        if self.session is None:
            return
        if self.busy:  # a change during a load: read it again once this load is done
            self._reload_pending = True
            return
        seg = self.selected_segment()
        self._pending_selection = seg.segment_id if seg else None
        self._start_load()

    def _start_load(self, read_file: bool = True) -> None:
        session = self.session
        assert session is not None
        self._set_busy(f"Reading {session.path.name}…" if read_file else "Laying out…")
        self.banner.setText(f"Loading {session.path.name}…")
        self.banner.set_detail("")
        self.banner.setProperty("state", "busy")
        self._restyle(self.banner)

        def read() -> Session:
            if read_file:
                session.read()
            session.layout()
            return session

        run_task(read, self._laid_out, self._load_failed, self)

    def _laid_out(self, session: Session) -> None:
        if session is not self.session:
            return
        self._remember(session.path)  # only a file that opened goes into Open Recent
        self._fill_timelines(session)
        offset = start_frame(session.timeline, session.rate)
        self.strip.set_lanes(session.lanes, session.rate, offset)
        self.strip.set_playhead(0, reveal=False)
        self._fit_strip_height()
        self.laidOut.emit()
        clips = sum(len(lane) for lane in session.lanes)
        self._set_busy(f"Checking {clips:,} clips…")
        run_task(session.scan, lambda _r: self._scanned(session), self._load_failed, self)

    def _fill_timelines(self, session: Session) -> None:
        """A file may hold several timelines (a bin, an AAF): offer a choice when it does."""
        names = [name for name, _ in session.timelines]
        self.timeline_box.blockSignals(True)
        self.timeline_box.clear()
        self.timeline_box.addItems(names)
        self.timeline_box.setCurrentIndex(session.index)
        self.timeline_box.blockSignals(False)
        self.timeline_action.setVisible(len(names) > 1)

    def choose_timeline(self, index: int) -> None:
        session = self.session
        if session is None or self.busy or not 0 <= index < len(session.timelines):
            return
        if not self.confirm_unsigned():
            self._fill_timelines(session)  # put the choice back
            return
        session.index = index
        session.invalidate()
        self.current = -1
        self._pending_selection = None
        self._start_load(read_file=False)

    def _fit_strip_height(self) -> None:
        """Give the strip the height its tracks need (within limits), the rest to the table."""
        wanted = min(max(self.strip.content_height(), 120), 360)
        total = sum(self.splitter.sizes())
        self.splitter.setSizes([wanted, max(total - wanted, 200)])

    def _scanned(self, session: Session) -> None:
        if session is not self.session:
            return
        self._set_idle()
        self._refresh_segments()
        text, why = session.ledger_state()
        self.ledger_state.setText(text)
        self.ledger_state.setToolTip(why)
        self.ledger_state.setProperty("state", "pass" if "pinned" in text else "blocked")
        self._restyle(self.ledger_state)
        wanted = self._pending_selection
        self._pending_selection = None
        index = next((i for i, s in enumerate(session.segments) if s.segment_id == wanted), -1)
        if index < 0 and session.segments and wanted is None:
            index = 0
        self.select(index, source="load")
        self.loaded.emit()
        self._reload_if_pending()

    def _reload_if_pending(self) -> None:
        if self._reload_pending:
            self._reload_pending = False
            self.reload()

    def _load_failed(self, message: str) -> None:
        self._set_idle()
        self.banner.setText(message)
        self.banner.setProperty("state", "blocked")
        self._restyle(self.banner)
        self.statusBar().showMessage(message)
        self._update_actions()
        self.failed.emit(message)
        self.loaded.emit()
        self._reload_if_pending()

    def _set_busy(self, text: str) -> None:
        self.busy = True
        self.progress.setRange(0, 0)
        self.progress.show()
        self.statusBar().showMessage(text)
        self._update_actions()

    def _set_idle(self) -> None:
        self.busy = False
        self.progress.hide()
        self.statusBar().clearMessage()

    # -- the segments ---------------------------------------------------------------------
    def _refresh_segments(self) -> None:
        """Push the session's segments into the table, the strip colours and the banner."""
        session = self.session
        segments = session.segments if session else []
        if len(segments) != self.model.rowCount():
            self.model.set_segments(segments)
        else:
            self.model.refresh()
        self.strip.set_statuses([session.shown_status(s) for s in segments] if session else [])
        self.filters.set_tracks(sorted({s.track_label for s in segments}))
        self._update_banner()
        self._update_actions()
        self.inspector.show_segment(self.selected_segment(), session)
        if self.blocks_dock.isVisible():
            self.blocks.show_session(session)

    def _update_banner(self) -> None:
        if self.session is None:
            return
        blockers = self.session.blockers()
        count = len(self.session.segments)
        if blockers.blocked:
            groups = " · ".join(f"{title} ({len(found)})"
                                for _, title, _, found in self.session.block_groups())
            text = f"BLOCKED · {groups} — click for what fixes them"
        else:
            text = f"CLEAR · {count} AI segment(s), nothing blocks"
        self.banner.setText(text)
        self.banner.set_detail(blocked_text(self.session) if blockers.blocked else "")
        self.banner.setProperty("state", "blocked" if blockers.blocked else "clear")
        self._restyle(self.banner)

    def selected_segment(self) -> Segment | None:
        if self.session is None or not 0 <= self.current < len(self.session.segments):
            return None
        return self.session.segments[self.current]

    def select(self, index: int, source: str = "") -> None:
        """Make a segment current everywhere: strip, table and inspector."""
        self.current = index
        self.strip.select(index, reveal=source != "strip")
        if source != "table":
            self._select_row(index)
        self.inspector.show_segment(self.selected_segment(), self.session)
        self._update_actions()

    def _select_row(self, index: int) -> None:
        selection = self.table.selectionModel()
        if index < 0:
            selection.clearSelection()
            return
        proxy_index = self.proxy.mapFromSource(self.model.index(index, 0))
        if not proxy_index.isValid():
            selection.clearSelection()
            return
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        # not blockSignals: the view repaints its highlight from these very signals
        self._syncing = True
        try:
            selection.setCurrentIndex(proxy_index, flags)
        finally:
            self._syncing = False
        self.table.scrollTo(proxy_index)

    # -- the playhead -----------------------------------------------------------------------
    def _show_timecode(self, frame: int) -> None:
        self.timecode.setText(ruler_timecode(frame + self.strip.offset, self.strip.rate))

    def ask_timecode(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(self, "Go to timecode", "Timecode (HH:MM:SS:FF)",
                                        text=self.timecode.text())
        if ok:
            self.jump_to(text)

    def jump_to(self, text: str) -> bool:
        """Move the playhead to a timecode and select the AI segment there, if any."""
        session = self.session
        frame = parse_timecode(text, self.strip.rate)
        if session is None or frame is None:
            self.statusBar().showMessage(f"not a timecode: {text!r} (expected HH:MM:SS:FF)", 5000)
            return False
        frame -= self.strip.offset
        if not 0 <= frame < max(self.strip.length, 1):
            self.statusBar().showMessage(f"{text} is outside this timeline", 5000)
            return False
        self.strip.set_playhead(frame)
        under = [i for i, s in enumerate(session.segments) if s.start_frame <= frame < s.end_frame]
        if under:
            self.select(under[0])
        return True

    # -- what blocks delivery --------------------------------------------------------------
    def show_blocks(self) -> None:
        """Open the "What blocks delivery" view beside the inspector."""
        self.blocks.show_session(self.session)
        self.blocks_dock.show()
        self.blocks_dock.raise_()

    def _select_id(self, segment_id: str | None) -> bool:
        if self.session is None or segment_id is None:
            return False
        index = next((i for i, s in enumerate(self.session.segments)
                      if s.segment_id == segment_id), -1)
        if index >= 0:
            self.select(index)
        return index >= 0

    def _fix_sign(self, block: Block) -> None:
        if self._select_id(block.segment_id):
            self.sign("approve")

    def _fix_record(self, block: Block) -> None:
        if self._select_id(block.segment_id):
            self.edit_record()

    def _fix_relink(self, _block: Block) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder holding the media (a media root)",
                                                  state.last_folder())
        if folder:
            self.relink(Path(folder))

    def relink(self, folder: Path) -> None:
        """Look for missing media under ``folder`` too (--media-root) and check again."""
        from dataclasses import replace

        media = self.spec.media
        self.spec = replace(self.spec, media=replace(media, enabled=True,
                                                     media_root=(*media.media_root, str(folder))))
        if self.session is not None:
            self.session.set_spec(self.spec)
            self.reload()

    def _update_empty_note(self, *_args: object) -> None:
        """An empty table says why (the filters hide every row) and offers to clear them."""
        hidden = self.model.rowCount() - self.proxy.rowCount()
        if self.model.rowCount() and not self.proxy.rowCount():
            self.empty_note.setText(f"No AI segment matches the filters ({hidden} hidden) — "
                                    "click to show all")
            self.empty_note.show()
        else:
            self.empty_note.hide()

    def focus_filter(self) -> None:
        self.filters.text.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.text.selectAll()

    def _table_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._syncing:
            self.select(int(current.data(SEGMENT_ROLE)), source="table")

    def step(self, direction: int) -> None:
        """Next (1) or previous (-1) AI segment in time order."""
        if self.session is None or not self.session.segments:
            return
        segments = self.session.segments
        shown = [i for i in range(len(segments))  # only the rows the table's filter shows
                 if self.proxy.mapFromSource(self.model.index(i, 0)).isValid()]
        if not shown:
            return
        order = sorted(shown, key=lambda i: (segments[i].start_frame,
                                             segments[i].track_kind != "Video",
                                             segments[i].track_index))
        if self.current not in order:
            target = order[0] if direction > 0 else order[-1]
        else:
            pos = order.index(self.current) + direction
            target = order[max(0, min(pos, len(order) - 1))]
        self.select(target)

    # -- decisions and edits --------------------------------------------------------------
    def sign(self, verb: str) -> None:
        seg = self.selected_segment()
        if seg is None or self.session is None:
            return
        dialog = self.signoff_dialog(seg, verb)
        dialog.exec()

    def signoff_dialog(self, seg: Segment, verb: str) -> SignOffDialog:
        """The sign-off dialog, signing through the session; errors stay in the dialog."""
        return SignOffDialog(seg, verb, self, self.session,
                             lambda value: self.sign_now(seg.segment_id, value))

    def record_dialog(self, seg: Segment) -> RecordDialog:
        """The record dialog; it asks the session, before signing, what the key cannot relax."""
        session = self.session
        assert session is not None
        return RecordDialog(seg, self, relax_check=lambda fields, key: session.relax_refusal(
            seg.segment_id, fields, key))

    def sign_now(self, segment_id: str, value: SignOff) -> str | None:
        """Sign at once (a ledger append takes milliseconds); the error, or None."""
        session = self.session
        if session is None:
            return "no timeline is open"
        try:
            seq = session.decide(segment_id, value.verb, value.key_file, note=value.note,
                                 conditions=value.conditions, expires=value.expires)
        except Exception as err:  # noqa: BLE001 - shown in the dialog, one line
            from aiclear.gui.workers import one_line

            return one_line(err)
        self._changed(f"{value.verb} signed as ledger entry {seq}")
        return None

    def apply_signoff(self, segment_id: str, value: SignOff) -> None:
        session = self.session
        if session is None:
            return
        self._set_busy(f"Signing {value.verb}…")
        run_task(lambda: session.decide(segment_id, value.verb, value.key_file, note=value.note,
                                        conditions=value.conditions, expires=value.expires),
                 lambda seq: self._changed(f"{value.verb} signed as ledger entry {seq}"),
                 self._action_failed, self)

    def edit_record(self) -> None:
        seg = self.selected_segment()
        if seg is None or self.session is None:
            return
        dialog = self.record_dialog(seg)
        if dialog.exec() == RecordDialog.DialogCode.Accepted:
            self.apply_edit(seg.segment_id, dialog.fields(), dialog.key_file())

    def apply_edit(self, segment_id: str, fields: dict[str, object],
                   key_file: Path | None = None) -> None:
        """Declare record fields; with a key, sign them into the ledger at once."""
        assert self.session is not None
        try:
            # the session checks the field names against what a person may edit
            self.session.edit(segment_id, cast(UsageRecord, dict(fields)))
        except Exception as err:  # noqa: BLE001 - shown as one line
            from aiclear.gui.workers import one_line

            self._action_failed(one_line(err))
            return
        if key_file is None or not available("aiclear.ledger"):
            self._changed("record edit NOT signed yet: Segment ▸ Sign declarations… "
                          "(you will be asked before it could be lost)")
            return
        self.sign_edits(key_file)

    def sign_edits(self, key_file: Path) -> None:
        """Sign every unsigned record edit into the ledger (in a worker)."""
        session = self.session
        if session is None or not session.unsigned():
            return
        self._set_busy("Signing declarations…")
        run_task(lambda: session.sign_edits(key_file),
                 lambda seqs: self._changed("declaration signed as ledger entry "
                                            + ", ".join(map(str, seqs))),
                 lambda msg: self._action_failed(f"{msg} (the edit is kept, unsigned)"), self)

    def choose_key_and_sign(self) -> bool:
        """Ask for a key file and sign the unsigned edits now; True when they were signed."""
        from PySide6.QtCore import QSettings

        session = self.session
        if session is None or not session.unsigned():
            return True
        start = str(QSettings().value("signoff/key_file", "") or "")
        path, _ = QFileDialog.getOpenFileName(self, "Sign declarations with key", start,
                                              "aiclear keys (*.key *.pem);;All files (*)")
        if not path:
            return False
        QSettings().setValue("signoff/key_file", path)
        try:
            seqs = session.sign_edits(Path(path))
        except Exception as err:  # noqa: BLE001 - shown as one line; the edits stay
            from aiclear.gui.workers import one_line

            self._action_failed(f"{one_line(err)} (the edit is kept, unsigned)")
            return False
        self._changed("declaration signed as ledger entry " + ", ".join(map(str, seqs)))
        return True

    def confirm_unsigned(self) -> bool:
        """Before the session is dropped: sign, discard or stay (False: stay)."""
        session = self.session
        if session is None or not session.unsigned():
            return True
        answer = self.ask_unsigned(len(session.unsigned()))
        if answer == "sign":
            return self.choose_key_and_sign()
        if answer == "discard":
            session.discard_edits()
            return True
        return False

    def ask_unsigned(self, count: int) -> str:
        """"sign", "discard" or "cancel" (a method of its own so tests can answer it)."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, "Unsigned record edits",
                          f"{count} record edit(s) are not signed into the ledger yet. "
                          "Unsigned edits are lost when this timeline is closed.", parent=self)
        sign = box.addButton("Sign…", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard edits", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(sign)
        box.exec()
        clicked = box.clickedButton()
        return "sign" if clicked is sign else "discard" if clicked is discard else "cancel"

    def _changed(self, message: str) -> None:
        self._set_idle()
        self._refresh_segments()
        self.strip.viewport().update()
        self.statusBar().showMessage(message, 5000)
        self.loaded.emit()
        self._reload_if_pending()

    def _action_failed(self, message: str) -> None:
        self._set_idle()
        self._update_actions()
        self.statusBar().showMessage(message)
        self.failed.emit(message)
        self._reload_if_pending()

    def preview_disclosures(self) -> None:
        if self.session is not None and self.session.result is not None:
            DisclosureDialog(self.session, self).show()

    # -- enabling -------------------------------------------------------------------------
    def _update_actions(self) -> None:
        ready = self.session is not None and self.session.result is not None and not self.busy
        has_seg = ready and self.selected_segment() is not None
        ledger = available("aiclear.ledger")
        for act in (self.acts.approve, self.acts.reject, self.acts.revoke):
            act.setEnabled(has_seg and ledger)
            act.setToolTip(act.text().replace("&", "") if ledger else NO_LEDGER)
        self.acts.edit.setEnabled(has_seg)
        self.acts.sign_edits.setEnabled(bool(self.session and self.session.unsigned())
                                        and ledger and not self.busy)
        disclose = available("aiclear.disclose")
        self.acts.disclose.setEnabled(ready and disclose)
        self.acts.disclose.setToolTip("Preview the on-screen labels and the credit block"
                                     if disclose else NO_DISCLOSE)
        for act in (self.acts.next, self.acts.prev):
            act.setEnabled(ready)
        self.exports.update(ready)

    # -- drag and drop, settings ---------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            self.open_path(files[0])
            event.acceptProposedAction()

    def _remember(self, path: Path) -> None:
        if self.remember:
            state.remember_file(path)
            self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for item in state.recent_files():
            act = self.recent_menu.addAction(item)
            act.triggered.connect(lambda _=False, p=item: self.open_path(Path(p)))
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    def _restore_state(self) -> None:
        self.resize(1280, 780)
        if self.remember:
            state.restore_layout(self, self.splitter)
            self._fill_recent()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.banner.updateGeometry()  # its width follows the window's (ElidedLabel.sizeHint)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.confirm_unsigned():
            event.ignore()
            return
        if self.remember:
            state.save_layout(self, self.splitter)
        super().closeEvent(event)

    @staticmethod
    def _restyle(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

