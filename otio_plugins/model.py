"""Plain data passed between the scan, the policy, the ledger, the gate and the reports.

Nothing here touches OTIO objects beyond holding a reference, so every consumer (CLI,
hooks, disclosures, the Qt panel) binds to the same small set of types.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Required, TypedDict

if TYPE_CHECKING:
    import opentimelineio as otio

Severity = Literal["block", "warn"]
Status = Literal["provisional", "cleared", "rejected"]
Verdict = Literal["pass", "blocked", "error"]

#: A JSON-ready object: what ``to_json`` and statement code build, checked by
#: ``json.dumps`` at the edge. Readers narrow its values (``aiclear.safety.shape``).
JsonObject = dict[str, object]


class Evidence(TypedDict, total=False):
    """One piece of evidence. ``kind``: metadata | register | c2pa | xmp | probe_tag | name |
    marker | comment | manual | carrier | media; the other keys belong to some kinds only
    (``resources/schemas/report.schema.json`` describes them for the JSON report)."""

    kind: Required[str]
    detail: Required[str]
    ai: bool  # False: the evidence says something about the media but not "AI" (e.g. offline)
    status: str  # media: missing | unreadable | remote | ...
    state: str  # c2pa validation state: Trusted | Valid | Untrusted | Invalid | Remote
    signer: str | None  # c2pa claim signer
    manifest: str | None  # c2pa manifest label
    source_type: str | None  # IPTC digital source type URI
    tool: str | None  # the tool the evidence names ("Midjourney 7")
    action: str | None  # c2pa action (c2pa.created, c2pa.edited ...)
    sidecar: str  # a .c2pa sidecar that held the manifest
    when: str | None  # c2pa: when the action happened (or the manifest was signed)
    remote_url: str | None  # a remote manifest that was NOT fetched
    target: str  # media: the reference as the timeline names it
    path: str  # media: the local file
    register: str  # register file
    line: int | None  # line in the register
    asset_id: str  # register asset id
    claimed_asset_id: str  # a carrier's asset id: a hint that finds, never an identity
    field: str  # which field carried a term (name, reel, marker, comment ...)
    value: str  # the text that matched
    tag: str  # container tag key
    where: str  # where a marker sits (clip, track, gap, stack)
    marker: str  # marker: where it sits ("timeline", "track V2", "gap on V1" ...)
    frames: list[int]  # marker: first and last frame it marks on the top-level timeline
    replaces_use: str  # manual: the use a declaration replaced (clearing must accept both)


class Tool(TypedDict, total=False):
    vendor: str | None
    product: str | None
    version: str | None


class Consent(TypedDict, total=False):
    status: str  # granted | pending | refused | not_required ...
    ref: str | None  # the consent document


class Person(TypedDict, total=False):
    name: str
    union: str | None
    replica_type: str  # none | ebdr | icdr | background | synthetic_performer | voice_only
    consent: Consent


class Ingredient(TypedDict, total=False):
    description: str
    rights: str | None


class DepictsReal(TypedDict, total=False):
    """The EU AI Act deep-fake test (Art. 3(60), 50(4))."""

    resembles_existing: bool
    would_appear_authentic: bool
    evidently_artistic: bool


class Disclosure(TypedDict, total=False):
    on_screen: bool
    credit: bool
    text: dict[str, str]  # language -> override text


class FactCheck(TypedDict, total=False):
    status: str  # a register's fact-check state: pending | verified | n/a ...
    ref: str | None


class Principle(TypedDict):
    """One guiding-principle answer (aiclear.policy.risk)."""

    answer: str  # yes | no | unsure
    note: str


class Escalation(TypedDict):
    """What the profile's risk matrix says about a record (recomputed each scan)."""

    tier: str | None  # notify | written_approval | None (the profile has no matrix)
    required: bool
    reasons: list[str]
    roles: list[str]
    principles: dict[str, Principle]
    unanswered: list[str]


class CatalogueProblem(TypedDict, total=False):
    status: Required[str]  # unknown_tool | unlisted | refused | version | expired | data_terms ...
    message: Required[str]
    name: str


class CatalogueVerdict(TypedDict):
    """The approved-tools catalogue's verdict on a record (recomputed each scan)."""

    status: str  # approved | no_catalogue | the worst problem's status
    catalogue: str | None
    tools: list[JsonObject]  # each tool's catalogue summary, with the name and version seen
    problems: list[CatalogueProblem]


class UsageRecord(TypedDict, total=False):
    """The usage record stored at ``metadata["aiclear"]`` (aiclear.detect.record); the field
    list follows ``resources/schemas/register.schema.json`` (what a production declares) plus
    what aiclear derives (evidence, status cache, asset_id). Unknown keys read from a file
    are kept as they are."""

    schema: int
    ai_class: str | None  # generated | edited | contains | enhanced
    source_type: str | None
    tool: Tool
    use: str | None
    lifecycle: str | None  # temp | final
    people: list[Person]
    ingredients: list[Ingredient]
    evidence: list[Evidence]
    status: str  # a display cache: the ledger decides
    disclosure: Disclosure
    asset_id: str | None
    description: str
    prompt_ref: str
    operator: str
    presented_as: str
    depicts_real: DepictsReal
    fact_check: FactCheck
    register: str
    production: str
    created: str  # when the media was generated (ISO), as the register declares it
    #: the five guiding principles as declared: key -> answer, or {answer, note}. Read
    #: through ``policy.risk.answers``, which narrows it
    principles: dict[str, object]
    catalogue: CatalogueVerdict  # the approved-tools catalogue's verdict (recomputed each scan)
    escalation: Escalation  # risk tier, principle answers, reasons, roles that may clear


