"""Write scan results back: the one stamped copy, and the atomic write through an adapter.

``stamped_copy`` is the one place that writes judged records onto a timeline for output: a
deep copy of any OTIO object with each segment's record on its clip (PROVISIONAL markers
on uncleared ones for a review copy), the ledger state the statuses were judged against
on its timelines, and for a target format the round-trip carriers and what its writer
needs. ``aiclear tag``, the panel's session and the gate (``prepare``, the OTIO hook) all
build what they write with it; ``for_write`` is the gate's form of it, which hands the
object back untouched when nothing needs stamping and marks the copy for the hook.
``apply_records`` writes the same records in place, for the read hook only: the object it
tags is the one the adapter has just made.

``write_timeline`` writes through the OTIO adapter atomically and reads a format that
drops metadata back before the rename (``verify_written``, which the write hook uses too).

The marks the export gate's hook reads live here, beside the copies they mark:
``own_write`` (aiclear writing an object its caller already judged) and the copy's
``intent`` (the decision the first hook call made, for the second call of string adapters).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Literal

import opentimelineio as otio

from aiclear.conform import writers
from aiclear.detect import carriers, record
from aiclear.errors import AiclearError, TimelineError
from aiclear.model import JsonObject, LedgerTrust, Segment, TimelineResult, UsageRecord
from aiclear.safety.fileio import check_target, ordinary_mode
from aiclear.scan.objects import clips_in
from aiclear.timeline.read import adapter_output, is_crash

#: how a write is treated (aiclear.gate.decision.scope); a stamped copy handed to an
#: adapter carries the one it was decided with
Intent = Literal["final", "review", "off", "display"]
_INTENTS: tuple[Intent, ...] = ("final", "review", "off", "display")
#: the Python attribute (never serialised) holding a copy's intent
_MARK = "_aiclear_gated"
PROVISIONAL_LABEL = "PROVISIONAL - AI NOT CLEARED"

#: kept for callers that name it; aiclear's own writes pass the hook through
#: ``own_write``, not through an ``intent: off`` (which the hook logs as a switched-off gate)
TAG_WRITE: JsonObject = {}

#: the object aiclear itself is writing right now, already decided by its caller
_OWN_WRITE: contextvars.ContextVar[otio.core.SerializableObject | None] = \
    contextvars.ContextVar("aiclear_own_write", default=None)


@contextlib.contextmanager
def own_write(obj: otio.core.SerializableObject | None) -> Iterator[None]:
    """aiclear's own write of ``obj`` (a tagged copy, or an export ``prepare`` allowed):
    the hook passes it without judging it again."""
    token = _OWN_WRITE.set(obj)
    try:
        yield
    finally:
        _OWN_WRITE.reset(token)


def is_own_write(obj: otio.core.SerializableObject) -> bool:
    return _OWN_WRITE.get() is obj


def marked_intent(obj: otio.core.SerializableObject) -> Intent | None:
    """The intent a copy from ``for_write`` was decided with; None for any other object."""
    mark = getattr(obj, _MARK, None)
    return next((i for i in _INTENTS if i == mark), None)


# --------------------------------------------------------------------------- the copy

def stamped_copy(obj: otio.core.SerializableObject, segments: Sequence[Segment] = (), *,
                 suffix: str = "", provisional: bool = False,
                 ledger: LedgerTrust | None = None) -> otio.core.SerializableObject:
    """A deep copy of ``obj`` holding, on the clip of each of ``segments`` (clips of
    ``obj``), its judged record and, with ``provisional``, a PROVISIONAL marker unless it
    is cleared; ``ledger`` on each of its timelines; for a ``suffix`` whose format drops
    metadata, the round-trip carriers, and what that format's writer needs
    (aiclear.conform.writers). ``obj`` itself never changes."""
    copied = obj.deepcopy()
    if ledger is not None:
        for timeline in _timelines(copied):
            record.write_ledger_state(timeline, ledger)
    twins = clips_in(copied)
    if segments:
        _write_records(clips_in(obj), twins, segments, provisional)
    families = carriers.formats_for(suffix)
    if families:
        for clip in twins:
            _stamp(clip, families)
    if families or writers.needs_fit(obj, suffix):  # carriers may need the writer's help (AAF)
        writers.fit(copied, suffix)
    return copied


def for_write(obj: otio.core.SerializableObject, suffix: str, intent: Intent,
              segments: Sequence[Segment] = (), ledger: LedgerTrust | None = None
              ) -> otio.core.SerializableObject:
    """What a write of ``obj`` to ``suffix`` hands the adapter: ``obj`` itself when it is
    already a marked copy or nothing needs stamping (no segment, no carried record for a
    format that drops metadata, nothing the writer needs); else its ``stamped_copy``,
    marked with ``intent`` for the hook."""
    if marked_intent(obj) is not None:
        return obj
    judged = any(s.item is not None for s in segments)
    stampable = carriers.formats_for(suffix) and any(_carried_record(c) for c in clips_in(obj))
    if not (judged or stampable or writers.needs_fit(obj, suffix)):
        return obj
    copied = stamped_copy(obj, segments, suffix=suffix, ledger=ledger)
    setattr(copied, _MARK, intent)
    return copied


def apply_records(result: TimelineResult) -> int:
    """Store each segment's record on its clip *in place*, and on the timeline the ledger
    state the statuses were judged against; returns how many clips were tagged. For the
    read hook, whose object is the adapter's own; anything written goes through
    ``stamped_copy``."""
    if result.ledger is not None and isinstance(result.timeline, otio.schema.Timeline):
        record.write_ledger_state(result.timeline, result.ledger)
    tagged = 0
    for segment in result.segments:
        if segment.item is not None:
            record.write_judged(segment.item, segment.record, segment.status)
            tagged += 1
    return tagged


def _write_records(originals: list[otio.schema.Clip], twins: list[otio.schema.Clip],
                   segments: Sequence[Segment], provisional: bool) -> None:
    by_id = {id(s.item): s for s in segments if s.item is not None}
    for original, twin in zip(originals, twins, strict=True):
        segment = by_id.get(id(original))
        if segment is None:
            continue
        record.write_judged(twin, segment.record, segment.status)
        if provisional and segment.status != "cleared":
            _label(twin)


def _label(clip: otio.schema.Clip) -> None:
    clip.markers.append(otio.schema.Marker(
        name=PROVISIONAL_LABEL, marked_range=clip.trimmed_range(),
        color=otio.schema.MarkerColor.ORANGE, metadata={"aiclear": {"label": "provisional"}}))


def _timelines(obj: otio.core.SerializableObject) -> list[otio.schema.Timeline]:
    if isinstance(obj, otio.schema.Timeline):
        return [obj]
    if isinstance(obj, otio.schema.SerializableCollection):
        return [t for child in obj for t in _timelines(child)]
    return []


def _carried_record(clip: otio.schema.Clip) -> UsageRecord | None:
    rec = record.read(clip)
    if not rec or not rec.get("ai_class") or not isinstance(rec.get("asset_id"), str):
        return None
    return rec


def carried_asset_ids(obj: otio.core.SerializableObject) -> set[str]:
    """Asset ids of the clips in ``obj`` that carry an aiclear record (what a write to a
    format that drops metadata must keep pointers to)."""
    out = set()
    for clip in clips_in(obj):
        rec = _carried_record(clip)
        if rec is not None and str(rec["asset_id"]).startswith(("ref:", "sha256:")):
            out.add(str(rec["asset_id"]))
    return out


def _stamp(clip: otio.schema.Clip, families: frozenset[str]) -> None:
    rec = _carried_record(clip)
    if rec is None or not rec.get("asset_id"):
        return
    try:
        text = carriers.token(str(rec["asset_id"]), rec.get("ai_class"), rec.get("use"))
    except ValueError:
        return  # a record with a foreign asset id: nothing we can point at
    carriers.stamp(clip, text, families)


# --------------------------------------------------------------------------- the write

#: adapter arguments aiclear's own writes need: the AAF writer wants a MobID on every clip
ADAPTER_DEFAULTS: dict[str, JsonObject] = {".aaf": {"use_empty_mob_ids": True}}


def write_timeline(obj: otio.core.SerializableObject, out: Path,
                   hook_args: Mapping[str, object] | None = None,
                   adapter_args: Mapping[str, object] | None = None) -> None:
    """Write through the OTIO adapter for ``out``'s suffix, atomically.

    Formats that drop metadata (EDL, FCP7, FCPX, AAF, ALE) get round-trip carriers from
    the records on the clips, on a copy (``for_write``), whether or not the OTIO hook is
    attached. Without ``hook_args`` this is aiclear's own write (``aiclear tag``, an
    export already gated): the hook lets it through; with them (a review copy) the hook
    judges it as any other write."""
    check_target(out)  # no symlink, ledger or key, whichever command or panel writes
    suffix = out.suffix
    try:
        otio.adapters.from_filepath(str(out))
    except Exception as err:  # noqa: BLE001 - OTIO raises its own errors for unknown suffixes
        raise TimelineError(out, f"no OTIO adapter writes {suffix or 'files without a suffix'}",
                            expected="a suffix such as .otio, .edl, .xml, .fcpxml, .aaf") from err
    if suffix.lower() == ".fcpxml":
        from aiclear.safety.guard import refuse_special_media

        refuse_special_media(obj, out)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=suffix, dir=out.parent or ".")
    os.close(fd)
    try:
        prepared = for_write(obj, suffix.lower(), "off")
        reason = writers.unfit(prepared, suffix.lower())
        if reason is not None:
            raise TimelineError(out, f"cannot write: {reason}",
                                expected="a timeline the target format can hold")
        kwargs = {**ADAPTER_DEFAULTS.get(suffix.lower(), {}), **_rate_args(obj, suffix),
                  **(adapter_args or {})}
        with own_write(None if hook_args else prepared), adapter_output():
            otio.adapters.write_to_file(prepared, tmp, hook_function_argument_map=hook_args or {},
                                        **kwargs)
        with open(tmp, "rb+") as fh:  # on disk before the rename: a crash leaves old or new
            os.fsync(fh.fileno())
        verify_written(prepared, Path(tmp), out)
        os.chmod(tmp, ordinary_mode())  # mkstemp made it 0600; outputs follow the umask
        os.replace(tmp, out)
    except AiclearError:
        raise
    except Exception as err:  # noqa: BLE001 - adapters fail with anything; one line, no file
        if is_crash(err):
            raise TimelineError(out, f"{_adapter_name(out)} adapter failed: "
                                f"{type(err).__name__}: {' '.join(str(err).split())[:300]}"
                                ) from err
        raise TimelineError(out, f"cannot write: {type(err).__name__}: {err}",
                            expected="a timeline the target format can hold") from err
    finally:
        Path(tmp).unlink(missing_ok=True)


def verify_written(prepared: otio.core.SerializableObject, written: Path,
                   out: Path | None = None) -> None:
    """Read a format that drops metadata back and refuse the write when an AI clip's
    record pointer did not survive: some writer/reader pairs lose clips (FCP7 nested
    sequences) or comments, and a file whose AI clips read back as clean is a false pass
    waiting for the next check. ``out``: the name to report (the target of a temporary
    file); its suffix picks the format."""
    out = out or written
    suffix = out.suffix.lower()
    if suffix not in carriers.FORMATS:
        return
    from aiclear.timeline.read import read_file
    from aiclear.timeline.walk import timeline_rate

    expected = carried_asset_ids(prepared)
    if not expected:
        return
    rate = timeline_rate(prepared) if isinstance(prepared, otio.schema.Timeline) else 24.0
    try:
        back = read_file(written, rate)
    except AiclearError as err:
        raise TimelineError(out, f"cannot write: its own adapter cannot read the written "
                            f"{suffix} back ({err.problem if hasattr(err, 'problem') else err})",
                            expected="a timeline the target format can hold (try .otio)"
                            ) from err
    found = {c.asset_id for _, tl in back for clip in tl.find_clips()
             if (c := carriers.read(clip)) is not None}
    missing = expected - found
    if missing:
        raise TimelineError(out, f"cannot write: {len(missing)} of {len(expected)} AI clip(s) "
                            f"lose their aiclear record in the written {suffix} (read back, "
                            "they would pass as clean)",
                            expected="a timeline the target format can hold (try .otio or .aaf)")


def _adapter_name(out: Path) -> str:
    try:
        return str(otio.adapters.from_filepath(str(out)).name)
    except Exception:  # noqa: BLE001 - checked before the write; a name for the message only
        return out.suffix.lstrip(".") or "OTIO"


def _rate_args(obj: otio.core.SerializableObject, suffix: str) -> JsonObject:
    """The ALE writer assumes 24 fps unless told: give it the timeline's own rate, or a
    25 fps cut is written with timecodes that do not add up (and cannot be read back)."""
    if suffix.lower() != ".ale" or not isinstance(obj, otio.schema.Timeline):
        return {}
    from aiclear.timeline.walk import timeline_rate

    return {"fps": timeline_rate(obj)}
