"""The scan: one timeline in, its AI segments and findings out.

For each clip (one O(N) walk) the signals the profile enables are turned into evidence:
an aiclear record already on the clip, production register entries, media evidence
(through a ``MediaProber``), names, reels, markers and comments. AI evidence of any kind
makes the clip an AI segment with a usage record; the ledger (a ``ClearanceView``) decides its
status; the profile's rules turn segments into findings. A scan that fails blocks.
"""

from __future__ import annotations

import dataclasses
import shlex
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import opentimelineio as otio

from aiclear.catalogue import Catalogue, tool_status
from aiclear.detect import carriers, markers, record, signals, sourcetype
from aiclear.detect.register import Register
from aiclear.detect.terms import TermMatch, TermMatcher
from aiclear.errors import AiclearError, InputError, TimelineError
from aiclear.model import (
    Decision,
    Declared,
    Evidence,
    Finding,
    JsonObject,
    MediaResult,
    Segment,
    Severity,
    TimelineResult,
    UsageRecord,
)
from aiclear.policy.claims import claims
from aiclear.policy.profile import Profile
from aiclear.policy.relax import screen
from aiclear.policy.risk import deciding_roles, escalation
from aiclear.policy.rules import (
    CATALOGUE_RULES,
    DEFAULT_SEVERITY,
    IGNORED_DECLARATION,
    RULES,
    RuleContext,
)
from aiclear.safety import shape
from aiclear.scan.bound import Withheld, withheld
from aiclear.scan.ports import ClearanceView
from aiclear.scan.settings import ScanSettings
from aiclear.timeline import ids, walk
from aiclear.timeline.metaview import entries

AI_KINDS = frozenset({"metadata", "register", "name", "marker", "comment", "manual", "carrier"})
class _Matcher:
    """The profile's term matcher with a per-text cache (names repeat across a cut)."""

    def __init__(self, profile: Profile) -> None:
        detect = profile.section("detect")
        self.sources = set(detect.get("sources", []))
        self._terms = TermMatcher(detect)
        self._cached = lru_cache(maxsize=65536)(self._match)

    def match(self, text: str | None, filename: bool = False) -> TermMatch | None:
        if not text or not self._terms.could_match(text):
            return None  # the common case, decided before the cache key is even built
        return self._cached(text, filename)

    def _match(self, text: str, filename: bool) -> TermMatch | None:
        return self._terms.match(text, filename=filename)


_MATCHERS: dict[int, _Matcher] = {}


def _matcher(profile: Profile) -> _Matcher:
    key = id(profile)
    if key not in _MATCHERS:
        _MATCHERS[key] = _Matcher(profile)
    return _MATCHERS[key]


def scan_timeline(timeline: otio.schema.Timeline, settings: ScanSettings,
                  path: str | Path | None = None,
                  tracks: Sequence[walk.TrackClips] | None = None) -> TimelineResult:
    """Scan one timeline; never raises for content problems (they become findings).

    ``tracks``: the timeline's walk when the caller already made it (the panel lays its
    lanes out from the same walk), so the timeline is not walked twice."""
    rate = walk.timeline_rate(timeline, settings.default_rate)
    where = Path(path) if path else None
    result = TimelineResult(path=str(path or ""), name=timeline.name or "", rate=rate,
                            timeline=timeline)
    places = walk.all_places(walk.columns(timeline) if tracks is None else tracks)
    result.clip_count = len(places)
    media = _probe(places, settings, where)
    ledger = settings.ledger_for(where) if settings.ledger_for else None
    offset = walk.start_frame(timeline, rate)
    matcher = _matcher(settings.profile)
    marked = _marked(timeline, places, matcher, rate, offset)
    hint = approve_args(where, settings)
    for index, (place, found) in enumerate(zip(places, media, strict=True)):
        segment = _segment(place, found, settings, matcher, rate, offset, marked.get(index))
        if segment is None:
            continue
        if ledger is not None:
            apply_declarations(segment, ledger, settings.profile, settings.catalogue)
        judge(segment, ledger, settings.profile, found, settings.catalogue, hint)
        result.segments.append(segment)
        result.findings.extend(segment.findings)
    if ledger is not None:
        result.findings.extend(ledger.integrity_findings())
        result.findings.extend(pin_findings(settings.profile, settings.catalogue, ledger))
        result.ledger = ledger.trust
    result.findings.extend(_unprobed(media, settings.profile, _not_read(places, settings)))
    return result


