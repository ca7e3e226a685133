"""Plain data passed between the scan, the policy, the ledger, the gate and the reports.

Nothing here touches OTIO objects beyond holding a reference, so every consumer (CLI,
hooks, disclosures, the Qt panel) binds to the same small set of types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["block", "warn"]
Status = Literal["provisional", "cleared", "rejected"]
Verdict = Literal["pass", "blocked", "error"]

#: One piece of evidence: ``{"kind": str, "detail": str, ...kind-specific keys}``.
#: kinds: metadata | register | c2pa | xmp | probe_tag | name | marker | comment | manual | carrier
Evidence = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Finding:
    """The outcome of one rule on one segment (or on the whole timeline)."""

    rule: str
    severity: Severity
    message: str
    segment_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "segment_id": self.segment_id,
        }


@dataclass(frozen=True, slots=True)
class Decision:
    """What the ledger says about one asset (see aiclear.ledger)."""

    status: Literal["cleared", "rejected"]
    approver: str
    role: str
    time: str
    entry: str  # ledger entry id, for reports and findings
    conditions: str | None = None
    expires: str | None = None
    #: an approval of a ``ref:`` id (media aiclear did not read), counted only where the
    #: profile sets ``clearance.allow_reference_approvals``; reports say "approved by reference"
    by_reference: bool = False


@dataclass(slots=True)
class Segment:
    """One AI clip on the timeline, with its usage record and what the rules said."""

    segment_id: str
    asset_id: str
    clip: str
    track: str
    track_kind: str  # "Video" | "Audio"
    track_index: int  # 1-based within its kind: V1, V2, A1 ...
    start_frame: int  # frames from the start of the timeline, end exclusive
    end_frame: int
    start_tc: str  # includes the timeline's start timecode
    end_tc: str
    media: str | None
    enabled: bool
    record: dict[str, Any]  # the usage record (aiclear.record)
    status: Status = "provisional"
    decision: Decision | None = None
    findings: list[Finding] = field(default_factory=list)
    item: Any = field(default=None, repr=False, compare=False)  # the OTIO clip; never serialised

    @property
    def evidence(self) -> list[Evidence]:
        return list(self.record.get("evidence", []))

    @property
    def ai_class(self) -> str:
        return str(self.record.get("ai_class", "generated"))

    @property
    def tool_name(self) -> str | None:
        tool = self.record.get("tool") or {}
        parts = [tool.get("product"), tool.get("version")]
        name = " ".join(str(p) for p in parts if p)
        return name or None

    @property
    def blocking(self) -> bool:
        return any(f.severity == "block" for f in self.findings)

    @property
    def identity(self) -> Literal["content", "reference"]:
        """``content`` when the asset id is a hash of media bytes aiclear read itself."""
        return "reference" if self.asset_id.startswith("ref:") else "content"

    @property
    def status_text(self) -> str:
        """The status for people: ``cleared (approved by reference)`` says how it cleared."""
        if self.status == "cleared" and self.decision is not None and self.decision.by_reference:
            return "cleared (approved by reference)"
        return self.status

    def to_json(self) -> dict[str, Any]:
        return {
            "segment_id": self.segment_id,
            "asset_id": self.asset_id,
            "clip": self.clip,
            "track": self.track,
            "track_kind": self.track_kind,
            "start_frame": self.start_frame,
            "end_frame": self.end_frame,
            "start_tc": self.start_tc,
            "end_tc": self.end_tc,
            "media": self.media,
            "status": self.status,
            "identity": self.identity,
            "approved_by_reference": bool(self.decision and self.decision.by_reference),
            "enabled": self.enabled,
            "ai_class": self.ai_class,
            "source_type": self.record.get("source_type"),
            "tool": self.tool_name,
            "use": self.record.get("use"),
            "evidence": [_evidence_json(e) for e in self.evidence],
            "findings": [f.to_json() for f in self.findings],
        }


def _evidence_json(ev: Evidence) -> dict[str, Any]:
    out = {"kind": str(ev.get("kind", "")), "detail": str(ev.get("detail", ""))}
    out.update({k: v for k, v in ev.items() if k not in out})
    return out


@dataclass(slots=True)
class TimelineResult:
    """The scan of one timeline: its AI segments and every finding."""

    path: str
    name: str
    rate: float
    segments: list[Segment] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    clip_count: int = 0
    timeline: Any = None  # the otio.schema.Timeline, kept for tag/disclose; never serialised

    @property
    def verdict(self) -> Verdict:
        if self.error is not None:
            return "error"
        return "blocked" if any(f.severity == "block" for f in self.findings) else "pass"

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "block"]

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "name": self.name,
            "rate": self.rate,
            "verdict": self.verdict,
            "error": self.error,
            "segments": [s.to_json() for s in self.segments],
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass(slots=True)
class Report:
    profile: str
    timelines: list[TimelineResult] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if any(t.verdict == "error" for t in self.timelines):
            return 2
        return 1 if any(t.verdict == "blocked" for t in self.timelines) else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "aiclear_report": 1,
            "profile": self.profile,
            "timelines": [t.to_json() for t in self.timelines],
        }
