"""The messages of the ``tool.*`` rules, from a record already given its catalogue
status (``record["catalogue"]``, see ``status.tool_status``). Each returns None when
the segment keeps the rule."""

from __future__ import annotations

from datetime import UTC, datetime

from aiclear.catalogue.dates import moment
from aiclear.model import CatalogueVerdict, JsonObject, UsageRecord
from aiclear.safety import shape

FIX = "give --catalogue FILE, or catalogue: in the profile"


def _status(record: UsageRecord) -> CatalogueVerdict:
    value = record.get("catalogue")
    if isinstance(value, dict):
        return value
    return {"status": "no_catalogue", "catalogue": None, "tools": [], "problems": []}


def _tools(record: UsageRecord) -> list[JsonObject]:
    return [t for t in _status(record).get("tools") or [] if t.get("approved", True)]


def catalogue_missing(record: UsageRecord, clip: str) -> str | None:
    if _status(record).get("status") != "no_catalogue":
        return None
    return (f"no approved-tools catalogue: cannot establish that the tool that made {clip!r} "
            f"is approved ({FIX})")


def unapproved(record: UsageRecord, clip: str) -> str | None:
    status = _status(record)
    problems = [p["message"] for p in status.get("problems") or []]
    if status.get("status") == "no_catalogue" or not problems:
        return None
    return f"unapproved tool for {clip!r}: " + "; ".join(problems)


def data_terms(record: UsageRecord, clip: str) -> str | None:
    issues = []
    for tool in _tools(record):
        name = tool["product"]
        if tool.get("deployment") == "consumer":
            issues.append(f"{name} is used under a consumer account, not an enterprise-secured one")
        for key, what in (("trains_on_inputs", "trains on"), ("retains_inputs", "retains")):
            value = tool.get(key, "unknown")
            if value is True:
                issues.append(f"{name} {what} production inputs")
            elif value is not False:
                issues.append(f"{name}: whether it {what} inputs is unknown ({key})")
    if not issues:
        return None
    return (f"data terms of the tool behind {clip!r}: " + "; ".join(issues)
            + " (use an enterprise account, or record the agreed terms in the catalogue)")


def created(record: UsageRecord) -> datetime | None:
    """When the media was made: the register (or record) ``created:``, else the earliest
    date a C2PA action gives."""
    when = moment(record.get("created"))
    if when is not None:
        return when
    dates = [moment(ev.get("when")) for ev in record.get("evidence") or []
             if isinstance(ev, dict) and ev.get("kind") == "c2pa"]
    known = [d for d in dates if d is not None]
    return min(known) if known else None


def agreement_expired(record: UsageRecord, clip: str,
                      now: datetime | None = None) -> str | None:
    made = created(record)
    issues = []
    for tool in _tools(record):
        expires = tool.get("agreement_expires")
        if not expires:
            continue
        end = moment(expires, end_of_day=True)
        ref = tool.get("agreement") or "its agreement"
        if end is None:
            issues.append(f"{tool['product']}: expiry {expires!r} of {ref} is not a date")
        elif made is not None and made > end:
            issues.append(f"{clip!r} was made {made.date().isoformat()}, after {ref} for "
                          f"{tool['product']} expired on {expires}")
        elif made is None and end < (now or datetime.now(UTC)):
            issues.append(f"{ref} for {tool['product']} expired on {expires} and when {clip!r} "
                          "was made is unknown (add created: to its register entry)")
    return ("; ".join(issues) + " (renew the agreement, or regenerate under a current one)"
            if issues else None)


def use_not_approved(record: UsageRecord, clip: str) -> str | None:
    use = record.get("use")
    # an undeclared lifecycle on a checked cut counts as final: the cut may be delivered
    lifecycle = record.get("lifecycle") or "final"
    issues = []
    for tool in _tools(record):
        # None: no restriction; anything else is the list approved (garbage approves nothing)
        uses = None if tool.get("uses") is None else shape.strings(tool.get("uses"))
        lifecycles = None if tool.get("lifecycles") is None else shape.strings(tool.get("lifecycles"))
        if uses is not None and use not in uses:
            issues.append(f"{tool['product']} is approved for {', '.join(uses) or 'no use'}, "
                          f"not {use or 'an undeclared use'}")
        if lifecycles is not None and lifecycle not in lifecycles:
            issues.append(f"{tool['product']} is approved for {'/'.join(lifecycles) or 'nothing'} "
                          f"material, and {clip!r} is {lifecycle}"
                          + ("" if record.get("lifecycle") else " (no lifecycle declared)"))
    return ("; ".join(issues) + " (replace it, or regenerate with a tool approved for this use)"
            if issues else None)
