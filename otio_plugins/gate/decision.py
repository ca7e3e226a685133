"""The export gate: may this object be written to this target, and what gets written.

Public API (the CLI, the panel and the OTIO hook all use it):

- ``scope(argument_map, profile) -> Scope``: is this write gated, and why.
- ``evaluate(results, intent, target) -> GateResult``: the verdict over scan results.
- ``check(obj, settings, intent=, target=) -> GateResult``: scan any OTIO object, decide.
- ``prepare(obj, settings, intent=, target=) -> obj``: raise ``ExportBlocked`` when the
  write must not happen, else return what to write: ``obj`` itself when nothing needs
  changing, or a deep copy with records and round-trip carriers stamped
  (``aiclear.gate.writeback.for_write``; the caller's object never changes).
- ``export(obj, path, settings, intent=)``: ``prepare`` + the atomic adapter write
  (``aiclear.gate.writeback.write_timeline``); what the panel's and the CLI's own exports
  call (they must not rely on the hook being attached).
- ``hook_gate(in_timeline, argument_map)``: the ``pre_adapter_write`` hook.
- ``hook_verify(written, argument_map)``: the ``post_adapter_write`` hook: a judged write to
  a format that drops metadata is read back, as aiclear's own writes are.
- ``ensure_attached() -> str | None``: a warning when OTIO will not run our hooks.

When is a write gated (``scope``)? Default-deny: every write to a file is ``final``,
whatever its suffix or adapter (``.otiod`` bundles, ``.xges``, ``-O cmx_3600`` to a
``.txt``, no suffix): a timeline with uncleared AI is not written. The profile's
``gate.deliverables`` only names the formats in messages. The exceptions, each explicit:
``AICLEAR_GATE=off`` (the emergency switch) and ``argument_map["aiclear"]["intent"]``
``off`` pass and are logged as a warning on every write, the same line for both;
``review`` checks, logs the uncleared segments and passes. A ``write_to_string`` with no
file (otiocat, inspectors printing a timeline) is a *display* write, left alone: it
produces text for a person, and a file made from it (``otiocat x > y``) is no more a
delivery than ``cp x y`` - deliveries go through ``aiclear gate`` / export, which judge
the bytes. aiclear's own writes (``aiclear tag``, ``export`` after its own gate) are
marked for the hook by ``writeback.own_write`` and are not judged twice.

The double call: for string-only adapters (EDL, FCP7, FCPX, ALE) OTIO's ``write_to_file``
runs ``pre_adapter_write`` again from ``write_to_string``, with no ``_filepath`` and without
the caller's argument map. The first call hands back a copy *marked* with the decision it
made (a Python attribute, never serialised); a call that receives a marked object returns
it untouched. So the second call can neither block what the first allowed nor allow what
it blocked (a block raised, and the second call never happens). When the first call had
nothing to change it returns the caller's object unmarked, and the second call - a
display write by the rules above - passes it too: the same verdict.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Literal

import opentimelineio as otio

from aiclear.errors import AiclearError, ExportBlocked, UsageError
from aiclear.gate import hookenv
from aiclear.gate.writeback import (
    Intent,
    for_write,
    is_own_write,
    marked_intent,
    verify_written,
    write_timeline,
)
from aiclear.model import Finding, JsonObject, Segment, TimelineResult
from aiclear.policy.profile import Profile
from aiclear.safety import shape
from aiclear.scan.settings import ScanSettings

log = logging.getLogger("aiclear.gate.decision")

INTENTS: tuple[Intent, ...] = ("final", "review", "off")
DEFAULT_DELIVERABLES = (".edl", ".xml", ".fcpxml", ".aaf", ".otio", ".otioz")
GATE_HOOK = "aiclear_gate"
TAG_HOOK = "aiclear_tag_on_read"
VERIFY_HOOK = "aiclear_verify_write"  # reads a judged write back (post_adapter_write)
#: aiclear's write-only adapters (adapters/plugin_manifest.json): they write disclosures
#: (captions, cue sheets) computed from the scan, never the timeline itself
DOCUMENT_ADAPTERS = frozenset({"aiclear_srt", "aiclear_vtt", "aiclear_ttml", "aiclear_cuesheet",
                               "aiclear_cuesheet_html"})
SWITCHED_OFF = 'hook_function_argument_map {"aiclear": {"intent": "off"}}'

RESOLVE = {
    "clearance.provisional": "a signed approval for {segment} in the ledger from a role the "
                             "profile accepts, or remove the clip",
    "clearance.rejected": "replace or remove the clip",
    "clearance.record_changed": "a new approval of {segment} for the record as it stands "
                                "(aiclear approve with --timeline), or restore the record "
                                "it was approved for",
    "clearance.unbound": "an approval of {segment} bound to its record (aiclear approve with "
                         "--timeline, or the panel's sign-off)",
    "declare.undeclared": "add the asset to the production AI register",
    "scan.error": "fix the input so it can be checked, then export again",
    "ledger.integrity": "restore the ledger from a trusted copy; ask the ledger owner",
    "ledger.unverified": "use the production's own ledger, pinned on this machine (aiclear "
                         "ledger pin FINGERPRINT, or --trust-root)",
    "ledger.rollback": "restore the ledger from a backup or its mirror; tell the ledger admin",
    "ledger.policy": "check with the production's own profile (--profile or AICLEAR_PROFILE)",
    "ledger.catalogue": "check with the catalogue the production pins (--catalogue, "
                        "AICLEAR_CATALOGUE or the profile's catalogue:), or have an admin pin "
                        "the new one (aiclear ledger catalogue)",
    "media.verify": "then check again: its approval is looked up by what aiclear reads",
    "media.unprobed": "mount the media, or pass --media-root DIR / relink the clips, and "
                      "export again",
}
#: the clearance.provisional finding of a clip whose media aiclear could not read
UNVERIFIED = "media not available to verify"


@dataclass(frozen=True, slots=True)
class Scope:
    """Whether a write is gated: ``final`` blocks, ``review`` checks and passes, ``off``
    passes (records and carriers are still stamped), ``display`` is left alone."""

    intent: Intent
    target: str | None = None
    why: str = ""

    @property
    def suffix(self) -> str:
        return Path(self.target).suffix.lower() if self.target else ""


@dataclass(frozen=True, slots=True)
class Blocker:
    """One reason the export is refused, with where it is and how to resolve it."""

    timeline: str
    track: str
    clip: str
    start_tc: str
    end_tc: str
    rule: str
    reason: str
    resolve: str
    segment_id: str | None = None
    asset_id: str | None = None

    def line(self) -> str:
        where = f"{self.track} {self.clip!r} {self.start_tc}-{self.end_tc}" if self.clip else "timeline"
        return f"{where}: {self.reason} -> {self.resolve}"

    def to_json(self) -> JsonObject:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(slots=True)
class GateResult:
    intent: Intent
    target: str | None
    profile: str
    results: list[TimelineResult] = field(default_factory=list)
    blockers: list[Blocker] = field(default_factory=list)

    @property
    def verdict(self) -> Literal["pass", "blocked", "error"]:
        if any(r.error for r in self.results):
            return "error"
        return "blocked" if self.blockers and self.intent == "final" else "pass"

    @property
    def segments(self) -> list[Segment]:
        return [s for r in self.results for s in r.segments]

    @property
    def exit_code(self) -> int:
        return {"pass": 0, "blocked": 1, "error": 2}[self.verdict]

    def message(self) -> str:
        target = self.target or "the timeline"
        head = (f"aiclear: export of {target} blocked ({self.profile} profile): "
                f"{len(self.blockers)} problem(s) to resolve")
        return "\n".join([head, *("  " + b.line() for b in self.blockers)])

    def to_json(self) -> JsonObject:
        return {
            "aiclear_gate": 1,
            "verdict": self.verdict,
            "intent": self.intent,
            "target": self.target,
            "profile": self.profile,
            "segments": len(self.segments),
            "blocking": [b.to_json() for b in self.blockers],
            "errors": [r.error for r in self.results if r.error],
        }


# --------------------------------------------------------------------------- deciding

def deliverables(profile: Profile) -> tuple[str, ...]:
    listed = profile.section("gate").get("deliverables", DEFAULT_DELIVERABLES)
    return tuple("." + str(s).lower().lstrip(".") for s in listed)


def scope(argument_map: Mapping[str, object] | None, profile: Profile | None = None) -> Scope:
    """How a ``pre_adapter_write`` call with this argument map is treated (module doc)."""
    given = (argument_map or {}).get("_filepath")
    target = str(given) if given else None
    if hookenv.gate_switch() == "off":
        return Scope("off", target, f"{hookenv.ENV_GATE}=off (emergency switch)")
    asked = hookenv.options(argument_map).get("intent")
    if asked is not None:
        intent = _intent(asked)
        why = SWITCHED_OFF if intent == "off" else "intent given by the caller"
        return Scope(intent, target, why)
    if target is None:
        return Scope("display", None, "a write to a string, not a file")
    suffix = Path(target).suffix.lower()
    listed = deliverables(profile) if profile is not None else DEFAULT_DELIVERABLES
    if suffix in listed:
        return Scope("final", target, f"{suffix} is a deliverable")
    return Scope("final", target, f"{suffix or 'no suffix'}: every file write is gated")


def _intent(asked: object) -> Intent:
    """The caller's ``intent`` option, one of ``INTENTS``; a usage error otherwise."""
    for intent in INTENTS:
        if asked == intent:
            return intent
    raise UsageError(f"unknown aiclear intent {asked!r} (expected one of: "
                     + ", ".join(INTENTS) + ")")


