"""The inspector: everything known about the selected AI segment.

The record, the evidence (C2PA validation state and signer, the register entry, markers,
comments), the findings with their rule ids, the clip's first frame (decoded in the
background) and the asset's ledger history (read in the background). Every string from a
file is HTML-escaped before it reaches the rich-text view.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from aiclear.gui.models import STATUS_COLOURS, STATUS_TEXT
from aiclear.gui.player import Player
from aiclear.gui.workers import run_task
from aiclear.ledger.signoff import HistoryItem
from aiclear.media.thumbnail import Thumbnail, first_frame
from aiclear.model import Segment, UsageRecord
from aiclear.review.labels import label, tool_text
from aiclear.session.core import Session

THUMB_MAX_H = 150
THUMB_TEXT_H = 28
RECORD_FIELDS = ("ai_class", "source_type", "use", "lifecycle", "presented_as", "description",
                 "prompt_ref", "production", "asset_id")


class Inspector(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("No AI segment selected")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.thumb = QLabel()
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setFixedHeight(THUMB_TEXT_H)
        self.body = QTextBrowser()
        self.body.setOpenLinks(False)
        self.body.setOpenExternalLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.thumb)
        self.player = Player()
        self.player.on_loaded = self.thumb.hide  # type: ignore[method-assign]
        layout.addWidget(self.player)
        layout.addWidget(self.body, 1)
        self.segment: Segment | None = None
        self.history: list[HistoryItem] | str | None = None
        self.thumbnail: Thumbnail | None = None

    def show_segment(self, segment: Segment | None, session: Session | None) -> None:
        self.segment = segment
        self.history = None
        self.thumbnail = None
        self.thumb.clear()
        self.thumb.setText("")
        self.thumb.setFixedHeight(THUMB_TEXT_H)
        self.player.set_segment(segment, session)
        self.thumb.show()
        if segment is None or session is None:
            self.title.setText("No AI segment selected")
            self.body.clear()
            return
        shown = session.shown_status(segment)
        colour = STATUS_COLOURS.get(shown, "#d6d8dc")
        self.title.setText(f"<b>{escape(segment.clip)}</b> &nbsp;<span style='color:{colour}'>"
                           f"{escape(STATUS_TEXT.get(shown, shown).upper())}</span><br><small>"
                           f"{escape(segment.track_label)} · {escape(segment.start_tc)} – "
                           f"{escape(segment.end_tc)} · {escape(segment.segment_id)}</small>")
        self._render()
        self._load_thumbnail(segment, session)
        self._load_history(segment, session)

    # -- background loads -----------------------------------------------------------------
    def _load_thumbnail(self, segment: Segment, session: Session) -> None:
        path = session.media_path(segment)
        if path is None:
            self.thumb.setText("<small>no local media to preview</small>")
            return
        self.thumb.setText("<small>decoding first frame…</small>")
        wanted = segment.segment_id

        def done(thumb: Thumbnail | None) -> None:
            if self.segment is None or self.segment.segment_id != wanted:
                return  # the selection moved on meanwhile
            self.thumbnail = thumb
            if thumb is None:
                self.thumb.setText("<small>no picture in the media</small>")
                return
            image = QImage(thumb.rgb, thumb.width, thumb.height, thumb.stride,
                           QImage.Format.Format_RGB888).copy()
            pixmap = QPixmap.fromImage(image)
            if pixmap.height() > THUMB_MAX_H:
                pixmap = pixmap.scaledToHeight(THUMB_MAX_H, Qt.TransformationMode.SmoothTransformation)
            self.thumb.setFixedHeight(pixmap.height())
            self.thumb.setPixmap(pixmap)

        run_task(lambda: first_frame(path), done, lambda msg: self.thumb.setText(escape(msg)), self)

    def _load_history(self, segment: Segment, session: Session) -> None:
        wanted = segment.segment_id

        def done(result: Any) -> None:
            if self.segment is not None and self.segment.segment_id == wanted:
                self.history = result
                self._render()

        run_task(lambda: session.history(segment.asset_id), done, done, self)

    # -- rendering ------------------------------------------------------------------------
    def _render(self) -> None:
        seg = self.segment
        if seg is None:
            return
        parts = [_decision(seg), _record(seg.record), _evidence(seg), _findings(seg),
                 _history(self.history)]
        self.body.setHtml("".join(parts))


def _h(text: str) -> str:
    return f"<h4 style='margin:10px 0 4px 0;color:#a9adb4'>{escape(text)}</h4>"


def _rows(pairs: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td style='color:#8b9098;padding-right:8px'>{escape(k)}</td>"
                    f"<td>{escape(v)}</td></tr>" for k, v in pairs)
    return f"<table cellspacing='0' cellpadding='1'>{cells}</table>"


def _decision(seg: Segment) -> str:
    d = seg.decision
    if d is None:
        return _h("Clearance") + "<p>No valid decision in the ledger: <b>provisional</b>.</p>"
    pairs = [("decision", d.status), ("by", f"{d.approver} ({d.role})"), ("at", d.time),
             ("ledger entry", d.entry)]
    if d.conditions:
        pairs.append(("conditions", d.conditions))
    if d.expires:
        pairs.append(("expires", d.expires))
    return _h("Clearance") + _rows(pairs)


def _record(rec: UsageRecord) -> str:
    fields: dict[str, Any] = dict(rec)  # looked up by name from RECORD_FIELDS
    pairs = [(k.replace("_", " "), label(k, fields[k])) for k in RECORD_FIELDS if fields.get(k)]
    fact = rec.get("fact_check")
    if isinstance(fact, dict) and fact.get("status"):
        pairs.append(("fact-check", label("fact_check", fact["status"])))
    tool = rec.get("tool") or {}
    if isinstance(tool, dict) and any(tool.values()):
        pairs.insert(1, ("tool", tool_text(tool)))
    for person in rec.get("people") or []:
        if isinstance(person, dict):
            consent = person.get("consent") or {}
            pairs.append(("person", f"{person.get('name', '?')} · union {person.get('union') or '-'}"
                          f" · consent {label('consent', consent.get('status')) or 'unknown'}"
                          f"{' (' + str(consent['ref']) + ')' if consent.get('ref') else ''}"))
    return _h("Record") + (_rows(pairs) if pairs else "<p>(empty)</p>")


def _evidence(seg: Segment) -> str:
    items = []
    for ev in seg.evidence:
        kind = str(ev.get("kind", ""))
        extra = ""
        if kind == "c2pa":
            extra = (f"<br><small>validation <b>{escape(str(ev.get('state') or 'unknown'))}</b>"
                     f" · signer {escape(str(ev.get('signer') or 'unknown'))}</small>")
        elif kind == "register" and ev.get("register"):
            extra = f"<br><small>{escape(str(ev['register']))}:{escape(str(ev.get('line', '')))}</small>"
        items.append(f"<li><b>{escape(kind)}</b> {escape(str(ev.get('detail', '')))}{extra}</li>")
    return _h("Evidence") + (f"<ul style='margin-left:-20px'>{''.join(items)}</ul>" if items
                              else "<p>(none)</p>")


def _findings(seg: Segment) -> str:
    if not seg.findings:
        return _h("Findings") + "<p>None.</p>"
    items = "".join(
        f"<li><span style='color:{'#e5534b' if f.severity == 'block' else '#e0a030'}'>"
        f"{escape(f.severity)}</span> <code>{escape(f.rule)}</code> {escape(f.message)}</li>"
        for f in seg.findings)
    return _h("Findings") + f"<ul style='margin-left:-20px'>{items}</ul>"


def _history(history: list[HistoryItem] | str | None) -> str:
    if history is None:
        return _h("Ledger history") + "<p><small>reading the ledger…</small></p>"
    if isinstance(history, str):
        return _h("Ledger history") + f"<p>{escape(history)}</p>"
    if not history:
        return _h("Ledger history") + "<p>No entries for this asset.</p>"
    rows = "".join(
        f"<li>#{h.seq} {escape(h.time)} <b>{escape(h.decision)}</b> by {escape(h.approver)} "
        f"({escape(h.role)}){': ' + escape(h.note) if h.note else ''}"
        f"{' — conditions: ' + escape(h.conditions) if h.conditions else ''}</li>" for h in history)
    return _h("Ledger history") + f"<ul style='margin-left:-20px'>{rows}</ul>"
