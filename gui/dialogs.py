"""Dialogs: sign-off (approve / reject / revoke), record editing, disclosure preview.

They only collect input; the window hands it to the session (``Session.decide``,
``Session.edit``, ``Session.disclosure_preview``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from aiclear.detect.choices import field_choices
from aiclear.gui.player import Player
from aiclear.gui.workers import run_task
from aiclear.model import Person, Segment
from aiclear.review.labels import label
from aiclear.session.core import DISCLOSURE_FILES, Preview, Session, disclosure_languages

VERBS = ("approve", "reject", "revoke")


@dataclass(frozen=True)
class SignOff:
    verb: str
    key_file: Path
    note: str
    conditions: str
    expires: str | None


class SignOffDialog(QDialog):
    """Approve / Reject / Revoke one segment's asset, for a lawyer working alone: the shot,
    its record and evidence, the role it needs and why, who the key signs as, and the ledger
    and production it writes to. With ``submit`` the dialog signs itself and an error is
    shown inline: the dialog stays open and the note is kept."""

    MAX_WIDTH = 620

    def __init__(self, segment: Segment, verb: str, parent: QWidget | None = None,
                 session: Session | None = None,
                 submit: Callable[[SignOff], str | None] | None = None) -> None:
        super().__init__(parent)
        self.segment = segment
        self.session = session
        self.submit = submit
        self.setWindowTitle(f"Sign-off: {_elide(segment.clip, 40)}")
        self.setMaximumWidth(self.MAX_WIDTH)
        self.verb = QComboBox()
        self.verb.addItems([v.capitalize() for v in VERBS])
        self.verb.setCurrentIndex(VERBS.index(verb))
        self.key = QLineEdit(str(QSettings().value("signoff/key_file", "") or ""))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key, 1)
        key_row.addWidget(browse)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("why; what was checked")
        self.note.setMaximumHeight(70)
        self.conditions = QLineEdit()
        self.conditions.setPlaceholderText("e.g. background use only, no trailer")
        self.expires = QLineEdit()
        self.expires.setPlaceholderText("YYYY-MM-DD (optional)")
        self.shot = QLabel()
        self.shot.setWordWrap(True)
        self.shot.setTextFormat(Qt.TextFormat.RichText)
        self.shot.setText(_shot_html(segment))
        self.needs = QLabel()
        self.needs.setWordWrap(True)
        self.signer = QLabel()
        self.signer.setWordWrap(True)
        self.target = QLabel()
        self.target.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("inline_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#ff8a80")
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.shot)
        self.player: Player | None = None
        if session is not None:  # the lawyer sees the shot itself, label and all
            self.player = Player()
            self.player.set_segment(segment, session)
            form.addRow(self.player)
        form.addRow("Needs", self.needs)
        d = segment.decision
        self.now = QLabel(f"{d.status} by {escape(d.approver)} ({escape(d.role)}), ledger entry "
                          f"{escape(d.entry)} — a new decision supersedes it" if d else
                          "no decision that counts: provisional")
        self.now.setWordWrap(True)
        form.addRow("Now", self.now)
        form.addRow("Decision", self.verb)
        form.addRow("Key file", key_row)
        form.addRow("Signs as", self.signer)
        form.addRow("Writes to", self.target)
        form.addRow("Note", self.note)
        form.addRow("Conditions", self.conditions)
        form.addRow("Expires", self.expires)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign")
        self.buttons.accepted.connect(self._sign)
        self.buttons.rejected.connect(self.reject)
        self.verb.currentIndexChanged.connect(self._verb_changed)
        self.key.editingFinished.connect(self._refresh_target)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._fill_needs()
        self._refresh_target()
        self._verb_changed()

    def _fill_needs(self) -> None:
        if self.session is None:
            self.needs.setText("")
            return
        roles, why = self.session.required_roles(self.segment)
        who = " or ".join(roles) if roles else "(no role may clear it)"
        self.needs.setText(f"an approval signed by {who} — {why}")

    def _refresh_target(self) -> None:
        if self.session is None:
            return
        key = self.key.text().strip()
        target = self.session.signing_target(Path(key) if key else None)
        self.signer.setText(target.signer)
        production = f" · production {target.production}" if target.production else ""
        self.target.setText(f"{target.ledger}{production}")

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Signing key", self.key.text(),
                                              "aiclear keys (*.key *.pem);;All files (*)")
        if path:
            self.key.setText(path)
            self._refresh_target()

    def _verb_changed(self) -> None:
        approving = VERBS[self.verb.currentIndex()] == "approve"
        self.conditions.setEnabled(approving)
        self.expires.setEnabled(approving)

    def _sign(self) -> None:
        if self.submit is None:
            self.accept()
            return
        problem = self.submit(self.value())
        if problem:
            self.show_error(problem)
            return
        self.accept()

    def show_error(self, message: str) -> None:
        """Keep the dialog (and the typed note) open with the error under the form."""
        self.error.setText(message)
        self.error.show()
        self._refresh_target()

    def value(self) -> SignOff:
        key = self.key.text().strip()
        QSettings().setValue("signoff/key_file", key)
        return SignOff(VERBS[self.verb.currentIndex()], Path(key), self.note.toPlainText().strip(),
                       self.conditions.text().strip(), self.expires.text().strip() or None)


def _elide(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _shot_html(seg: Segment) -> str:
    rec = seg.record
    tool = seg.tool_name or "tool not declared"
    evidence = ", ".join(dict.fromkeys(str(e.get("kind", "")) for e in seg.evidence)) or "none"
    asset = seg.asset_id if len(seg.asset_id) <= 24 else seg.asset_id[:22] + "…"
    return (f"<b>{escape(_elide(seg.clip, 60))}</b> · {escape(seg.track_kind[:1])}"
            f"{seg.track_index} {escape(seg.start_tc)} – {escape(seg.end_tc)}<br>"
            f"<small>use <b>{escape(str(rec.get('use') or 'not declared'))}</b> · {escape(tool)}"
            f" · evidence: {escape(evidence)} · asset {escape(asset)}</small>")


#: (declared fields, key file) -> "" or the line saying which fields no check will count
#: signed with that key (``Session.relax_refusal``)
RelaxCheck = Callable[[Mapping[str, object], Path | None], str]


class RecordDialog(QDialog):
    """Declare use, lifecycle, presented-as and people & consent for a segment's asset.
    With ``relax_check`` it says, before signing, when the key cannot relax what the
    declaration relaxes (every check would ignore that part)."""

    PEOPLE_COLUMNS = ("Name", "Union", "Consent", "Consent ref")

    def __init__(self, segment: Segment, parent: QWidget | None = None,
                 relax_check: RelaxCheck | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Record: {segment.clip}")
        choices = field_choices()
        self.choices = choices
        self.relax_check = relax_check
        self.relax = QLabel()
        self.relax.setObjectName("relax_warning")
        self.relax.setWordWrap(True)
        self.relax.setStyleSheet("color:#ffb74d")
        self.relax.hide()
        rec = segment.record
        self.use = _combo(choices["use"], rec.get("use"), "use")
        self.lifecycle = _combo(choices["lifecycle"], rec.get("lifecycle"), "lifecycle")
        self.presented_as = _combo(choices["presented_as"], rec.get("presented_as"), "presented_as")
        fact = rec.get("fact_check")
        self.fact_check = _combo(choices["fact_check"],
                                 fact.get("status") if isinstance(fact, dict) else fact, "fact_check")
        self.key = QLineEdit(str(QSettings().value("signoff/key_file", "") or ""))
        self.key.setPlaceholderText("your key file: signs the declaration into the ledger")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key, 1)
        key_row.addWidget(browse)
        self.people = QTableWidget(0, len(self.PEOPLE_COLUMNS))
        self.people.setHorizontalHeaderLabels(list(self.PEOPLE_COLUMNS))
        self.people.horizontalHeader().setStretchLastSection(True)
        for person in rec.get("people") or []:
            if isinstance(person, dict):
                self.add_person(person)
        add = QPushButton("Add person")
        add.clicked.connect(lambda: self.add_person({}))
        remove = QPushButton("Remove person")
        remove.clicked.connect(self._remove_person)
        form = QFormLayout()
        form.addRow("Use", self.use)
        form.addRow("Lifecycle", self.lifecycle)
        form.addRow("Presented as", self.presented_as)
        form.addRow("Fact-check", self.fact_check)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Save and sign")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("People and consent"))
        layout.addWidget(self.people)
        layout.addLayout(row)
        keys = QFormLayout()
        keys.addRow("Key file", key_row)
        layout.addLayout(keys)
        layout.addWidget(QLabel("<small>Your declaration, signed into the ledger with your key "
                                "(who, when, what changed) and applied wherever the ledger is "
                                "read. Without a key it stays <b>unsigned</b> in this window."
                                "</small>"))
        layout.addWidget(self.relax)
        layout.addWidget(buttons)
        for combo in (self.use, self.lifecycle, self.presented_as, self.fact_check):
            combo.currentIndexChanged.connect(self.refresh_relax)
        self.key.editingFinished.connect(self.refresh_relax)
        self.people.itemChanged.connect(self.refresh_relax)
        self.refresh_relax()

    def refresh_relax(self) -> None:
        """Say, before signing, what no check will count signed with this key."""
        key = self.key.text().strip()
        line = self.relax_check(self.fields(), Path(key) if key else None) \
            if self.relax_check is not None else ""
        self.relax.setText(f"Not counted if you sign: {line}. Every check ignores that part "
                           "of your declaration until someone with that role signs it."
                           if line else "")
        self.relax.setVisible(bool(line))

    def _remove_person(self) -> None:
        self.people.removeRow(self.people.currentRow())
        self.refresh_relax()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Signing key", self.key.text(),
                                              "aiclear keys (*.key *.pem);;All files (*)")
        if path:
            self.key.setText(path)
            self.refresh_relax()

    def key_file(self) -> Path | None:
        key = self.key.text().strip()
        if key:
            QSettings().setValue("signoff/key_file", key)
        return Path(key) if key else None

    def add_person(self, person: Person) -> None:
        row = self.people.rowCount()
        self.people.insertRow(row)
        consent = person.get("consent") or {}
        self.people.setItem(row, 0, QTableWidgetItem(str(person.get("name") or "")))
        union = _combo(self.choices["union"], person.get("union"))
        status = _combo(self.choices["consent"], consent.get("status"), "consent")
        self.people.setCellWidget(row, 1, union)
        self.people.setCellWidget(row, 2, status)
        self.people.setItem(row, 3, QTableWidgetItem(str(consent.get("ref") or "")))
        for combo in (union, status):
            combo.currentIndexChanged.connect(self.refresh_relax)

    def fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, combo in (("use", self.use), ("lifecycle", self.lifecycle),
                           ("presented_as", self.presented_as)):
            if _code(combo):
                out[key] = _code(combo)
        if _code(self.fact_check):
            out["fact_check"] = {"status": _code(self.fact_check)}
        out["people"] = [p for p in (self._person(r) for r in range(self.people.rowCount())) if p]
        return out

    def _person(self, row: int) -> dict[str, Any] | None:
        name_item = self.people.item(row, 0)
        name = name_item.text().strip() if name_item else ""
        if not name:
            return None
        union = self.people.cellWidget(row, 1)
        status = self.people.cellWidget(row, 2)
        ref_item = self.people.item(row, 3)
        person: dict[str, Any] = {"name": name}
        if isinstance(union, QComboBox) and _code(union):
            person["union"] = _code(union)
        consent: dict[str, Any] = {}
        if isinstance(status, QComboBox) and _code(status):
            consent["status"] = _code(status)
        if ref_item and ref_item.text().strip():
            consent["ref"] = ref_item.text().strip()
        if consent:
            person["consent"] = consent
        return person


def _combo(values: list[str], current: Any, field: str = "") -> QComboBox:
    """Legible names shown (aiclear.review.labels), the record's codes as item data."""
    combo = QComboBox()
    combo.addItem("", "")
    for value in values:
        if value:
            combo.addItem(label(field, value) if field else value, value)
    if current:
        index = combo.findData(str(current))
        if index < 0:
            combo.addItem(str(current), str(current))
            index = combo.count() - 1
        combo.setCurrentIndex(index)
    return combo