def pin_findings(profile: Profile, catalogue: Catalogue | None,
                 ledger: ClearanceView) -> list[Finding]:
    """What the production's root pins that this check did not apply: its policy profile
    and its approved-tools catalogue (timeline-wide block findings)."""
    return [*_policy_findings(profile, ledger), *_catalogue_findings(profile, catalogue, ledger)]


def _policy_findings(profile: Profile, ledger: ClearanceView) -> list[Finding]:
    """The production's root pins its policy profile: a check under another profile (a
    weaker built-in, say) must not clear the production's cuts. A local file combined over
    the pinned profile (``NAME (over PINNED)``) is the pinned one plus additions."""
    pinned_policy = getattr(ledger, "pinned_policy", None)
    trust = getattr(ledger, "trust", None)
    if pinned_policy is None or trust is None or not trust.pinned:
        return []
    pin = pinned_policy()[0]
    name, pinned_sha = str(pin.get("name") or ""), str(pin.get("sha256") or "")
    base = profile.name.rsplit(" (over ", 1)[-1].rstrip(")") if " (over " in profile.name \
        else profile.name
    if not name:
        return []
    if name not in (base, profile.name):
        return [Finding("ledger.policy", "block",
                        f"this production's ledger pins the {name!r} policy profile; this check "
                        f"applied {profile.name!r}: run it with --profile {name} (a local "
                        "profile may only add to the production's)")]
    # the same name is not the same policy: the root pins its content (an admin's edited
    # profile of that name, or the built-in as an earlier release shipped it)
    ours = _digests(profile, base)
    if not pinned_sha or pinned_sha in ours:
        return []
    return [Finding("ledger.policy", "block",
                    f"this production's ledger pins the {name!r} policy profile as sha256 "
                    f"{pinned_sha[:16]}…, and the {name!r} this check applied hashes "
                    f"{ours[-1][:16]}… (an edited profile, or another aiclear release): an admin "
                    f"reviews the change and re-pins it with 'aiclear ledger policy --profile "
                    f"{name} --key ADMIN.key'")]


def _digests(profile: Profile, base: str) -> list[str]:
    """Content hashes that match the pin: the applied profile's own, and the built-in it
    was combined over (a local file only adds to it, so a pinned base holds); the
    built-in's last."""
    from aiclear.ledger.root import profile_digest  # loaded already: the ledger was read
    from aiclear.policy.combine import effective_profile

    try:
        builtin = [profile_digest(effective_profile(base))]  # cached once per process
    except AiclearError:  # the pinned name is not a built-in (an admin's own file)
        builtin = []
    return [profile_digest(profile), *builtin]


def _catalogue_findings(profile: Profile, catalogue: Catalogue | None,
                        ledger: ClearanceView) -> list[Finding]:
    """The root pins the approved-tools catalogue by hash: ``--catalogue``,
    ``AICLEAR_CATALOGUE`` and a profile's ``catalogue:`` name the checker's own file, which
    counts only when it is the pinned one. Where the root pins none, nothing vouches for the
    file given: a warning, or a block where the profile makes the tool checks block."""
    pinned_catalogue = getattr(ledger, "pinned_catalogue", None)
    trust = getattr(ledger, "trust", None)
    if pinned_catalogue is None or trust is None or not trust.pinned:
        return []
    pin: dict[str, str] = pinned_catalogue()
    if catalogue is None:
        return [] if not pin else [Finding(
            "ledger.catalogue", "block",
            f"this production's ledger pins the approved-tools catalogue {pin['name']} "
            f"(sha256 {pin['sha256'][:16]}…); this check used none: pass --catalogue FILE "
            "with the pinned catalogue")]
    from aiclear.ledger.root import catalogue_digest  # loaded already: the ledger was read

    given = catalogue_digest(catalogue)
    if given == pin.get("sha256"):
        return []
    named = f"the approved-tools catalogue {catalogue.label} (sha256 {given[:16]}…)"
    fix = f"'aiclear ledger catalogue --catalogue {shlex.quote(catalogue.path)} --key ADMIN.key'"
    if pin:
        return [Finding("ledger.catalogue", "block",
                        f"{named} is not the one this production's ledger pins ({pin['name']}, "
                        f"sha256 {pin['sha256'][:16]}…): check with the pinned catalogue, or "
                        f"have an admin sign this one in with {fix}")]
    blocking = any(profile.severity(rule_id) == "block" for rule_id in CATALOGUE_RULES)
    return [Finding("ledger.catalogue", "block" if blocking else "warn",
                    f"{named} is not pinned by this production's ledger, so nothing vouches "
                    f"for it: an admin pins it with {fix}")]