def evaluate(results: Sequence[TimelineResult], intent: Intent = "final",
             target: str | Path | None = None, profile: str = "") -> GateResult:
    """The gate's verdict over scan results: every block finding is a blocker."""
    out = GateResult(intent=intent, target=str(target) if target else None, profile=profile,
                     results=list(results))
    for result in results:
        by_id = {s.segment_id: s for s in result.segments}
        for finding in result.blocking:
            out.blockers.append(_blocker(result, finding, by_id.get(finding.segment_id or "")))
    return out


def _blocker(result: TimelineResult, finding: Finding, segment: Segment | None) -> Blocker:
    rule = finding.rule
    if finding.message.startswith(UNVERIFIED):
        rule = "media.verify"  # the message says how to fix it; no approval can clear it
    hint = RESOLVE.get(rule) or RESOLVE.get(rule.split(".")[0] + ".integrity") \
        or f"change the clip or its record so rule {rule} holds"
    hint = hint.format(segment=segment.segment_id if segment else "SEGMENT")
    if segment is None:
        return Blocker(result.name or result.path, "", "", "", "", finding.rule,
                       finding.message, hint)
    return Blocker(result.name or result.path, segment.track, segment.clip, segment.start_tc,
                   segment.end_tc, finding.rule, finding.message, hint, segment.segment_id,
                   segment.asset_id)


