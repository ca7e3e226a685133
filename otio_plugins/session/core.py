"""One opened timeline file, as the desktop panel (or any front end) works on it.

A ``Session`` reads the file, lays its clips out in lanes, scans it, and afterwards
answers the questions a reviewer asks: what blocks the export and why, what the ledger
says about an asset, what the disclosures will say. It records decisions and record
edits and re-judges the affected segments without reading the file again. It is Qt-free:
``aiclear.gui`` binds widgets to it and runs its slow steps in worker threads.

Record edits made here are declarations by the person at the panel: they override the
record's fields and carry a ``manual`` evidence entry. Until they are signed into the
ledger (``sign_edits``, aiclear.ledger.declaration) they are *unsigned*: kept by asset_id
across reloads of the file but only in this session, so a front end must ask before
dropping them (``unsigned``). Once signed, every scan on every machine applies them, and
the session lays them over the records as those scans will: fields that relax a record
count only from a role that may clear the asset (``relax_refusal`` says so before signing;
aiclear.policy.relax).
"""

from __future__ import annotations

import copy
import importlib.util
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import opentimelineio as otio

from aiclear.detect import record
from aiclear.errors import ExportBlocked, InputError, TimelineError, UsageError
from aiclear.gate import writeback as tag
from aiclear.gate.writeback import PROVISIONAL_LABEL as PROVISIONAL_LABEL  # the panel names it
from aiclear.ledger.signoff import (
    VERBS,
    HistoryItem,
    Target,
    asset_history,
    sign_decision,
    signing_target,
)
from aiclear.media.shot import Shot
from aiclear.model import Finding, Segment, TimelineResult, UsageRecord
from aiclear.policy import claims
from aiclear.policy.relax import screen
from aiclear.review.blocks import Block, blocks, grouped, required_roles, shown_status
from aiclear.scan import bound as scan_bound
from aiclear.scan import core as scan
from aiclear.scan.ports import ClearanceView
from aiclear.scan.settings import LedgerOptions, ScanSettings, SettingsSpec, ledger_factory
from aiclear.timeline import walk
from aiclear.timeline.lanes import Lane, from_walk, link_segments
from aiclear.timeline.read import read_file

#: the record fields the panel lets a person declare
EDITABLE = record.DECLARABLE
UNSIGNED = "declared in the panel, not signed yet: "
REVIEW_WRITE = {"aiclear": {"intent": "review", "reason": "aiclear panel review copy"}}
#: disclosure text formats (aiclear.disclose.formats) the deliverable export can add, and
#: the name each gets beside the deliverable
DISCLOSURE_FILES = {
    "srt": ".ai-labels.srt", "vtt": ".ai-labels.vtt", "ttml": ".ai-labels.ttml",
    "credits-txt": ".ai-credits.txt", "credits-md": ".ai-credits.md",
    "credits-json": ".ai-credits.json", "cuesheet-csv": ".genai-cuesheet.csv",
    "cuesheet-html": ".genai-cuesheet.html", "avid-locators": ".ai-locators.txt",
}