def _not_read(places: list[walk.ClipPlace], settings: ScanSettings) -> dict[str, int]:
    """Clips with media that a gate was told not to read, by why."""
    if settings.media is not None or not settings.media_off:
        return {}
    count = sum(signals.media_path(p.clip) is not None for p in places)
    return {f"not read: {settings.media_off}": count} if count else {}


def _marked(timeline: otio.schema.Timeline, places: list[walk.ClipPlace], matcher: _Matcher,
            rate: float, offset: int) -> dict[int, list[tuple[Evidence, dict[str, str] | None]]]:
    """Evidence from AI markers on the stack, tracks, gaps and nested compositions,
    per index of the clips they cover (aiclear.detect.markers)."""
    if "marker" not in matcher.sources:
        return {}
    spans = markers.find(timeline, matcher.match, rate)
    return markers.flag(spans, places, rate, offset) if spans else {}


def _unprobed(media: list[MediaResult | None], profile: Profile,
              counts: dict[str, int] | None = None) -> list[Finding]:
    """One finding for the clips whose media could not be read: an AI claim inside
    them cannot be seen, so a profile may make that block."""
    counts = dict(counts or {})
    for found in media:
        for ev in found.evidence if found is not None else ():
            if ev.get("kind") == "media":
                status = str(ev.get("status", "unreadable"))
                counts[status] = counts.get(status, 0) + 1
    severity = profile.section("rules").get("media.unprobed", "warn")
    if not counts or severity == "off":
        return []
    parts = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    return [Finding("media.unprobed", severity,
                    f"media of {sum(counts.values())} clip(s) could not be read ({parts}); "
                    "AI claims inside them cannot be seen (mount the media, or pass "
                    "--media-root DIR / relink)")]


def error_result(path: str | Path, name: str, err: Exception, profile: Profile) -> TimelineResult:
    """A timeline that could not be decided: it blocks (fail closed).

    The message always names the file (and the timeline, when the file holds several).
    """
    if isinstance(err, InputError) and err.path is None:  # raised by the walk: add the file
        err = TimelineError(path, err.problem, place=err.place, expected=err.expected)
    if not isinstance(err, AiclearError):
        text = " ".join(f"{type(err).__name__}: {err}".split())[:300]
        err = TimelineError(path, f"cannot check: {text}", place=f"timeline {name!r:.80}")
    message = str(err)
    result = TimelineResult(path=str(path), name=name, rate=profile.default_rate, error=message)
    result.findings.append(Finding("scan.error", "block", f"cannot check: {message}"))
    return result


def _probe(places: list[walk.ClipPlace], settings: ScanSettings,
           where: Path | None) -> list[MediaResult | None]:
    if settings.media is None or "media" not in _matcher(settings.profile).sources:
        return [None] * len(places)
    return settings.media.probe_many(places, where)


def _segment(place: walk.ClipPlace, media: MediaResult | None, settings: ScanSettings,
             matcher: _Matcher, rate: float, offset: int,
             marked: list[tuple[Evidence, dict[str, str] | None]] | None = None
             ) -> Segment | None:
    clip = place.clip
    built = _record(clip, media, settings, matcher, marked)
    if built is None:
        return None
    start = walk.frames(place.range.start_time, rate)
    asset_id = _asset_id(clip, media, f"{place.track_label}@{start}")
    built["asset_id"] = asset_id
    end = walk.frames(place.range.end_time_exclusive(), rate)
    return Segment(
        segment_id=ids.segment_id(asset_id, place.track_label, start),
        asset_id=asset_id, clip=clip.name or "", track=place.track_name,
        track_kind=place.track_kind, track_index=place.track_index,
        start_frame=start, end_frame=end,
        start_tc=walk.timecode(start + offset, rate), end_tc=walk.timecode(end + offset, rate),
        media=(media.path if media and media.path else signals.media_name(clip)),
        enabled=place.enabled, record=built, item=clip, probe=media,
        claims=claims(built),  # before the ledger's declarations: what approvals bind
    )


