"""The rules a profile can switch on. Each looks at one segment and returns a message
when the segment breaks it; the profile gives its severity (block / warn / off).

Rule ids are stable: they appear in reports, in findings and in profiles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiclear.catalogue import checks as tools
from aiclear.model import Segment, UsageRecord

DECLARED = ("register", "manual")
MEDIA_KINDS = ("c2pa", "xmp", "probe_tag")
PERSON_USES = ("voice", "digital_replica", "likeness")
GIVEN = ("granted", "not_required")


@dataclass(frozen=True, slots=True)
class RuleContext:
    media_source_type: str | None  # what the media itself says, when it says AI
    #: the media path of a clip whose bytes aiclear did not read (no content identity), when
    #: approvals by reference do not count: no approval can clear it until it is mounted
    unverified_media: str | None = None
    #: the options ``aiclear approve`` needs to find a segment of this timeline again
    #: (``--timeline PATH`` and the check's ``--register`` / ``--profile``); "" when unknown
    approve_args: str = ""


Rule = Callable[[Segment, RuleContext], str | None]
RULES: dict[str, Rule] = {}

#: rules evaluated once per timeline by the scan itself, listed so profiles may name them
TIMELINE_RULES = ("scan.error", "media.unprobed", "media.c2pa_invalid", "media.c2pa_untrusted",
                  "media.c2pa_remote", "media.c2pa_unreadable", "media.unreadable", "media.missing",
                  "media.remote")


def rule(rule_id: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[rule_id] = fn
        return fn
    return register


def _kinds(seg: Segment) -> set[str]:
    return {str(e.get("kind")) for e in seg.evidence}


def unverified_message(path: str) -> str:
    """The one line for an AI clip whose media aiclear could not read and hash itself."""
    return (f"media not available to verify: {path} \u2014 mount it or pass --media-root DIR "
            "/ relink")


@rule("clearance.provisional")
def provisional(seg: Segment, ctx: RuleContext) -> str | None:
    if seg.status != "provisional":
        return None
    if ctx.unverified_media is not None:
        return unverified_message(ctx.unverified_media)
    target = seg.segment_id if ctx.approve_args else seg.asset_id  # a full id needs no lookup
    extra = f" {ctx.approve_args}" if ctx.approve_args else ""
    return (f"AI clip {seg.clip!r} is provisional: no valid approval in the ledger "
            f"(clear it with: aiclear approve {target}{extra} --key KEYFILE)")


@rule("clearance.rejected")
def rejected(seg: Segment, ctx: RuleContext) -> str | None:
    if seg.status != "rejected" or seg.decision is None:
        return None
    d = seg.decision
    return (f"AI clip {seg.clip!r} was rejected by {d.approver} ({d.role}) on {d.time}: "
            "replace or remove it")


@rule("declare.undeclared")
def undeclared(seg: Segment, ctx: RuleContext) -> str | None:
    kinds = _kinds(seg)
    if ctx.media_source_type is None or kinds & set(DECLARED):
        return None
    return (f"undeclared AI: the media of {seg.clip!r} says AI but the production register "
            "has no entry for it (add it to the register)")


@rule("declare.mismatch")
def mismatch(seg: Segment, ctx: RuleContext) -> str | None:
    declared = seg.record.get("source_type")
    detected = ctx.media_source_type
    if not declared or not detected or declared == detected or "register" not in _kinds(seg):
        return None
    return f"declared source type {declared} differs from the media's {detected}"


@rule("declare.use_missing")
def use_missing(seg: Segment, ctx: RuleContext) -> str | None:
    if seg.record.get("use"):
        return None
    return (f"no use declared for {seg.clip!r} (add use: to its register entry; "
            "approvals are routed by use)")


#: the evidence a check leaves where it ignored a declaration's relaxing fields
#: (aiclear.policy.relax); its detail is the one line the rule below reports
IGNORED_DECLARATION = "declaration_ignored"
#: rules that apply at this severity where a profile does not name them
DEFAULT_SEVERITY: dict[str, str] = {"declare.relaxing": "warn"}


@rule("declare.relaxing")
def relaxing(seg: Segment, ctx: RuleContext) -> str | None:
    lines = [str(e.get("detail")) for e in seg.evidence if e.get("kind") == IGNORED_DECLARATION]
    return "; ".join(lines) or None


@rule("lifecycle.temp")
def temp(seg: Segment, ctx: RuleContext) -> str | None:
    if seg.record.get("lifecycle") != "temp":
        return None
    return f"{seg.clip!r} is declared a temp placeholder but sits in the delivered cut"


@rule("disabled.ai")
def disabled(seg: Segment, ctx: RuleContext) -> str | None:
    return None if seg.enabled else f"disabled AI clip {seg.clip!r} (reported, not blocking)"


@rule("tool.declared")
def tool_declared(seg: Segment, ctx: RuleContext) -> str | None:
    return None if (seg.record.get("tool") or {}).get("product") else (
        f"the AI tool that made {seg.clip!r} is not declared")


@rule("people.consent")
def consent(seg: Segment, ctx: RuleContext) -> str | None:
    people = seg.record.get("people") or []
    if not people and seg.record.get("use") in PERSON_USES:
        return f"use {seg.record.get('use')} needs the person whose likeness or voice it is (people:)"
    missing = [p.get("name", "?") for p in people
               if (p.get("consent") or {}).get("status") not in GIVEN]
    if not missing:
        return None
    return "no recorded consent from " + ", ".join(map(str, missing))


@rule("people.union_terms")
def union_terms(seg: Segment, ctx: RuleContext) -> str | None:
    union = [p for p in seg.record.get("people") or []
             if str(p.get("union", "")).lower().replace("-", "_") in ("sag_aftra", "sagaftra")]
    lacking = [p.get("name", "?") for p in union
               if not p.get("replica_type") or not (p.get("consent") or {}).get("ref")]
    if not lacking:
        return None
    return ("union performer without replica type and consent reference: "
            + ", ".join(map(str, lacking)))


@rule("ingredients.rights")
def rights(seg: Segment, ctx: RuleContext) -> str | None:
    unknown = [i.get("description", "?") for i in seg.record.get("ingredients") or []
               if str(i.get("rights", "")).strip().lower() in ("", "unknown", "unclear")]
    return None if not unknown else "ingredients with unknown rights: " + ", ".join(unknown)


@rule("doc.archival")
def archival(seg: Segment, ctx: RuleContext) -> str | None:
    if seg.record.get("presented_as") != "archival_or_primary_source":
        return None
    if seg.ai_class not in ("generated", "edited", "contains"):
        return None
    return f"AI material {seg.clip!r} is presented as archival or primary source"


@rule("doc.cue_sheet")
def cue_sheet(seg: Segment, ctx: RuleContext) -> str | None:
    missing = [k for k in ("description", "prompt_ref") if not seg.record.get(k)]
    if not (seg.record.get("tool") or {}).get("product"):
        missing.append("tool")
    if any(not i.get("rights") for i in seg.record.get("ingredients") or []):
        missing.append("ingredient rights")
    return None if not missing else "cue sheet incomplete: missing " + ", ".join(missing)


@rule("doc.on_screen")
def on_screen(seg: Segment, ctx: RuleContext) -> str | None:
    if (seg.record.get("disclosure") or {}).get("on_screen") is not False:
        return None
    return "every AI segment needs an on-screen label; this record turns it off"


@rule("doc.fact_check")
def fact_check(seg: Segment, ctx: RuleContext) -> str | None:
    real = (seg.record.get("depicts_real") or {}).get("resembles_existing") or seg.record.get("people")
    status = (seg.record.get("fact_check") or {}).get("status")
    if not real or status == "verified":
        return None
    state = f"fact-check {status}" if status else "no fact-check recorded"
    return f"depicts real people, places or events and is not fact-checked ({state})"


@rule("eu.classified")
def classified(seg: Segment, ctx: RuleContext) -> str | None:
    if seg.record.get("depicts_real"):
        return None
    return ("not classified against the deep-fake test "
            "(depicts_real: resembles_existing, would_appear_authentic)")


@rule("eu.deepfake_disclosure")
def deepfake(seg: Segment, ctx: RuleContext) -> str | None:
    real = seg.record.get("depicts_real") or {}
    if not (real.get("resembles_existing") and real.get("would_appear_authentic")):
        return None
    if (seg.record.get("disclosure") or {}).get("on_screen") is not False:
        return None
    return "deep fake with its on-screen disclosure turned off (EU AI Act Art. 50(4))"


def _tool_rule(check: Callable[[UsageRecord, str], str | None]) -> Rule:
    """A rule from an approved-tools check (aiclear.catalogue.checks) on the segment's record."""
    return lambda seg, ctx: check(seg.record, seg.clip)


