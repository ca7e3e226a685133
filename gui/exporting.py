"""The export actions: review copy (always allowed), deliverable (only when nothing blocks).

The deliverable export is disabled while anything blocks; its text gives the count and
its tooltip the reasons, and "Show blocking" filters the table down to what blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from aiclear.gui.workers import run_task
from aiclear.session.core import Session, available

if TYPE_CHECKING:
    from aiclear.gui.window import MainWindow

NO_GATE = "The export gate (aiclear.gate.decision) is not part of this build yet"
MAX_TIP_LINES = 12


def blocked_text(session: Session) -> str:
    """Why the deliverable is blocked, in plain language, one line per blocking finding."""
    found = session.blocks()
    lines = [f"• {b.text}" for b in found[:MAX_TIP_LINES]]
    if len(found) > MAX_TIP_LINES:
        lines.append(f"… and {len(found) - MAX_TIP_LINES} more: View ▸ What blocks delivery")
    return "Blocked:\n" + "\n".join(lines)


class ExportActions:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.review = QAction("Export review copy…", window)
        self.review.setToolTip("Internal review copy: always allowed; uncleared AI is labelled "
                               "PROVISIONAL")
        self.review.triggered.connect(self.choose_review)
        self.deliverable = QAction("Export deliverable…", window)
        self.deliverable.triggered.connect(self.choose_deliverable)
        self.show_blocking = QAction("Show blocking", window)
        self.show_blocking.triggered.connect(self.reveal_blocking)
        self.tagged = QAction("Save tagged copy…", window)
        self.tagged.setToolTip("A copy of the timeline with aiclear records (and your edits)")
        self.tagged.triggered.connect(self.choose_tagged)
        self.certify = QAction("Certify clearance…", window)
        self.certify.triggered.connect(self.choose_certify)

    def actions(self) -> list[QAction]:
        return [self.tagged, self.review, self.deliverable, self.certify]

    def update(self, ready: bool) -> None:
        session = self.window.session
        blockers = session.blockers() if session is not None and ready else None
        for act in (self.review, self.tagged):
            act.setEnabled(ready)
        self.show_blocking.setEnabled(bool(blockers and blockers.blocked))
        gate = available("aiclear.gate.decision")
        if blockers is None:
            self.deliverable.setText("Export deliverable…")
            self.deliverable.setEnabled(False)
            self.deliverable.setToolTip("Open and check a timeline first")
        elif blockers.blocked:
            self.deliverable.setText(f"Export deliverable… ({blockers.count} blocking)")
            self.deliverable.setEnabled(False)
            assert session is not None
            self.deliverable.setToolTip(blocked_text(session))
        else:
            self.deliverable.setText("Export deliverable…")
            self.deliverable.setEnabled(gate)
            self.deliverable.setToolTip("Write the deliverable through the aiclear gate" if gate
                                        else NO_GATE)
        certifiable = blockers is not None and not blockers.blocked \
            and available("aiclear.provenance")
        self.certify.setEnabled(certifiable)
        self.certify.setToolTip(
            "A signed clearance certificate the studio verifies offline (aiclear certify)"
            if certifiable else "Nothing may block the cut before it is certified")

    def reveal_blocking(self) -> None:
        window = self.window
        window.filters.show_blocking()
        window.show_blocks()
        session = window.session
        if session is not None:
            blocking = [i for i, s in enumerate(session.segments) if s.blocking]
            if blocking:
                window.select(blocking[0])

    # -- the writes -----------------------------------------------------------------------
    def _ask(self, title: str, suffix: str) -> Path | None:
        session = self.window.session
        if session is None:
            return None
        default = session.path.with_name(f"{session.path.stem}{suffix}{session.path.suffix}")
        path, _ = QFileDialog.getSaveFileName(self.window, title, str(default))
        return Path(path) if path else None

    def choose_review(self) -> None:
        out = self._ask("Export review copy", ".review")
        if out is not None:
            self.export_review(out)

    def choose_tagged(self) -> None:
        out = self._ask("Save tagged copy", ".tagged")
        if out is not None:
            self.save_tagged(out)

    def choose_deliverable(self) -> None:
        from aiclear.gui.dialogs import DeliverableDialog

        session = self.window.session
        if session is None:
            return
        default = session.path.with_name(f"{session.path.stem}.deliverable{session.path.suffix}")
        language = str(session.settings.profile.section("disclosure").get("language", "en"))
        dialog = DeliverableDialog(default, self.window, language)
        if dialog.exec() == DeliverableDialog.DialogCode.Accepted:
            out, formats, lang = dialog.value()
            self.export_deliverable(out, formats, lang)

    def choose_certify(self) -> None:
        session = self.window.session
        if session is None:
            return
        key, _ = QFileDialog.getOpenFileName(self.window, "Signing key (admin, producer or legal)",
                                             "", "aiclear keys (*.key *.pem);;All files (*)")
        if not key:
            return
        default = session.path.with_name(f"{session.path.stem}.clearance.json")
        out, _ = QFileDialog.getSaveFileName(self.window, "Write clearance certificate",
                                             str(default))
        if out:
            self.write_certificate(Path(out), Path(key))

    def write_certificate(self, out: Path, key_file: Path) -> None:
        """Certify the opened cut against a fresh read of its ledger (as ``aiclear certify``
        does) and write the certificate beside it; refusals arrive as one line."""
        session = self.window.session
        if session is None or not self.certify.isEnabled():
            return

        def work() -> Path:
            from aiclear.ledger.location import resolve_ledger
            from aiclear.provenance.issue import certify_file, save

            issued = certify_file(session.path, session.spec(),
                                  resolve_ledger(session.ledger, session.path), key_file)
            return save(issued, out, session.path, key_file)

        self._run(work, f"clearance certificate written: {out}")

    def export_review(self, out: Path) -> None:
        session = self.window.session
        if session is not None:
            self._run(lambda: session.export_review(out), f"review copy written: {out}")

    def save_tagged(self, out: Path) -> None:
        session = self.window.session
        if session is not None:
            self._run(lambda: session.save_tagged(out), f"tagged copy written: {out}")

    def export_deliverable(self, out: Path, formats: Sequence[str] = (),
                           lang: str | None = None) -> None:
        session = self.window.session
        if session is None or not self.deliverable.isEnabled():
            return
        extra = f" + {len(formats)} disclosure file(s)" if formats else ""
        self._run(lambda: session.export_deliverable(out, formats, lang),
                  f"deliverable written through the gate: {out}{extra}")

    def _run(self, fn: object, message: str) -> None:
        window = self.window
        window.statusBar().showMessage("writing…")
        run_task(fn, lambda _r: window.wrote.emit(message), window.failed.emit,  # type: ignore[arg-type]
                 window)