def _record(clip: otio.schema.Clip, media: MediaResult | None, settings: ScanSettings,
            matcher: _Matcher,
            marked: list[tuple[Evidence, dict[str, str] | None]] | None = None
            ) -> UsageRecord | None:
    """The clip's usage record, or None when nothing says it is AI.

    Precedence, strongest first: the register (declared), a record already on the clip,
    the media's own claims, then names.
    """
    sources = matcher.sources
    evidence: list[Evidence] = []
    layers: list[Mapping[str, object]] = []
    if "register" in sources:
        for fields, ev in _register(clip, media, settings.registers):
            layers.append(fields)
            evidence.append(ev)
    metadata = entries(clip.metadata)  # read once, shared by the record and the signals
    existing = record.read(clip, metadata) if "record" in sources else None
    if existing and existing.get("ai_class"):
        layers.append({k: v for k, v in existing.items()
                       if k not in ("status", "evidence", "asset_id", "catalogue", "escalation")})
        evidence.append({"kind": "metadata", "detail": "aiclear record on the clip"})
    carried = carriers.read(clip, metadata) if "record" in sources else None
    if carried is not None:  # our record's pointer after an EDL/FCP/AAF/ALE round trip
        layers.append(carried.layer())
        evidence.append(carried.evidence())
    if media is not None:
        evidence.extend(media.evidence)
        if media.is_ai:
            layers.append(media.hints)
    found, tool = signals.evidence(clip, matcher.match, sources, metadata)
    evidence.extend(found)
    for ev, marker_tool in marked or ():  # markers on the timeline, tracks, gaps over it
        evidence.append(ev)
        tool = tool or marker_tool
    if tool:
        layers.append({"tool": tool})
    is_ai = (media is not None and media.is_ai) or any(e.get("kind") in AI_KINDS for e in evidence)
    if not is_ai:
        return None
    built = record.new_record()
    for layer in layers:
        built = record.merge(built, layer)
    for ev in evidence:
        record.add_evidence(built, ev)
    built["ai_class"] = built.get("ai_class") or "generated"
    built["status"] = "provisional"
    return built


def _register(clip: otio.schema.Clip, media: MediaResult | None,
              registers: Sequence[Register]) -> list[tuple[JsonObject, Evidence]]:
    if not registers:
        return []
    name = signals.media_name(clip)
    sha = None  # a register entry keyed by sha256 matches only bytes aiclear hashed itself
    if media is not None and media.legacy_id is not None and any(r.uses("sha256") for r in registers):
        legacy = media.legacy_id(True)  # bytes read now: a cached id could be forged
        sha = legacy.split(":", 1)[1] if legacy else None
    out = []
    for register in registers:
        path = media.path if media and media.path else signals.media_path(clip)
        for entry, why in register.match(file=name or clip.name, path=path, sha256=sha,
                                         reel=signals.reel(clip), clip=clip.name):
            fields = entry.record_fields()
            if register.production:
                fields["production"] = register.production
            found: Evidence = {"kind": "register", "detail": f"{entry.label} matches {why}",
                               "register": entry.path, "line": entry.line}
            out.append((fields, found))
    return out


def _asset_id(clip: otio.schema.Clip, media: MediaResult | None, place: str) -> str:
    """The hash of the media bytes aiclear read, else a ``ref:`` id for this one use.
    Never an id written in the file (a carrier token, a record): those are forgeable."""
    if media is not None and media.asset_id:
        return media.asset_id
    return ids.reference_asset_id(clip, place)


def apply_declarations(segment: Segment, ledger: ClearanceView, profile: Profile,
                       catalogue: Catalogue | None = None) -> None:
    """Lay the ledger's signed declarations on the asset over the segment's record."""
    for declared in ledger.declarations(segment.asset_id):
        lay_declaration(segment, declared, profile, catalogue)