def available(module: str) -> bool:
    """True when an optional part of aiclear (ledger, disclose, gate) is installed."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@dataclass(frozen=True, slots=True)
class Blockers:
    """What stops a deliverable export: the count and the reasons grouped by rule."""

    count: int
    reasons: tuple[tuple[str, int, str], ...]  # (rule, how many, first message)

    @property
    def blocked(self) -> bool:
        return self.count > 0

    def summary(self) -> str:
        if not self.count:
            return "nothing blocks"
        parts = ", ".join(f"{rule} x{n}" for rule, n, _ in self.reasons)
        return f"{self.count} blocking: {parts}"


@dataclass(frozen=True, slots=True)
class Preview:
    """What the disclosures will say, in one language."""

    lang: str
    events: tuple[tuple[str, str, str], ...]  # (TC in, TC out, on-screen text)
    credits: tuple[str, ...]  # the credit block, line by line


def disclosure_languages() -> list[str]:
    if not available("aiclear.disclose"):
        return []
    from aiclear.disclose.templates import languages

    return list(languages())


@dataclass
class Session:
    path: Path
    spec: SettingsSpec = field(default_factory=lambda: SettingsSpec(profile="baseline"))
    ledger: str | None = None  # path or URL; None: beside the timeline, when there is one
    timelines: list[tuple[str, otio.schema.Timeline]] = field(default_factory=list)
    index: int = 0
    result: TimelineResult | None = None
    lanes: list[Lane] = field(default_factory=list)
    edits: dict[str, UsageRecord] = field(default_factory=dict)  # asset_id -> declared fields
    #: segment_id -> its record as scanned, before the unsigned edits were laid over it
    _scanned: dict[str, UsageRecord] = field(default_factory=dict)
    _settings: ScanSettings | None = None
    _view: ClearanceView | None = None
    _rate: float | None = None
    _walked: list[walk.TrackClips] | None = None  # the layout's walk, which the scan reads too

    # -- loading ------------------------------------------------------------------------
    @property
    def settings(self) -> ScanSettings:
        if self._settings is None:
            settings = self.spec()
            settings.ledger_for = lambda _path: self._view
            self._settings = settings
        return self._settings

    def set_spec(self, spec: SettingsSpec) -> None:
        """New scan options (e.g. a media root added to relink); used from the next scan."""
        self.spec = spec
        self._settings = None

    @property
    def timeline(self) -> otio.schema.Timeline:
        if not self.timelines:
            raise UsageError(f"{self.path}: not read yet")
        return self.timelines[self.index][1]

    @property
    def rate(self) -> float:
        """The current timeline's frame rate (computed once per read: it lists every clip)."""
        if self._rate is None:
            from aiclear.timeline.walk import timeline_rate

            self._rate = timeline_rate(self.timeline, self.settings.default_rate)
        return self._rate

    def read(self) -> None:
        """Read the file (every timeline in it); raises a one-line ``InputError``."""
        self.timelines = read_file(self.path, self.settings.default_rate)
        self.index = min(self.index, len(self.timelines) - 1)
        self.invalidate()

    def _undrawable(self, err: Exception) -> InputError:
        """Why the strip cannot be drawn: the walk's own error names the track and item."""
        try:
            for _ in walk.places(self.timeline):
                pass
        except InputError as found:
            return TimelineError(self.path, found.problem, place=found.place, expected=found.expected)
        except Exception:  # noqa: BLE001 - fall back to the layout's own error
            pass
        return TimelineError(self.path, f"cannot lay out: {type(err).__name__}: {err}",
                             expected="a timeline with positive, finite times")

    def invalidate(self) -> None:
        """Forget what was computed for the current timeline (after ``index`` changed)."""
        self._rate = None
        self.result = None
        self.lanes = []
        self._walked = None

    def layout(self) -> list[Lane]:
        try:
            self.lanes = from_walk(self._walk(), self.rate)
        except Exception as err:  # noqa: BLE001 - NaN or zero rates: one line naming the item
            raise self._undrawable(err) from err
        if self.result is not None:
            link_segments(self.lanes, self.result.segments)
        return self.lanes

    def _walk(self) -> list[walk.TrackClips]:
        """The timeline's walk, kept for the scan. A timeline the scan will refuse (a time
        beyond the limits, nesting too deep) is still drawn, from a walk without those
        checks; the scan then walks it again and blocks with the reason."""
        try:
            self._walked = walk.columns(self.timeline)
        except InputError:
            self._walked = None
            return walk.columns(self.timeline, strict=False)
        return self._walked

    def scan(self) -> TimelineResult:
        """Scan the current timeline with a fresh ledger view; fails closed."""
        name, timeline = self.timelines[self.index]
        try:
            self._view = self._open_view()
            result = scan.scan_timeline(timeline, self.settings, self.path, self._walked)
        except Exception as err:  # noqa: BLE001 - fail closed: the error blocks, one line
            result = scan.error_result(self.path, name, err, self.settings.profile)
        result.name = result.name or name
        self.result = result
        self._scanned.clear()
        self._apply_edits(result.segments)
        link_segments(self.lanes, result.segments)
        return result

    def ledger_state(self) -> tuple[str, str]:
        """(short text, full reason) for the ledger the last scan was judged against: pinned
        (its decisions count), unverified or legacy (they clear nothing), or none."""
        trust = self.result.ledger if self.result else None
        if trust is None:
            return ("Ledger: none — nothing can be cleared",
                    "No clearance ledger beside the timeline or named: every AI segment stays "
                    "provisional.")
        where = f"{trust.production or trust.production_id or '?'}, head entry {trust.head_seq}"
        if trust.pinned:
            return (f"Ledger: pinned ({trust.pinned_by}) — {where}",
                    f"{trust.location}\nroot {trust.root}\nhead {trust.head_seq} {trust.head_hash}")
        return (f"Ledger: {trust.state.upper()} — clears nothing", trust.reason or trust.location)

    def load(self) -> TimelineResult:
        self.read()
        self.layout()
        return self.scan()

    # -- questions ------------------------------------------------------------------------
    @property
    def segments(self) -> list[Segment]:
        return self.result.segments if self.result else []

    def segment(self, segment_id: str) -> Segment | None:
        return next((s for s in self.segments if s.segment_id == segment_id), None)

    def blockers(self) -> Blockers:
        if self.result is None:
            return Blockers(1, (("scan.pending", 1, "the timeline has not been checked yet"),))
        found = self.result.blocking
        counts = Counter(f.rule for f in found)
        first: dict[str, str] = {}
        for f in found:
            first.setdefault(f.rule, f.message)
        reasons = tuple((rule, n, first[rule]) for rule, n in counts.most_common())
        return Blockers(len(found), reasons)

    def blocks(self) -> list[Block]:
        """Every blocking finding in plain language with what fixes it (aiclear.review)."""
        return blocks(self.result, self.settings.profile)

    def block_groups(self) -> list[tuple[str, str, str, list[Block]]]:
        return grouped(self.blocks())

    def required_roles(self, segment: Segment) -> tuple[list[str], str]:
        """The roles whose approval clears a segment, and why."""
        return required_roles(segment, self.settings.profile)

    def shown_status(self, segment: Segment) -> str:
        return shown_status(segment)

    def blocking_segments(self) -> list[Segment]:
        return [s for s in self.segments if s.blocking]

    def media_path(self, segment: Segment) -> Path | None:
        """The local media file behind a segment: where the prober found it (media roots
        included), else the clip's own local reference. Never a network URL."""
        from aiclear.media.thumbnail import local_media

        found = segment.probe
        if found is not None and found.path and "://" not in found.path:
            path = Path(found.path)
            if path.is_file():
                return path
        return local_media(segment.item, self.path)

    def shot(self, segment: Segment) -> Shot | None:
        """The segment's frames from its local media (for the player), or None."""
        from aiclear.media.shot import decode_shot, used_range

        path = self.media_path(segment)
        if path is None:
            return None
        start, duration = used_range(segment.item)
        return decode_shot(path, start, duration)

    def on_screen_label(self, segment: Segment) -> str:
        """The on-screen label shown over this segment in the deliverable ("" when none)."""
        if self.result is None or not available("aiclear.disclose"):
            return ""
        from aiclear.disclose.events import events_for

        for event in events_for(self.result, self.settings.profile):
            if event.start_frame <= segment.start_frame < event.end_frame:
                return "\n".join(event.lines)
        return ""

    def history(self, asset_id: str) -> list[HistoryItem]:
        """Every decision the ledger holds on an asset, oldest first (empty without one)."""
        location = self._ledger_location(must_exist=True)
        if location is None:
            return []
        return asset_history(location, asset_id)

    def disclosure_preview(self, lang: str | None = None) -> Preview:
        """The on-screen label events and the credit block (needs aiclear.disclose)."""
        if self.result is None:
            raise UsageError("nothing to preview: the timeline has not been checked yet")
        if not available("aiclear.disclose"):
            raise UsageError("disclosures are not part of this build of aiclear")
        from aiclear.disclose.credits import credit_block
        from aiclear.disclose.events import events_for
        from aiclear.timeline.walk import start_frame, timecode

        profile = self.settings.profile
        offset = start_frame(self.timeline, self.result.rate)
        events = tuple((timecode(e.start_frame + offset, e.rate), timecode(e.end_frame + offset, e.rate),
                        e.text) for e in events_for(self.result, profile, lang))
        block = credit_block(self.result, profile, lang)
        return Preview(block.lang, events, tuple(block.lines()))

    # -- changes --------------------------------------------------------------------------
    def edit(self, segment_id: str, fields: UsageRecord) -> Segment:
        """Declare record fields for a segment's asset (see the module docstring)."""
        segment = self.segment(segment_id)
        if segment is None:
            raise UsageError(f"no AI segment {segment_id!r} on this timeline")
        unknown = set(fields) - set(EDITABLE)
        if unknown:
            raise UsageError(f"cannot edit {', '.join(sorted(unknown))} "
                             f"(editable: {', '.join(EDITABLE)})")
        self.edits.setdefault(segment.asset_id, UsageRecord()).update(copy.deepcopy(fields))
        self._apply_edits([s for s in self.segments if s.asset_id == segment.asset_id])
        return segment

    def unsigned(self) -> list[str]:
        """The assets with record edits not yet signed into the ledger."""
        return sorted(self.edits)

    def discard_edits(self) -> None:
        """Forget the unsigned edits (the records keep them until the file is read again)."""
        self.edits.clear()

    def sign_edits(self, key_file: Path, note: str = "") -> list[int]:
        """Sign every unsigned record edit into the ledger as a declaration; re-judge.

        Returns the new entries' sequence numbers. An edit whose signing fails stays
        unsigned (nothing is lost) and the error is raised."""
        location = self._ledger_location(must_exist=False)
        if location is None:
            raise UsageError("the ledger is not part of this build of aiclear")
        from aiclear.ledger.signoff import sign_declaration

        signed: dict[str, int] = {}
        try:
            for asset_id in self.unsigned():
                signed[asset_id] = sign_declaration(location, asset_id, self.edits[asset_id],
                                                    Path(key_file), note=note)
                del self.edits[asset_id]
        finally:
            self._settle(signed)
        return list(signed.values())

    def relax_refusal(self, segment_id: str, fields: Mapping[str, object],
                      key_file: Path | None) -> str:
        """Before signing: "" when every check will count these fields signed with this key,
        else the one line saying which of them it ignores and which roles may sign them (a
        key that cannot sign at all is the signing target's to explain)."""
        segment = self.segment(segment_id)
        if segment is None or key_file is None or not available("aiclear.ledger"):
            return ""
        target = self.signing_target(key_file)
        if target.role is None:
            return ""
        screened = screen(segment.record, fields, target.role, self.settings.profile,
                          self.settings.catalogue)
        return screened.refusal(target.signer) if screened.ignored else ""

    def _settle(self, signed: dict[str, int]) -> None:
        """The signed edits as every scan lays them: each segment's record as scanned, then
        its new ledger entries (a relaxing field from a role that may not relax it ignored,
        with the warning); re-judge everything against the ledger read again."""
        if self.result is None or self.result.error:
            return
        self._view = self._open_view()
        for segment in self.segments:
            scanned = self._scanned.get(segment.segment_id)
            if segment.asset_id not in signed or scanned is None:
                continue
            del self._scanned[segment.segment_id]
            segment.record = copy.deepcopy(scanned)
            for declared in self._view.declarations(segment.asset_id) if self._view else ():
                if declared.entry == signed[segment.asset_id]:
                    scan.lay_declaration(segment, declared, self.settings.profile,
                                         self.settings.catalogue)
        self.rejudge(reopen=False)

    def signing_target(self, key_file: Path | None) -> Target:
        """The ledger and production a sign-off writes to and the key's holder and role."""
        return signing_target(self._ledger_location(must_exist=False), key_file)

    def decide(self, segment_id: str, verb: str, key_file: Path, *, note: str = "",
               conditions: str = "", expires: str | None = None) -> int:
        """Sign approve / reject / revoke for a segment's asset into the ledger; re-judge.

        Returns the new ledger entry's sequence number."""
        segment = self.segment(segment_id)
        if segment is None:
            raise UsageError(f"no AI segment {segment_id!r} on this timeline")
        if verb not in VERBS:
            raise UsageError(f"unknown decision {verb!r} (expected approve, reject or revoke)")
        location = self._ledger_location(must_exist=False)
        if location is None:
            raise UsageError("the ledger is not part of this build of aiclear")
        # bound to the claims the register and the clip make, as scanned (signed
        # declarations lie over them and are screened apart: aiclear.policy.claims)
        bound = claims.binding_of(scan_bound.segment_claims(segment))
        seq = sign_decision(location, segment.asset_id, verb, Path(key_file), note=note,
                            conditions=conditions, expires=expires, record=bound)
        self.rejudge()
        return seq

    def rejudge(self, reopen: bool = True) -> None:
        """Re-read the ledger and re-decide every segment (after a decision was signed)."""
        if self.result is None or self.result.error:
            return
        if reopen:
            self._view = self._open_view()
        for segment in self.segments:
            self._judge(segment)
        self._collect_findings()

    # -- writing --------------------------------------------------------------------------
    def tagged_copy(self, provisional_labels: bool = False) -> otio.core.SerializableObject:
        """A copy of the timeline with every segment's record (edits included) on its clip
        (``aiclear.gate.writeback.stamped_copy``, as ``aiclear tag`` and the gate write)."""
        return tag.stamped_copy(self.timeline, self.segments, provisional=provisional_labels)

    def save_tagged(self, out: Path) -> Path:
        """A tagged copy (records and edits on the clips); never the input unless asked."""
        from aiclear.safety.fileio import same_file

        if same_file(self.path, out):
            raise UsageError(f"{out}: is the opened timeline; choose another file")
        tag.write_timeline(self.tagged_copy(), Path(out))
        return Path(out)

    def export_review(self, out: Path) -> Path:
        """An internal review copy: always allowed; uncleared AI carries PROVISIONAL markers."""
        from aiclear.safety.fileio import same_file

        if same_file(self.path, out):
            raise UsageError(f"{out}: is the opened timeline; choose another file")
        # write_timeline adds round-trip carriers for formats that drop metadata
        tag.write_timeline(self.tagged_copy(provisional_labels=True), Path(out), REVIEW_WRITE)
        return Path(out)

    def export_deliverable(self, out: Path, disclosures: Sequence[str] = (),
                           lang: str | None = None) -> list[Path]:
        """The deliverable written through the export gate, then the chosen disclosure files
        beside it (``DISCLOSURE_FILES`` names them). The ledger is read again first, and the
        gate scans what is written on its own: it raises ``ExportBlocked`` (nothing written)
        while anything blocks."""
        if not available("aiclear.gate.decision"):
            raise UsageError("the export gate (aiclear.gate.decision) is not part of this build yet")
        from aiclear.gate.decision import export
        from aiclear.safety.fileio import same_file

        out = Path(out)
        if same_file(self.path, out):
            raise UsageError(f"{out}: is the opened timeline; choose another file")
        unknown = [f for f in disclosures if f not in DISCLOSURE_FILES]
        if unknown:
            raise UsageError(f"unknown disclosure format {unknown[0]!r} "
                             f"(expected one of {', '.join(DISCLOSURE_FILES)})")
        if self.edits:  # an unsigned edit is only a claim: a deliverable carries none
            raise UsageError(f"{out}: {len(self.edits)} asset(s) have unsigned record edits; "
                             "sign them into the ledger or discard them before a deliverable "
                             "export")
        self.rejudge()
        if self.blockers().blocked:
            raise ExportBlocked(f"{out}: export blocked: {self.blockers().summary()}",
                                self.result.blocking if self.result else [])
        written = [export(self.tagged_copy(), out, self.settings, intent="final")]
        written.extend(self._write_disclosures(out, disclosures, lang))
        return written

    def _write_disclosures(self, out: Path, formats: Sequence[str], lang: str | None
                           ) -> list[Path]:
        from aiclear.disclose.formats import write_text
        from aiclear.safety.fileio import atomic_write, check_target

        assert self.result is not None
        paths = []
        for fmt in formats:
            text = write_text(fmt, self.result, self.settings.profile, lang)
            target = out.with_name(out.stem + DISCLOSURE_FILES[fmt])
            check_target(target, self.path)
            paths.append(atomic_write(target, text))
        return paths

    # -- internals ------------------------------------------------------------------------
    def _ledger_location(self, must_exist: bool) -> str | None:
        if not available("aiclear.ledger"):
            return None
        from aiclear.ledger.location import resolve_ledger

        location = resolve_ledger(self.ledger, self.path)
        if location and must_exist and "://" not in location and not Path(location).exists():
            return None
        return location

    def _open_view(self) -> ClearanceView | None:
        if not available("aiclear.ledger"):
            return None
        return ledger_factory(LedgerOptions(self.ledger, fresh=True))(self.path)

    def _apply_edits(self, segments: list[Segment]) -> None:
        touched = [s for s in segments if s.asset_id in self.edits]
        for segment in touched:
            self._scanned.setdefault(segment.segment_id, copy.deepcopy(segment.record))
            fields = self.edits[segment.asset_id]
            record.declare(segment.record, fields, UNSIGNED + ", ".join(sorted(fields)))
            self._judge(segment)
        if touched:
            self._collect_findings()

    def _judge(self, segment: Segment) -> None:
        scan.judge(segment, self._view, self.settings.profile, segment.probe,
                   self.settings.catalogue, scan.approve_args(self.path, self.settings))

    def _collect_findings(self) -> None:
        assert self.result is not None
        timeline_level = [f for f in self.result.findings if f.segment_id is None
                          and not f.rule.startswith("ledger")]
        ledger = [*self._view.integrity_findings(),
                  *scan.pin_findings(self.settings.profile, self.settings.catalogue, self._view)
                  ] if self._view is not None else []
        per_segment = [f for s in self.segments for f in s.findings]
        self.result.findings = _unique([*timeline_level, *ledger, *per_segment])


def _unique(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))