def check(obj: otio.core.SerializableObject, settings: ScanSettings, *, intent: Intent = "final",
          target: str | Path | None = None) -> GateResult:
    """Scan any OTIO object and decide. Never raises for content: a scan that fails becomes
    an error result, which blocks (fail closed)."""
    from aiclear.scan.core import error_result
    from aiclear.scan.objects import scan_object

    name = getattr(obj, "name", "") or ""
    try:  # what clears is judged on bytes read now (aiclear.media.prober: recheck)
        results = scan_object(obj, settings, target)
    except Exception as err:  # noqa: BLE001 - fail closed: any error blocks
        results = [error_result(target or "", name, err, settings.profile)]
    return evaluate(results, intent, target, settings.profile.name)


# --------------------------------------------------------------------------- writing

def prepare(obj: otio.core.SerializableObject, settings: ScanSettings, *, intent: Intent = "final",
            target: str | Path | None = None) -> otio.core.SerializableObject:
    """What to write for ``obj`` to ``target``: raises ``ExportBlocked`` if it must not be
    written; else ``obj`` unchanged, or a marked deep copy with records and carriers."""
    target = str(target) if target else None
    suffix = Path(target).suffix.lower() if target else ""
    if intent in ("off", "display"):
        return for_write(obj, suffix, intent)
    result = check(obj, settings, intent=intent, target=target)
    if result.verdict != "pass":
        err = ExportBlocked(result.message() if result.blockers else
                            f"aiclear: cannot check {target or 'the timeline'}; export blocked",
                            [f for r in result.results for f in r.blocking])
        err.gate = result  # the full verdict, for the panel
        raise err
    if intent == "review" and result.segments:
        log.warning("aiclear: review export of %s with %d AI segment(s), %d not cleared",
                    target or "a timeline", len(result.segments), len(result.blockers))
    # on our copy only: the ledger head the statuses were judged against
    judged_by = next((r.ledger for r in result.results if r.ledger is not None), None)
    return for_write(obj, suffix, intent, result.segments, judged_by)