def lay_declaration(segment: Segment, declared: Declared, profile: Profile,
                    catalogue: Catalogue | None = None) -> None:
    """One signed declaration over the segment's record. Fields that relax the record count
    only from a role that may clear the asset as it stands, or an admin; from anyone else
    they are ignored, with evidence that ``declare.relaxing`` reports (aiclear.policy.relax).
    The other fields count from any trusted key."""
    screened = screen(segment.record, declared.fields, declared.role, profile, catalogue)
    detail = declared.detail
    if screened.ignored:
        record.add_evidence(segment.record, {
            "kind": IGNORED_DECLARATION,
            "detail": screened.refusal(f"{declared.approver} ({declared.role})")})
        detail += f" (ignored: {', '.join(sorted(screened.ignored))})"
    if screened.counted:
        record.declare(segment.record, screened.counted, detail)


def approve_args(path: Path | None, settings: ScanSettings) -> str:
    """``--timeline PATH`` plus the check's registers and profile: what the fix hint
    ``aiclear approve SEGMENT ...`` needs to find the segment the way the check did."""
    if path is None:
        return ""
    hint = f"--timeline {shlex.quote(str(path))}"
    return f"{hint} {settings.hint_options}" if settings.hint_options else hint


def judge(segment: Segment, ledger: ClearanceView | None, profile: Profile,
          media: MediaResult | None = None, catalogue: Catalogue | None = None,
          approve_hint: str = "") -> None:
    """Give a segment its status from the ledger and its findings from the rules; run
    again after its record is edited or a decision is signed (the panel does)."""
    segment.status, segment.decision = "provisional", None
    segment.record["status"] = "provisional"
    assess(segment, profile, catalogue)
    held = _decide(segment, ledger, profile, media, approve_hint)
    _apply_rules(segment, media, profile, approve_hint, held)


def assess(segment: Segment, profile: Profile, catalogue: Catalogue | None) -> None:
    """The segment's catalogue status and escalation, as plain data on its record (for
    the rules, the reports and the panel); always recomputed, never taken from a file."""
    segment.record["catalogue"] = tool_status(segment.record, catalogue)
    segment.record["escalation"] = escalation(segment.record, profile)


def allow_reference_approvals(profile: Profile) -> bool:
    return profile.section("clearance").get("allow_reference_approvals") is True


def _decide(segment: Segment, ledger: ClearanceView | None, profile: Profile,
            media: MediaResult | None = None, approve_hint: str = "") -> Withheld | None:
    """The ledger's decision on the asset. A content id also finds decisions signed for
    its pre-BLAKE3 ``sha256:`` id. An approval of a ``ref:`` id counts only where the
    profile allows approvals by reference; a rejection always counts (fail closed). An
    approval counts only for the record it was signed for (aiclear.scan.bound): else the
    segment stays provisional and the answer says why."""
    if ledger is None:
        return None
    # every use the record carried must accept the approver's role (and the risk tier may
    # narrow it further)
    roles = deciding_roles(segment.record, profile)
    decision = ledger.decision(segment.asset_id, roles)
    if decision is None and media is not None and media.legacy_id is not None:
        legacy = media.legacy_id()  # from the cache when it was computed before
        decision = ledger.decision(legacy, roles) if legacy else None
        if decision is not None and decision.status == "cleared":
            fresh = media.legacy_id(True)  # about to clear: the bytes, not the cache
            if fresh != legacy:
                decision = ledger.decision(fresh, roles) if fresh else None
    if decision is not None and decision.status == "cleared" and media is not None \
            and media.recheck is not None:
        decision = _rechecked(segment, ledger, roles, media)
    if decision is not None and decision.status == "cleared" and ids.is_reference(segment.asset_id):
        if not allow_reference_approvals(profile):
            return None
        decision = dataclasses.replace(decision, by_reference=True)
    if decision is not None and decision.status == "cleared":
        held = withheld(segment, decision, profile, approve_hint)
        if held is not None:
            return held
    if decision is not None:
        segment.status = decision.status
        segment.decision = decision
        segment.record["status"] = decision.status
    return None


