"""Whether an approval still covers the record it was signed for (aiclear.policy.claims).

An approval clears an asset; the rules read claims the editor types (the register, the
record on the clip). A bound approval counts only while the segment's claims hash as they
did when it was signed: otherwise the segment stays provisional and this module's finding
names the approver, what changed and the command that clears it again. An approval bound
to nothing (signed by bare asset id, or before approvals were bound) counts as before,
unless the profile sets ``clearance.require_bound_approvals``.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiclear.model import Decision, JsonObject, Segment
from aiclear.policy import claims
from aiclear.policy.profile import Profile

RECORD_CHANGED = "clearance.record_changed"
UNBOUND = "clearance.unbound"


@dataclass(frozen=True, slots=True)
class Withheld:
    """Why an approval that would clear the segment does not: its finding's rule and line."""

    rule: str
    message: str


def require_bound(profile: Profile) -> bool:
    return profile.section("clearance").get("require_bound_approvals") is True


def segment_claims(segment: Segment) -> JsonObject:
    """The claims an approval of this segment is bound to (as scanned, before declarations)."""
    return segment.claims if segment.claims is not None else claims.claims(segment.record)


def withheld(segment: Segment, decision: Decision, profile: Profile,
             approve_hint: str = "") -> Withheld | None:
    """None when the approval covers the segment's claims (or, unbound, is allowed)."""
    who = f"{decision.approver} ({decision.role})"
    fix = _fix(segment, approve_hint)
    if decision.record is None:
        if not require_bound(profile):
            return None
        return Withheld(UNBOUND, f"AI clip {segment.clip!r} is provisional: the approval by "
                        f"{who} at entry {decision.entry} is not bound to the record it "
                        f"clears, and the {profile.name} profile requires bound approvals {fix}")
    now = segment_claims(segment)
    if claims.digest(now) == decision.record.sha256:
        return None
    return Withheld(RECORD_CHANGED, f"AI clip {segment.clip!r} is provisional: its record "
                    f"changed after {who} approved it at entry {decision.entry}: "
                    f"{claims.summary(decision.record.fields, now)} {fix}")


def _fix(segment: Segment, approve_hint: str) -> str:
    """The approve command that binds a new approval to the record as it stands: it needs
    the timeline (``approve_hint`` is ``--timeline PATH`` and the check's options)."""
    where = approve_hint or "--timeline TIMELINE"
    return f"(clear it with: aiclear approve {segment.segment_id} {where} --key KEYFILE)"
