"""The scan: one timeline in, its AI segments and findings out.

For each clip (one O(N) walk) the signals the profile enables are turned into evidence:
an aiclear record already on the clip, production register entries, media evidence
(through a ``MediaProber``), names, reels, markers and comments. Any AI evidence makes
the clip an AI segment with a usage record; the ledger (a ``ClearanceView``) decides its
status; the profile's rules turn segments into findings. A scan that fails blocks.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import opentimelineio as otio

from aiclear import carriers, ids, record, sourcetype, walk
from aiclear.detect import signals
from aiclear.detect.terms import TermMatch, TermMatcher
from aiclear.errors import AiclearError, InputError, TimelineError
from aiclear.metaview import entries
from aiclear.model import Evidence, Finding, Segment, TimelineResult
from aiclear.policy.profile import Profile, load_profile
from aiclear.policy.rules import RULES, RuleContext
from aiclear.register import Register
from aiclear.services import ClearanceView, MediaProber, MediaResult

AI_KINDS = frozenset({"metadata", "register", "name", "marker", "comment", "manual", "carrier"})
LedgerFor = Callable[[Path | None], ClearanceView | None]


@dataclass
class ScanSettings:
    profile: Profile = field(default_factory=load_profile)
    registers: Sequence[Register] = ()
    rate: float | None = None  # for formats without one (EDL); else the profile default
    media: MediaProber | None = None
    ledger_for: LedgerFor | None = None

    @property
    def default_rate(self) -> float:
        return self.rate or self.profile.default_rate


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
                  path: str | Path | None = None) -> TimelineResult:
    """Scan one timeline; never raises for content problems (they become findings)."""
    rate = walk.timeline_rate(timeline, settings.default_rate)
    where = Path(path) if path else None
    result = TimelineResult(path=str(path or ""), name=timeline.name or "", rate=rate,
                            timeline=timeline)
    places = list(walk.places(timeline))
    result.clip_count = len(places)
    media = _probe(places, settings, where)
    ledger = settings.ledger_for(where) if settings.ledger_for else None
    offset = walk.start_frame(timeline, rate)
    matcher = _matcher(settings.profile)
    hint = approve_args(where, settings)
    for place, found in zip(places, media, strict=True):
        segment = _segment(place, found, settings, matcher, rate, offset)
        if segment is None:
            continue
        if ledger is not None:
            apply_declarations(segment, ledger)
        judge(segment, ledger, settings.profile, found, hint)
        result.segments.append(segment)
        result.findings.extend(segment.findings)
    if ledger is not None:
        result.findings.extend(ledger.integrity_findings())
    result.findings.extend(_unprobed(media, settings.profile))
    return result


def _unprobed(media: list[MediaResult | None], profile: Profile) -> list[Finding]:
    """One finding for the clips whose media could not be read: an AI claim inside
    them cannot be seen, so a profile may make that block."""
    counts: dict[str, int] = {}
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
                    "AI claims inside them cannot be seen (pass --media-root to relink)")]


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
             matcher: _Matcher, rate: float, offset: int) -> Segment | None:
    clip = place.clip
    built = _record(clip, media, settings, matcher)
    if built is None:
        return None
    asset_id = _asset_id(clip, media, built)
    built["asset_id"] = asset_id
    start = walk.frames(place.range.start_time, rate)
    end = walk.frames(place.range.end_time_exclusive(), rate)
    return Segment(
        segment_id=ids.segment_id(asset_id, place.track_label, start),
        asset_id=asset_id, clip=clip.name or "", track=place.track_name,
        track_kind=place.track_kind, track_index=place.track_index,
        start_frame=start, end_frame=end,
        start_tc=walk.timecode(start + offset, rate), end_tc=walk.timecode(end + offset, rate),
        media=(media.path if media and media.path else signals.media_name(clip)),
        enabled=place.enabled, record=built, item=clip,
    )


def _record(clip: otio.schema.Clip, media: MediaResult | None, settings: ScanSettings,
            matcher: _Matcher) -> dict[str, Any] | None:
    """The clip's usage record, or None when nothing says it is AI.

    Precedence, strongest first: the register (declared), a record already on the clip,
    the media's own claims, then names.
    """
    sources = matcher.sources
    evidence: list[Evidence] = []
    layers: list[dict[str, Any]] = []
    if "register" in sources:
        for fields, ev in _register(clip, media, settings.registers):
            layers.append(fields)
            evidence.append(ev)
    metadata = entries(clip.metadata)  # read once, shared by the record and the signals
    existing = record.read(clip, metadata) if "record" in sources else None
    if existing and existing.get("ai_class"):
        layers.append({k: v for k, v in existing.items()
                       if k not in ("status", "evidence", "asset_id")})
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
              registers: Sequence[Register]) -> list[tuple[dict[str, Any], Evidence]]:
    if not registers:
        return []
    name = signals.media_name(clip)
    sha = media.asset_id.split(":", 1)[1] if media and media.asset_id else None
    out = []
    for register in registers:
        path = media.path if media and media.path else signals.media_path(clip)
        for entry, why in register.match(file=name or clip.name, path=path, sha256=sha,
                                         reel=signals.reel(clip), clip=clip.name):
            fields = entry.record_fields()
            if register.production:
                fields["production"] = register.production
            out.append((fields, {"kind": "register", "detail": f"{entry.label} matches {why}",
                                 "register": entry.path, "line": entry.line}))
    return out


def _asset_id(clip: otio.schema.Clip, media: MediaResult | None, built: dict[str, Any]) -> str:
    if media is not None and media.asset_id:
        return media.asset_id
    carried = built.get("asset_id")
    if isinstance(carried, str) and carried.startswith(("sha256:", "ref:")):
        return carried
    return ids.reference_asset_id(clip)


def apply_declarations(segment: Segment, ledger: ClearanceView) -> None:
    """Lay the ledger's signed declarations on the asset over the segment's record."""
    for declared in ledger.declarations(segment.asset_id):
        record.declare(segment.record, declared.fields, declared.detail)


def approve_args(path: Path | None, settings: ScanSettings) -> str:
    """``--timeline PATH`` plus the check's registers and profile: what the fix hint
    ``aiclear approve SEGMENT ...`` needs to find the segment the way the check did."""
    if path is None:
        return ""
    parts = ["--timeline", shlex.quote(str(path))]
    for register in settings.registers:
        parts += ["--register", shlex.quote(str(register.path))]
    if settings.profile.name != "baseline":
        parts += ["--profile", shlex.quote(settings.profile.name)]
    return " ".join(parts)


def judge(segment: Segment, ledger: ClearanceView | None, profile: Profile,
          media: MediaResult | None = None, approve_hint: str = "") -> None:
    """Give a segment its status from the ledger and its findings from the rules; run
    again after its record is edited or a decision is signed (the panel does)."""
    segment.status, segment.decision = "provisional", None
    segment.record["status"] = "provisional"
    _decide(segment, ledger, profile)
    _apply_rules(segment, media, profile, approve_hint)


def _decide(segment: Segment, ledger: ClearanceView | None, profile: Profile) -> None:
    if ledger is None:
        return
    # a declaration may raise what clearing needs, never lower it: every use the record
    # carried must accept the approver's role
    roles = frozenset.intersection(*(frozenset(profile.accepted_roles(use))
                                     for use in record.declared_uses(segment.record)))
    decision = ledger.decision(segment.asset_id, roles)
    if decision is not None:
        segment.status = decision.status
        segment.decision = decision
        segment.record["status"] = decision.status


def _apply_rules(segment: Segment, media: MediaResult | None, profile: Profile,
                 approve_hint: str = "") -> None:
    ctx = RuleContext(media_source_type=_media_source_type(media), approve_args=approve_hint)
    findings = [_profiled(f, profile) for f in (media.findings if media is not None else [])]
    for rule_id, check in RULES.items():
        severity = profile.severity(rule_id)
        if severity == "off":
            continue
        message = check(segment, ctx)
        if message:
            findings.append(Finding(rule_id, severity, message))  # type: ignore[arg-type]
    if not segment.enabled:  # disabled clips are reported, never block
        findings = [Finding(f.rule, "warn", f.message) for f in findings]
    segment.findings = [Finding(f.rule, f.severity, f.message, segment.segment_id)
                        for f in findings if f.severity != "off"]


def _profiled(finding: Finding, profile: Profile) -> Finding:
    """A finding from elsewhere (media) at the severity the profile gives its rule, if any."""
    named = profile.section("rules").get(finding.rule)
    if named is None:
        return finding
    return Finding(finding.rule, named, finding.message, finding.segment_id)


def _media_source_type(media: MediaResult | None) -> str | None:
    if media is None or not media.is_ai:
        return None
    return sourcetype.normalise(media.hints.get("source_type")) or "media"


def scan_file(path: str | Path, settings: ScanSettings) -> list[TimelineResult]:
    """Read ``path`` and scan every timeline in it; a read failure is one error result."""
    from aiclear.read import read_file  # local: keeps ``import aiclear.scan`` cheap for hooks

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