def _code(combo: QComboBox) -> str:
    return str(combo.currentData() or "")


class DisclosureDialog(QDialog):
    """The on-screen texts per segment and the credit block, with a language switch."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Disclosure preview")
        self.session = session
        self.lang = QComboBox()
        self.lang.addItems(disclosure_languages())
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        top = QHBoxLayout()
        top.addWidget(QLabel("Language"))
        top.addWidget(self.lang)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.resize(640, 520)
        self.preview: Preview | None = None
        self.lang.currentTextChanged.connect(self.refresh)
        default = str(session.settings.profile.section("disclosure").get("language", "en"))
        index = self.lang.findText(default)
        if index >= 0:
            self.lang.setCurrentIndex(index)
        self.refresh()

    def refresh(self) -> None:
        lang = self.lang.currentText() or None
        self.view.setHtml("<p>building…</p>")
        run_task(lambda: self.session.disclosure_preview(lang), self._show,
                 lambda msg: self.view.setHtml(f"<p>{escape(msg)}</p>"), self)

    def _show(self, preview: Preview) -> None:
        self.preview = preview
        events = "".join(
            f"<tr><td style='padding-right:10px;color:#8b9098'>{escape(a)} – {escape(b)}</td>"
            f"<td>{escape(text).replace(chr(10), '<br>')}</td></tr>" for a, b, text in preview.events)
        credits = "<br>".join(escape(line) for line in preview.credits) or "(no credit block)"
        self.view.setHtml(f"<h4>On-screen labels ({len(preview.events)})</h4>"
                          f"<table cellspacing='0' cellpadding='3'>{events}</table>"
                          f"<h4>Credit block</h4><p style='text-align:center'>{credits}</p>")


class DeliverableDialog(QDialog):
    """Where to write the deliverable, and which disclosure files to write beside it."""

    DEFAULTS = ("srt", "credits-txt", "cuesheet-csv")

    def __init__(self, default: Path, parent: QWidget | None = None,
                 language: str = "en") -> None:
        super().__init__(parent)
        self.setWindowTitle("Export deliverable")
        self.path = QLineEdit(str(default))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        for i, fmt in enumerate(DISCLOSURE_FILES):
            box = QCheckBox(f"{fmt}  ({DISCLOSURE_FILES[fmt]})")
            box.setChecked(fmt in self.DEFAULTS)
            self.boxes[fmt] = box
            grid.addWidget(box, i // 2, i % 2)
        self.lang = QComboBox()
        self.lang.addItems(disclosure_languages())
        index = self.lang.findText(language)  # the profile's language, as the preview uses
        self.lang.setCurrentIndex(max(index, 0))
        form = QFormLayout()
        form.addRow("Timeline", row)
        form.addRow("Language", self.lang)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Disclosures to write beside it"))
        layout.addLayout(grid)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export deliverable", self.path.text())
        if path:
            self.path.setText(path)

    def value(self) -> tuple[Path, list[str], str | None]:
        formats = [fmt for fmt, box in self.boxes.items() if box.isChecked()]
        return Path(self.path.text().strip()), formats, self.lang.currentText() or None


def show_text(parent: QWidget, title: str, html: str) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    view = QTextBrowser()
    view.setOpenLinks(False)
    view.setHtml(html)
    layout = QVBoxLayout(dialog)
    layout.addWidget(view)
    dialog.resize(560, 380)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