def export(obj: otio.core.SerializableObject, path: str | Path, settings: ScanSettings, *,
           intent: Intent = "final", adapter_args: Mapping[str, object] | None = None) -> Path:
    """Gate and write ``obj`` to ``path`` atomically, without relying on the OTIO hook."""
    out = Path(path)
    prepared = prepare(obj, settings, intent=intent, target=out)
    write_timeline(prepared, out, adapter_args=adapter_args)  # an own write: judged above
    return out


# --------------------------------------------------------------------------- the hook

def hook_gate(in_timeline: otio.core.SerializableObject,
              argument_map: Mapping[str, object] | None = None) -> otio.core.SerializableObject:
    """OTIO ``pre_adapter_write``: refuse deliverables with unresolved AI, stamp carriers."""
    if marked_intent(in_timeline) is not None:
        return in_timeline  # the second call of a string adapter, or our hook listed twice
    argument_map = argument_map or {}
    target = argument_map.get("_filepath") or "a timeline"
    if is_own_write(in_timeline):
        log.debug("aiclear gate: %s is aiclear's own write", target)
        return in_timeline
    if _writing_adapter() in DOCUMENT_ADAPTERS:
        return in_timeline  # a disclosure document about the timeline, not the timeline
    try:
        quick = scope(argument_map)
        if quick.intent == "display":
            return in_timeline
        settings = _hook_settings(argument_map) if quick.intent != "off" else None
        if settings is not None:
            quick = scope(argument_map, settings.profile)  # names the profile's deliverables
    except AiclearError as err:  # a bad profile, register or intent: fail closed
        raise ExportBlocked(f"aiclear: cannot check {target}, export blocked: {err}") from err
    _log_scope(quick)
    if quick.intent == "off" or settings is None:
        return _ungated(in_timeline, quick)
    return prepare(in_timeline, settings, intent=quick.intent, target=quick.target)


def _writing_adapter() -> str | None:
    """The name of the OTIO adapter whose ``write_to_file`` / ``write_to_string`` runs this
    hook. OTIO does not pass it (only ``_filepath``), and a suffix says nothing (``-O``
    picks any adapter for any name), so it is read from the caller's frame."""
    frame: FrameType | None = sys._getframe(1)
    for _ in range(12):  # hooks.run -> Adapter.write_to_*: a few frames up
        if frame is None:
            return None
        owner = frame.f_locals.get("self") if frame.f_code.co_name.startswith("write_to_") \
            else None
        if isinstance(owner, otio.adapters.Adapter):
            return str(owner.name)
        frame = frame.f_back
    return None