def _rechecked(segment: Segment, ledger: ClearanceView, roles: frozenset[str],
               media: MediaResult) -> Decision | None:
    """An identity from the media cache is about to clear: hash the bytes now. A cache row
    that lies (edited, or a file swapped under the same stamp) gives way to what the bytes
    say; unreadable bytes clear nothing."""
    assert media.recheck is not None
    fresh = media.recheck()
    media.recheck = None
    if fresh == segment.asset_id:
        return ledger.decision(segment.asset_id, roles)
    if fresh is None:
        return None
    segment.segment_id = ids.short(fresh) + segment.segment_id[len(ids.short(segment.asset_id)):]
    segment.asset_id = media.asset_id = segment.record["asset_id"] = fresh
    return ledger.decision(fresh, roles)


#: what a profile's rule severity means to a finding (the profile schema allows these and
#: ``off``, which makes none)
_LEVELS: dict[str, Severity] = {"block": "block", "warn": "warn"}


def _apply_rules(segment: Segment, media: MediaResult | None, profile: Profile,
                 approve_hint: str = "", held: Withheld | None = None) -> None:
    unverified = None
    if ids.is_reference(segment.asset_id) and not allow_reference_approvals(profile):
        unverified = _unverified_target(segment, media)
    ctx = RuleContext(media_source_type=_media_source_type(media), unverified_media=unverified,
                      approve_args=approve_hint)
    findings = [p for f in (media.findings if media is not None else [])
                if (p := _profiled(f, profile)) is not None]
    for rule_id, check in RULES.items():
        level = profile.severity(rule_id) if rule_id in profile.section("rules") \
            else DEFAULT_SEVERITY.get(rule_id, "off")
        severity = _LEVELS.get(level)
        if severity is None:  # off
            continue
        message = check(segment, ctx)
        if message and held is not None and rule_id == "clearance.provisional":
            findings.append(Finding(held.rule, severity, held.message))  # why, not "no approval"
        elif message:
            findings.append(Finding(rule_id, severity, message))
    if not segment.enabled:  # disabled clips are reported, never block
        findings = [Finding(f.rule, "warn", f.message) for f in findings]
    segment.findings = [Finding(f.rule, f.severity, f.message, segment.segment_id)
                        for f in findings]


def _unverified_target(segment: Segment, media: MediaResult | None) -> str:
    """What to mount or relink: the reference as the timeline writes it."""
    for ev in media.evidence if media is not None else ():
        if ev.get("kind") == "media" and (ev.get("target") or ev.get("path")):
            return str(ev.get("target") or ev.get("path"))
    clip = segment.item
    path = signals.media_path(clip) if clip is not None else None
    ref = getattr(clip, "media_reference", None)
    if path is None and isinstance(ref, otio.schema.ImageSequenceReference):
        path = f"{ref.target_url_base}{ref.name_prefix}*{ref.name_suffix}"
    return path or f"{segment.clip or 'clip'} (no media reference)"


def _profiled(finding: Finding, profile: Profile) -> Finding | None:
    """A finding from elsewhere (media) at the severity the profile gives its rule, if any;
    None when the profile turns the rule off (dropped before a disabled clip's findings
    are softened to warnings, so an "off" rule never shows as a warning)."""
    named = profile.section("rules").get(finding.rule)
    if named is None:
        return finding
    severity = _LEVELS.get(named)
    return None if severity is None else Finding(finding.rule, severity, finding.message,
                                                 finding.segment_id)


def _media_source_type(media: MediaResult | None) -> str | None:
    if media is None or not media.is_ai:
        return None
    return sourcetype.normalise(shape.text(media.hints.get("source_type"))) or "media"


def scan_file(path: str | Path, settings: ScanSettings) -> list[TimelineResult]:
    """Read ``path`` and scan every timeline in it; a read failure is one error result."""
    from aiclear.timeline.read import read_file  # local: keeps ``import aiclear.scan.core`` cheap for hooks

    path = Path(path)
    try:
        timelines = read_file(path, settings.default_rate)
    except AiclearError as err:
        return [error_result(path, path.stem, err, settings.profile)]
    results = []
    for name, timeline in timelines:
        try:
            result = scan_timeline(timeline, settings, path)
        except Exception as err:  # noqa: BLE001 - fail closed: an unexpected error blocks
            result = error_result(path, name, err, settings.profile)
        result.name = result.name or name
        results.append(result)
    return results