@dataclass(frozen=True, slots=True)
class Finding:
    """The outcome of one rule on one segment (or on the whole timeline)."""

    rule: str
    severity: Severity
    message: str
    segment_id: str | None = None

    def to_json(self) -> JsonObject:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "segment_id": self.segment_id,
        }


@dataclass(frozen=True, slots=True)
class Declared:
    """Record fields a trusted person declared for an asset, signed into the ledger."""

    fields: dict[str, object]  # declarable record fields by name (detect.record.DECLARABLE)
    detail: str  # who, when and which entry: the ``manual`` evidence's text
    approver: str  # the signer's name and role, as the keyring gives them
    role: str
    entry: int  # the ledger entry


@dataclass(slots=True)
class MediaResult:
    """What the media files behind one clip say."""

    path: str | None = None  # the resolved local file, when there is one
    asset_id: str | None = None  # "blake3:<hex>" of the bytes aiclear read, when readable
    evidence: list[Evidence] = field(default_factory=list)  # c2pa / xmp / probe_tag / missing ...
    #: record fields inferred from the media: ai_class, source_type, tool{vendor,product,version}
    hints: JsonObject = field(default_factory=dict)
    is_ai: bool = False  # True when any evidence says generative AI
    findings: list[Finding] = field(default_factory=list)  # e.g. warn: AI claim in an Invalid manifest
    #: the pre-BLAKE3 ``sha256:`` id of the same bytes, computed only when called (a ledger
    #: or register keyed by sha256) and then cached; ``legacy_id(True)`` hashes the bytes
    #: now. None for image sequences and unread media
    legacy_id: Callable[..., str | None] | None = field(default=None, repr=False, compare=False)
    #: when ``asset_id`` came from the cache: hash the bytes now (None: unreadable). The
    #: scan calls it before anything clears, so a cache never clears on its own say-so
    recheck: Callable[[], str | None] | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class BoundRecord:
    """The clearance claims an approval was signed for (aiclear.policy.claims): their
    SHA-256 and the claims themselves, so a mismatch can say what changed."""

    sha256: str
    fields: JsonObject


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
    #: the record an approval was signed for; None for an approval by bare asset id (and
    #: every rejection): the scan counts a bound approval only while the claims match
    record: BoundRecord | None = None


@dataclass(frozen=True, slots=True)
class LedgerTrust:
    """Whether a ledger's decisions count here, and the state they were judged against.

    ``state``: ``pinned`` (its production root is pinned on this machine and the chain is
    not behind what this machine saw), ``unverified`` (not pinned, no valid root, or went
    backwards: it clears nothing), ``legacy`` (a schema-1 ledger: read-only, clears nothing
    until ``aiclear ledger upgrade``). ``reason`` is one line with the fix, empty when pinned.
    """

    state: Literal["pinned", "unverified", "legacy"]
    reason: str
    location: str
    root: str  # the production root's fingerprint (64 hex), "" when there is none
    production_id: str
    production: str
    head_seq: int
    head_hash: str
    pinned_by: str = ""  # system | user | trust-root

    @property
    def pinned(self) -> bool:
        return self.state == "pinned"

    def to_json(self) -> JsonObject:
        return {
            "state": self.state,
            "reason": self.reason,
            "location": self.location,
            "root": self.root,
            "production_id": self.production_id,
            "production": self.production,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "pinned_by": self.pinned_by,
        }


def track_label(kind: str, index: int) -> str:
    """The editor's name for a track: V1, V2 ... A1 (``index`` is 1-based within its kind)."""
    return f"{kind[:1]}{index}"


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
    record: UsageRecord  # the usage record (aiclear.detect.record)
    status: Status = "provisional"
    decision: Decision | None = None
    findings: list[Finding] = field(default_factory=list)
    #: the OTIO clip; never serialised
    item: otio.schema.Clip | None = field(default=None, repr=False, compare=False)
    #: the clearance claims of the record as the register and the clip made it, before
    #: signed declarations (aiclear.policy.claims); an approval is bound to these. None:
    #: taken from ``record`` when judged
    claims: JsonObject | None = field(default=None, repr=False, compare=False)
    #: what the media files said (evidence, hash), kept so a segment can be judged again
    #: (the panel's record edits) without probing again; never serialised
    probe: MediaResult | None = field(default=None, repr=False, compare=False)

    @property
    def track_label(self) -> str:
        return track_label(self.track_kind, self.track_index)

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

    def to_json(self) -> JsonObject:
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
            "catalogue": self.record.get("catalogue"),  # tool status, for reports and the panel
            "escalation": self.record.get("escalation"),  # tier, principle answers, who approves
            "evidence": [_evidence_json(e) for e in self.evidence],
            "findings": [f.to_json() for f in self.findings],
        }


def _evidence_json(ev: Evidence) -> JsonObject:
    out: JsonObject = {"kind": str(ev.get("kind", "")), "detail": str(ev.get("detail", ""))}
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
    timeline: otio.schema.Timeline | None = None  # kept for tag/disclose; never serialised
    ledger: LedgerTrust | None = None  # the ledger state the segments were judged against

    @property
    def verdict(self) -> Verdict:
        if self.error is not None:
            return "error"
        return "blocked" if any(f.severity == "block" for f in self.findings) else "pass"

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "block"]

    def to_json(self) -> JsonObject:
        return {
            "path": self.path,
            "name": self.name,
            "rate": self.rate,
            "verdict": self.verdict,
            "error": self.error,
            "segments": [s.to_json() for s in self.segments],
            "findings": [f.to_json() for f in self.findings],
            "ledger": self.ledger.to_json() if self.ledger is not None else None,
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

    def to_json(self) -> JsonObject:
        return {
            "aiclear_report": 1,
            "profile": self.profile,
            "timelines": [t.to_json() for t in self.timelines],
        }