def _hook_settings(argument_map: Mapping[str, object]) -> ScanSettings:
    rate = shape.mapping(argument_map.get("adapter_arguments")).get("rate")
    return hookenv.settings(hookenv.options(argument_map), rate, media=True)


def _ungated(obj: otio.core.SerializableObject, quick: Scope) -> otio.core.SerializableObject:
    try:
        return for_write(obj, quick.suffix, "off")
    except AiclearError:
        raise
    except Exception as err:  # noqa: BLE001 - stamping must not break a write we allow
        log.warning("aiclear: could not stamp round-trip carriers on %s: %s: %s",
                    quick.target, type(err).__name__, err)
        return obj


def hook_verify(written: otio.core.SerializableObject,
                argument_map: Mapping[str, object] | None = None) -> otio.core.SerializableObject:
    """OTIO ``post_adapter_write``: read a write the gate judged (final or review) back
    when its format drops metadata, as aiclear's own writes are
    (``writeback.verify_written``). When an AI clip's record pointer did not survive, the
    file is removed and the write refused: left on disk it would read back as clean."""
    given = (argument_map or {}).get("_filepath")
    if not given or marked_intent(written) not in ("final", "review") or is_own_write(written):
        return written  # a display write, an ungated one, or aiclear's own (it reads back itself)
    target = Path(str(given))
    try:
        verify_written(written, target)
    except AiclearError as err:
        target.unlink(missing_ok=True)
        raise ExportBlocked(f"aiclear: {err}") from err  # the error names the file
    return written


def _log_scope(quick: Scope) -> None:
    """The gate switched off - by the environment or by an argument map - is said on every
    write, the same way: nobody can turn it off quietly."""
    if quick.intent == "off":
        log.warning("aiclear: %s: writing %s WITHOUT the export gate", quick.why,
                    quick.target or "a timeline")


# --------------------------------------------------------------------------- start-up check

def ensure_attached() -> str | None:
    """None when OTIO will run the aiclear hooks; else a warning to show the user.

    OTIO only logs a plugin that fails to load and silently skips a missing manifest path,
    so a process that relies on the gate should call this at start-up."""
    if hookenv.gate_switch() == "off":
        return f"{hookenv.ENV_GATE}=off: the aiclear export gate is switched off"
    try:
        write = list(otio.hooks.scripts_attached_to("pre_adapter_write"))
        read = list(otio.hooks.scripts_attached_to("post_adapter_read"))
        written = list(otio.hooks.scripts_attached_to("post_adapter_write"))
        manifest = otio.plugins.ActiveManifest()
        missing = [name for name in (GATE_HOOK, TAG_HOOK, VERIFY_HOOK)
                   if not _loadable(manifest, name)]
    except Exception as err:  # noqa: BLE001 - a broken manifest breaks OTIO: say so
        return f"cannot load OTIO's plugin manifest ({type(err).__name__}: {err})"
    if GATE_HOOK not in write or GATE_HOOK in missing:
        return ("the aiclear export gate is not attached to OTIO (pre_adapter_write): writes "
                "through otio.adapters are NOT checked. Install aiclear with pip, or set "
                "OTIO_PLUGIN_MANIFEST_PATH to aiclear's plugin_manifest.json (see README)")
    if VERIFY_HOOK not in written or VERIFY_HOOK in missing:
        return ("the aiclear write check is not attached to OTIO (post_adapter_write): a "
                "format that drops an AI record is NOT refused after writing (reinstall aiclear)")
    if TAG_HOOK not in read or TAG_HOOK in missing:
        return ("the aiclear tag-on-read hook is not attached to OTIO (post_adapter_read): "
                "timelines read by other tools are not tagged")
    return None


def _loadable(manifest: otio.plugins.Manifest, name: str) -> bool:
    try:
        script = manifest.from_name(name, "hook_scripts")
        return Path(script.module_abs_path()).is_file()
    except Exception:  # noqa: BLE001 - not found or misconfigured: not attached
        return False
