"""The clearance certificate payload as the code reads it: one TypedDict per object of
``resources/schemas/clearance-certificate.schema.json``.

``certificate.build`` makes a ``Certificate``; a parsed one becomes a ``Certificate`` only
through ``certificate.meets_schema`` (the published schema is the check), so every reader
after that indexes the fields the schema requires without narrowing each one again. The
types describe; they change no byte: the payload is signed and hashed as canonical JSON
(sorted keys), whatever order these classes list their fields in.

JSON numbers the schema calls integers may arrive as ``2.0``; readers that compare or
look up by them keep their ``int(...)`` conversions.
"""

from __future__ import annotations

from typing import TypedDict

from aiclear.model import JsonObject


class TimelineBlock(TypedDict):
    name: str
    file: str
    sha256: str  # sha256:<hex> of the timeline file's bytes
    rate: float
    start_tc: str
    duration_frames: int


class RootBlock(TypedDict):
    """The ledger's production root: its signed statement (entry 1) and what it states."""

    fingerprint: str  # 64 hex: what a studio pins
    production: str
    production_id: str
    admins: list[str]
    statement: JsonObject
    signature: str


class KeyringCredential(TypedDict):
    """The keyring entry, with its place, in which a root admin trusted the signing key."""

    production_id: str
    seq: int
    prev_hash: str
    statement: JsonObject
    signature: str


class Credential(TypedDict):
    """Why the signing key may certify: a root admin (``trusted_by`` None) or a keyring entry."""

    name: str
    role: str  # admin | producer | legal
    trusted_by: KeyringCredential | None


class SignerBlock(Credential):
    key: str  # ed25519:<base64>


class PolicyBlock(TypedDict):
    name: str
    sha256: str


class EntryRef(TypedDict):
    seq: int
    entry_hash: str


class LedgerBlock(TypedDict):
    location: str
    head: EntryRef | None
    trust: JsonObject  # aiclear.model.LedgerTrust.to_json(), read by 'ledger verify --against'


class TrackRef(TypedDict):
    name: str
    kind: str  # Video | Audio
    label: str  # V1, A2 ...


class FrameRange(TypedDict):
    start: int
    end: int


class TimecodeRange(TypedDict):
    start: str
    end: str


class ConsentBlock(TypedDict, total=False):
    status: object  # as the usage record states it (schema: text or null)
    ref: object


class PersonBlock(TypedDict):
    name: str
    consent: ConsentBlock


class DecidedBy(TypedDict):
    """The ledger entry whose decision stands for a segment."""

    seq: int
    entry_hash: str
    signer: str
    approver: str
    role: str
    decision: object  # approve | reject | revoke, from the signed statement
    time: object


class SegmentBlock(TypedDict):
    segment_id: str
    asset_id: str
    clip: str
    media: str | None
    track: TrackRef
    frames: FrameRange
    timecode: TimecodeRange
    enabled: bool
    status: str
    ai_class: str
    source_type: str
    tool: str | None
    use: str | None
    people: list[PersonBlock]
    decided_by: list[DecidedBy]


class OnScreenLabel(TypedDict):
    start_frame: int
    end_frame: int
    start_tc: str
    end_tc: str
    level: str  # full | limited
    text: list[str]
    segment_ids: list[str]


class Disclosures(TypedDict):
    on_screen: list[OnScreenLabel]
    credits: list[str]


class Certificate(TypedDict):
    """The payload (unsigned) of a clearance certificate."""

    aiclear_clearance: int
    intent: str  # final | review
    issued: str
    timeline: TimelineBlock
    root: RootBlock
    signer: SignerBlock
    policy: PolicyBlock
    ledger: LedgerBlock
    segments: list[SegmentBlock]
    disclosures: Disclosures
    blocking: list[str]
