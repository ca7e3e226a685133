"""The five guiding principles per use, and the risk matrix that triages uses.

A register entry (or the panel's declarations) answers each principle yes / no /
unsure with a note. A "no" or an "unsure", and every use whose tier in the profile's
risk matrix is ``written_approval``, is escalated: only the roles the profile names
(``risk.approver``, legal by default) can clear it. This narrows the existing
role-per-use clearance (``clearance:``); it is not a second approval mechanism.

    risk:
      approver: [legal]
      default: {temp: notify, final: written_approval}      # every use not listed
      uses:
        key_creative_element: {temp: written_approval, final: written_approval}

A profile without ``default`` or ``uses`` does not triage by tier; principle answers
still escalate.
"""

from __future__ import annotations

from aiclear.detect.record import declared_uses
from aiclear.model import Escalation, Principle, UsageRecord
from aiclear.policy.profile import NEVER_CLEARS, Profile

#: key -> the principle as the studio guidance words it (research/domain.md §1.2)
PRINCIPLES: dict[str, str] = {
    "copyright": "The outputs do not replicate or substantially recreate identifiable "
                 "characteristics of unowned or copyrighted material, or infringe any "
                 "copyright-protected works.",
    "data": "The generative tools used do not store, reuse, or train on production data "
            "inputs or outputs.",
    "secure_environment": "Where possible, generative tools are used in an "
                          "enterprise-secured environment to safeguard inputs.",
    "temporary": "Generated material is temporary and not part of the final deliverables.",
    "talent": "GenAI is not used to replace or generate new talent performances or "
              "union-covered work without consent.",
}
ANSWERS = ("yes", "no", "unsure")
TIERS = ("notify", "written_approval")
DEFAULT_APPROVER = ("legal",)


def answers(record: UsageRecord) -> dict[str, Principle]:
    """The record's principle answers as {key: {answer, note}}; YAML's bare yes/no
    (booleans) count as yes/no, anything else unreadable as unsure."""
    raw = record.get("principles")
    out: dict[str, Principle] = {}
    if not isinstance(raw, dict):
        return out
    for key, value in raw.items():
        note = ""
        if isinstance(value, dict):
            note = str(value.get("note") or "")
            value = value.get("answer")
        out[str(key)] = {"answer": _answer(value), "note": note}
    return out


def _answer(value: object) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    text = str(value).strip().lower()
    return text if text in ANSWERS else "unsure"


def tier(record: UsageRecord, profile: Profile) -> str | None:
    """``notify`` or ``written_approval`` from the profile's matrix; None when the
    profile has none. An undeclared lifecycle is tiered as final (fail closed)."""
    risk = profile.section("risk")
    uses = risk.get("uses") or {}
    row = uses.get(record.get("use") or "") or risk.get("default")
    if not isinstance(row, dict):
        return None
    lifecycle = record.get("lifecycle") or "final"
    value = row.get(lifecycle)
    return str(value) if value in TIERS else "written_approval"


def approvers(profile: Profile) -> frozenset[str]:
    roles = profile.section("risk").get("approver") or list(DEFAULT_APPROVER)
    return frozenset(map(str, roles)) - NEVER_CLEARS


def escalation(record: UsageRecord, profile: Profile) -> Escalation:
    """Plain data: the tier, whether written approval is required, why, and by whom."""
    given = answers(record)
    reasons = [f"principle {key} answered {a['answer']}" + (f" ({a['note']})" if a["note"] else "")
               for key, a in given.items() if a["answer"] in ("no", "unsure")]
    found = tier(record, profile)
    if found == "written_approval":
        reasons.append(f"{record.get('use') or 'undeclared use'} / "
                       f"{record.get('lifecycle') or 'final'} needs written approval")
    return {
        "tier": found,
        "required": bool(reasons),
        "reasons": reasons,
        "roles": sorted(approvers(profile)),
        "principles": given,
        "unanswered": [k for k in PRINCIPLES if k not in given],
    }


def clearing_roles(record: UsageRecord, profile: Profile) -> frozenset[str]:
    """The roles whose approval clears this record: the use's roles, narrowed to the
    risk approvers when the use is escalated (only they give written approval).
    Recomputed from the profile, never read from the record (a file could forge it)."""
    roles = profile.accepted_roles(record.get("use"))
    if not escalation(record, profile)["required"]:
        return roles
    named = approvers(profile)
    return (roles & named) or named


def deciding_roles(record: UsageRecord, profile: Profile) -> frozenset[str]:
    """The roles whose approval clears the record as the scan asks the ledger: its clearing
    roles, accepted for every use it has carried (a declaration may raise what clearing
    needs, never lower it)."""
    return clearing_roles(record, profile).intersection(
        *(profile.accepted_roles(use) for use in declared_uses(record)))
