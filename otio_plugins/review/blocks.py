"""What blocks delivery, in plain language, grouped by what fixes it.

Each blocking finding becomes a ``Block`` with the fix that clears it: sign as a role,
declare consent, fact-check, declare the record, relink media, ask the production's
admin (pin, policy, catalogue), repair the ledger. The
panel's "What blocks delivery" view shows the groups with one button per fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiclear.detect.record import declared_uses
from aiclear.model import Finding, Segment, TimelineResult
from aiclear.policy.profile import Profile

#: fix key -> (group title, button text); in the order the view lists them
FIXES: dict[str, tuple[str, str]] = {
    "sign": ("Needs a sign-off", "Sign…"),
    "consent": ("Needs recorded consent", "Declare consent…"),
    "fact_check": ("Needs a fact-check", "Fact-check…"),
    "declare": ("Needs a declaration", "Declare…"),
    "relink": ("Media could not be read", "Relink media…"),
    "admin": ("Needs the production's admin (pin, policy or catalogue)", ""),
    "ledger": ("The ledger is damaged", ""),
    "other": ("Cannot be decided", ""),
}
_BY_RULE = {
    "clearance.provisional": "sign", "clearance.rejected": "sign",
    "clearance.record_changed": "sign", "clearance.unbound": "sign",
    "people.consent": "consent", "people.union_terms": "consent",
    "doc.fact_check": "fact_check", "doc.archival": "fact_check",
    # the ledger is sound but not trusted here, or judges by another policy or catalogue:
    # only the production's admin (a pin, a signed re-pin) or the right profile fixes it
    "ledger.unverified": "admin", "ledger.policy": "admin", "ledger.catalogue": "admin",
}


@dataclass(frozen=True, slots=True)
class Block:
    fix: str  # a key of FIXES
    rule: str
    text: str  # plain language, no command lines
    segment_id: str | None = None
    clip: str = ""


def fix_for(rule: str) -> str:
    if rule in _BY_RULE:
        return _BY_RULE[rule]
    if rule.startswith("media."):
        return "relink"
    if rule.startswith("ledger."):
        return "ledger"
    if rule.startswith(("declare.", "lifecycle.", "tool.", "eu.", "doc.", "ingredients.")):
        return "declare"
    return "other"


def required_roles(segment: Segment, profile: Profile) -> tuple[list[str], str]:
    """The roles whose approval clears the segment, and why (its use, every declared one)."""
    uses = declared_uses(segment.record)
    roles = frozenset.intersection(*(frozenset(profile.accepted_roles(u)) for u in uses))
    named = [u for u in uses if u]
    why = (f"use {' and '.join(named)}" if named else "no use declared") + \
          f" under the {profile.name} profile"
    return sorted(roles), why


def blocks(result: TimelineResult | None, profile: Profile) -> list[Block]:
    """Every blocking finding as a Block, in the order of FIXES, then time."""
    if result is None:
        return [Block("other", "scan.pending", "The timeline has not been checked yet.")]
    by_id = {s.segment_id: s for s in result.segments}
    out = [_block(f, by_id.get(f.segment_id or ""), profile) for f in result.blocking]
    order = list(FIXES)
    return sorted(out, key=lambda b: (order.index(b.fix), _start(by_id, b)))


def grouped(found: list[Block]) -> list[tuple[str, str, str, list[Block]]]:
    """(fix key, title, button text, blocks) for every fix that has blocks."""
    groups = []
    for fix, (title, button) in FIXES.items():
        members = [b for b in found if b.fix == fix]
        if members:
            groups.append((fix, title, button, members))
    return groups


def shown_status(segment: Segment) -> str:
    """The status the panel colours: ``cleared_blocking`` for a cleared clip that still
    blocks (a documentary rule, consent): green would say it is done."""
    if segment.status == "cleared" and segment.blocking:
        return "cleared_blocking"
    return segment.status


def _start(by_id: dict[str, Segment], block: Block) -> int:
    seg = by_id.get(block.segment_id or "")
    return seg.start_frame if seg else -1


def _block(finding: Finding, seg: Segment | None, profile: Profile) -> Block:
    fix = fix_for(finding.rule)
    if seg is None:
        return Block(fix, finding.rule, _sentence(finding.message))
    text = _plain(finding, seg, profile)
    return Block(fix, finding.rule, text, seg.segment_id, seg.clip)


def _plain(finding: Finding, seg: Segment, profile: Profile) -> str:
    where = f"{seg.clip} ({seg.track_kind[:1]}{seg.track_index} {seg.start_tc})"
    if finding.rule == "clearance.provisional":
        roles, why = required_roles(seg, profile)
        who = " or ".join(roles) if roles else "a role the profile accepts"
        return f"{where} is not cleared: it needs an approval signed by {who} ({why})."
    if finding.rule == "clearance.rejected" and seg.decision is not None:
        return (f"{where} was rejected by {seg.decision.approver} ({seg.decision.role}): "
                "replace or remove it, or ask for a new approval.")
    return f"{where}: {_sentence(finding.message)}"


def _sentence(message: str) -> str:
    """The finding's message without a trailing command-line hint in parentheses."""
    cut = message.find(" (clear it with:")
    text = message[:cut] if cut >= 0 else message
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
