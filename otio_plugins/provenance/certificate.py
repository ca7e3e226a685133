"""The clearance certificate of one timeline: what is AI in it, who cleared it under which
policy, against which ledger head, and what must be disclosed with it.

The payload is plain JSON (schema: ``resources/schemas/clearance-certificate.schema.json``)
sealed in a DSSE envelope (aiclear.provenance.envelope) by a certifying key of the
production. It carries the production root it speaks for (the signed root statement of
the ledger's entry 1, its fingerprint, production and admin keys) and the keyring entry,
with its place, in which a root admin trusted the signing key, so a studio can check it
offline against nothing but its own pin (aiclear.provenance.trust).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TypeGuard

import jsonschema

from aiclear.detect import sourcetype
from aiclear.ledger.chain import Entry
from aiclear.ledger.keys import SigningKey
from aiclear.ledger.statement import utc_now
from aiclear.model import JsonObject, Segment, TimelineResult
from aiclear.policy.profile import Profile
from aiclear.provenance import trust
from aiclear.provenance.payload import (
    Certificate,
    ConsentBlock,
    DecidedBy,
    Disclosures,
    OnScreenLabel,
    PersonBlock,
    SegmentBlock,
)
from aiclear.safety import shape
from aiclear.timeline import walk

CERT_VERSION = 1
INTENTS = ("final", "review")
#: the source type a class stands for when the record names none (IPTC NewsCodes)
CLASS_SOURCE_TYPE = {
    "generated": "trainedAlgorithmicMedia",
    "edited": "compositeWithTrainedAlgorithmicMedia",
    "contains": "compositeSynthetic",
    "enhanced": "algorithmicallyEnhanced",
}
_CHUNK = 1 << 20


def file_digest(path: str | Path) -> str:
    """``sha256:<hex>`` of a file's bytes, read in chunks (timelines can be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


def policy_digest(profile: Profile) -> str:
    """Over the merged profile (after ``extends:``), so what was applied is what is
    hashed, however its YAML was laid out."""
    body = json.dumps(profile.data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    return "sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()


def source_type(segment: Segment) -> str:
    given = sourcetype.normalise(segment.record.get("source_type"))
    if given:
        return given
    return sourcetype.IPTC + CLASS_SOURCE_TYPE.get(segment.ai_class, "trainedAlgorithmicMedia")


def build(result: TimelineResult, timeline_path: Path, profile: Profile,
          snapshot: trust.Snapshot, key: SigningKey, *, intent: str = "final",
          blockers: Sequence[str] = ()) -> Certificate:
    """The certificate payload (unsigned)."""
    head = snapshot.head
    entries = {e.seq: e for e in snapshot.entries}
    tl = result.timeline
    offset = walk.start_frame(tl, result.rate) if tl is not None else 0
    duration = walk.frames(tl.duration(), result.rate) if tl is not None else 0
    return {
        "aiclear_clearance": CERT_VERSION,
        "intent": intent,
        "issued": utc_now(),
        "timeline": {
            "name": result.name,
            "file": timeline_path.name,
            "sha256": file_digest(timeline_path),
            "rate": result.rate,
            "start_tc": walk.timecode(offset, result.rate),
            "duration_frames": duration,
        },
        "root": snapshot.root.to_json(),
        "signer": {"key": key.public_text, **trust.credential(snapshot, key.public_text)},
        "policy": {"name": profile.name, "sha256": policy_digest(profile)},
        "ledger": {"location": snapshot.location,
                   "head": head.to_json() if head else None,
                   # what 'aiclear ledger verify --against CERT' reads (root, head_seq,
                   # head_hash) and the trust state the cut was judged in
                   "trust": snapshot.trust.to_json()},
        "segments": [segment_json(s, entries) for s in result.segments],
        "disclosures": disclosures(result, profile),
        "blocking": list(blockers),
    }


def segment_json(seg: Segment, entries: Mapping[int, Entry]) -> SegmentBlock:
    record = seg.record
    label = f"{'A' if seg.track_kind == 'Audio' else 'V'}{seg.track_index}"
    return {
        "segment_id": seg.segment_id,
        "asset_id": seg.asset_id,
        "clip": seg.clip,
        "media": Path(seg.media).name if seg.media else None,
        "track": {"name": seg.track, "kind": seg.track_kind, "label": label},
        "frames": {"start": seg.start_frame, "end": seg.end_frame},
        "timecode": {"start": seg.start_tc, "end": seg.end_tc},
        "enabled": seg.enabled,
        "status": seg.status,
        "ai_class": seg.ai_class,
        "source_type": source_type(seg),
        "tool": seg.tool_name,
        "use": record.get("use"),
        "people": [_person(p) for p in record.get("people") or [] if isinstance(p, dict)],
        "decided_by": _deciding(seg, entries),
    }


def _person(person: Mapping[str, object]) -> PersonBlock:
    """A person as the record states them (parsed data: whatever is not a mapping is
    read as absent)."""
    consent = shape.mapping(person.get("consent"))
    block: ConsentBlock = {"status": consent.get("status"), "ref": consent.get("ref")}
    return {"name": str(person.get("name") or ""), "consent": block}


def _deciding(seg: Segment, entries: Mapping[int, Entry]) -> list[DecidedBy]:
    """The ledger entry whose decision stands for this segment (none while provisional)."""
    if seg.decision is None:
        return []
    entry = entries.get(int(seg.decision.entry))
    statement = entry.statement() if entry is not None else None
    if entry is None or statement is None:
        return []
    return [{"seq": entry.seq, "entry_hash": entry.entry_hash, "signer": entry.signer,
             "approver": seg.decision.approver, "role": seg.decision.role,
             "decision": statement.get("decision"), "time": statement.get("time")}]


def disclosures(result: TimelineResult, profile: Profile) -> Disclosures:
    """The on-screen labels and credit lines that must go out with the cut."""
    from aiclear.disclose.credits import credit_block
    from aiclear.disclose.events import events_for

    tl = result.timeline
    offset = walk.start_frame(tl, result.rate) if tl is not None else 0
    labels: list[OnScreenLabel] = [{"start_frame": e.start_frame, "end_frame": e.end_frame,
               "start_tc": walk.timecode(e.start_frame + offset, result.rate),
               "end_tc": walk.timecode(e.end_frame + offset, result.rate),
               "level": e.level, "text": list(e.phrases), "segment_ids": list(e.segment_ids)}
              for e in events_for(result, profile)]
    return {"on_screen": labels, "credits": credit_block(result, profile).lines()}


@cache
def schema() -> JsonObject:
    text = (resources.files("aiclear.resources") / "schemas"
            / "clearance-certificate.schema.json").read_text(encoding="utf-8")
    return shape.mapping(json.loads(text))  # our own bundled file: an object


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


def meets_schema(payload: object) -> TypeGuard[Certificate]:
    """Whether a parsed payload meets the published schema: what lets the code read it as
    a ``Certificate`` (``schema_problem`` says where it does not)."""
    return _validator().is_valid(payload)


def schema_problem(payload: object) -> str | None:
    """The first place the payload breaks the published schema, or None."""
    errors = sorted(_validator().iter_errors(payload), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    err = errors[0]
    where = "/".join(str(p) for p in err.absolute_path) or "(top)"
    return f"{where}: {err.message[:160]}"
