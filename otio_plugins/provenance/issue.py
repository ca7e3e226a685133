"""Issue a clearance certificate: the one entry point the CLI and the panel share.

    snapshot = trust.read_snapshot(location, pins.applicable(trust_root))
    view = clearance_view(snapshot, intent)            # scan with settings.ledger_for = lambda _: view
    issued = issue(result, timeline_path, profile, snapshot, key, intent="final")
    atomic_write(out, envelope.dumps(issued.envelope))

``issue`` raises ``Blocked`` (its ``lines`` name each problem and its fix) while the cut
must not be certified, so a caller cannot write a final certificate by forgetting a check.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aiclear.errors import AiclearError, Blocked, LedgerError, UsageError
from aiclear.ledger.keys import SigningKey
from aiclear.ledger.statement import canonical
from aiclear.model import JsonObject, Segment, TimelineResult
from aiclear.policy.profile import Profile
from aiclear.provenance import certificate, envelope, trust
from aiclear.provenance.payload import Certificate
from aiclear.scan.settings import ScanSettings

if TYPE_CHECKING:
    from aiclear.ledger.view import LedgerView


class CertifyRefused(Blocked):
    """Something blocks the cut; ``lines`` holds one line per problem."""

    def __init__(self, message: str, lines: list[str]) -> None:
        self.lines = lines
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Issued:
    envelope: JsonObject
    payload: Certificate

    @property
    def digest(self) -> str:
        return envelope.payload_digest(canonical(self.payload))


def clearance_view(snapshot: trust.Snapshot, intent: str = "final") -> LedgerView:
    """The ledger view of exactly this snapshot (read with pins), for the scan the
    certificate reports; Blocked (exit 1, one line with the fix) when this ledger cannot back
    a certificate of ``intent``: legacy or rootless, or not pinned here for a final one."""
    if snapshot.head is None:
        raise LedgerError(f"{snapshot.location}: empty ledger (run 'aiclear ledger init')")
    problem = trust.certify_problem(snapshot, intent)
    if problem is not None:
        raise Blocked(f"certify refused: {problem}")
    return snapshot.judged


def problems(result: TimelineResult, profile: Profile, target: str | Path) -> list[str]:
    """Every reason the cut cannot be certified final: what the export gate blocks on,
    and any enabled AI segment the ledger has not cleared (even under a profile that only
    warns about it: a clearance certificate clears)."""
    from aiclear.gate.decision import evaluate

    gate = evaluate([result], "final", target, profile.name)
    named = {b.segment_id for b in gate.blockers}
    return [b.line() for b in gate.blockers] + [
        _uncleared(s) for s in result.segments
        if s.enabled and s.status != "cleared" and s.segment_id not in named]


def _uncleared(s: Segment) -> str:
    return (f"{s.track} {s.clip!r} {s.start_tc}-{s.end_tc}: {s.status}, not cleared -> a "
            f"signed approval for {s.segment_id}")


def issue(result: TimelineResult, timeline_path: Path, profile: Profile,
          snapshot: trust.Snapshot, key: SigningKey, *, intent: str = "final") -> Issued:
    if intent not in certificate.INTENTS:
        raise AiclearError(f"unknown certificate intent {intent!r} (expected final or review)")
    if result.error is not None:
        raise AiclearError(result.error)
    clearance_view(snapshot, intent)  # a ledger that cannot back this intent: Blocked
    trust.credential(snapshot, key.public_text)  # a key that may not certify: LedgerError
    lines = problems(result, profile, timeline_path)
    if lines and intent == "final":
        raise CertifyRefused(f"aiclear: certify refused: {len(lines)} problem(s) block "
                             f"{timeline_path} ({profile.name} profile)", lines)
    payload = certificate.build(result, timeline_path, profile, snapshot, key, intent=intent,
                                blockers=lines)
    problem = certificate.schema_problem(payload)
    if problem is not None:  # our own output must meet the schema we publish
        raise AiclearError(f"internal error: certificate fails its schema at {problem}")
    return Issued(envelope.seal(payload, key), payload)


def certify_file(timeline_path: Path, settings: ScanSettings, location: str | None,
                 key_file: Path, *, intent: str = "final", trust_root: str | None = None
                 ) -> Issued:
    """Scan ``timeline_path`` against one read of its ledger and issue its certificate: what
    ``aiclear certify`` and the panel's "Certify…" both call. Raises ``CertifyRefused`` (one
    line per problem) while the cut must not be certified, ``LedgerError`` for a ledger that
    cannot back the intent or a key that may not certify."""
    from aiclear.ledger.keys import load_key
    from aiclear.ledger.pins import applicable
    from aiclear.scan.core import scan_file

    if location is None:
        raise UsageError("certify needs the production's ledger (--ledger PATH|URL)")
    key = load_key(key_file)
    snapshot = trust.read_snapshot(location, applicable(trust_root))
    view = clearance_view(snapshot, intent)  # legacy / not pinned here: refused
    trust.credential(snapshot, key.public_text)  # refuse a key that may not certify, early
    settings.ledger_for = lambda _path: view  # the same snapshot the certificate names
    results = scan_file(timeline_path, settings)
    if len(results) != 1:
        raise UsageError(f"{timeline_path}: holds {len(results)} timelines; expected one "
                         "(export the sequence on its own)")
    return issue(results[0], timeline_path, settings.profile, snapshot, key, intent=intent)


def save(issued: Issued, out: Path, *inputs: Path) -> Path:
    """Write a certificate atomically; never onto a link, a ledger, a key or an input."""
    from aiclear.safety.fileio import atomic_write, output_target

    return atomic_write(output_target(out, *inputs), envelope.dumps(issued.envelope))