#: the approved-tools catalogue's rules: one check each, on the record's catalogue verdict
_TOOL_CHECKS = (("tool.catalogue_missing", tools.catalogue_missing),
                ("tool.unapproved", tools.unapproved),
                ("tool.data_terms", tools.data_terms),
                ("tool.agreement_expired", tools.agreement_expired),
                ("tool.use_not_approved", tools.use_not_approved))
CATALOGUE_RULES = tuple(rule_id for rule_id, _ in _TOOL_CHECKS)
for _rule_id, _check in _TOOL_CHECKS:
    RULES[_rule_id] = _tool_rule(_check)


@rule("principles.unanswered")
def principles_unanswered(seg: Segment, ctx: RuleContext) -> str | None:
    esc = seg.record.get("escalation")
    missing = (esc.get("unanswered") if esc else None) or []
    return None if not missing else (
        f"guiding principles not answered for {seg.clip!r}: {', '.join(missing)} "
        "(add principles: to its register entry)")


@rule("principles.escalated")
def principles_escalated(seg: Segment, ctx: RuleContext) -> str | None:
    esc = seg.record.get("escalation")
    if not esc or not esc.get("required") or seg.status == "cleared":
        return None
    return (f"{seg.clip!r} needs written approval from {' or '.join(esc.get('roles') or ['legal'])}: "
            + "; ".join(esc.get("reasons") or []))


for _rule_id in TIMELINE_RULES:
    RULES.setdefault(_rule_id, lambda seg, ctx: None)
