"""Write scan results back: records onto clips, and timelines onto disk through the gate.

``apply_records`` stores each segment's record on its clip in place (tag, the read hook);
``write_timeline`` writes through the OTIO adapter atomically, with the gate's stamped copy
(records, round-trip carriers, ranges the writers need); ``export`` is the gate's verdict
plus that write, for the panel's and the CLI's own exports.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import opentimelineio as otio

from aiclear.conform import writers
from aiclear.detect import carriers, record
from aiclear.errors import AiclearError, TimelineError
from aiclear.gate.decision import Intent, carried_asset_ids, finish, own_write, prepare
from aiclear.model import TimelineResult
from aiclear.safety.fileio import check_target, ordinary_mode
from aiclear.scan.settings import ScanSettings
from aiclear.timeline.read import adapter_output, is_crash

#: kept for callers that name it; aiclear's own writes pass the hook through
#: ``aiclear.gate.own_write``, not through an ``intent: off`` (which the hook logs as a
#: switched-off gate)
TAG_WRITE: dict[str, Any] = {}


#: timeline metadata key holding the ledger state a tagged copy was judged against
def apply_records(result: TimelineResult) -> int:
    """Store each segment's record on its clip, and on the timeline the ledger state (root,
    head) the statuses were judged against; returns how many clips were tagged."""
    record_ledger(result)
    for segment in result.segments:
        if segment.item is not None:
            record.write_judged(segment.item, segment.record, segment.status)
    return sum(s.item is not None for s in result.segments)


def record_ledger(result: TimelineResult) -> None:
    """``timeline.metadata["aiclear_ledger"]``: evidence for ``aiclear ledger verify
    --against`` (the head this copy was judged against must stay a prefix of the chain)."""
    if result.ledger is not None and isinstance(result.timeline, otio.schema.Timeline):
        record.write_ledger_state(result.timeline, result.ledger)


#: adapter arguments aiclear's own writes need: the AAF writer wants a MobID on every clip
ADAPTER_DEFAULTS: dict[str, dict[str, Any]] = {".aaf": {"use_empty_mob_ids": True}}


def write_timeline(obj: otio.core.SerializableObject, out: Path, hook_args: dict[str, Any] | None = None,
                   adapter_args: Mapping[str, Any] | None = None) -> None:
    """Write through the OTIO adapter for ``out``'s suffix, atomically.

    Formats that drop metadata (EDL, FCP7, FCPX, AAF, ALE) get round-trip carriers from
    the records on the clips, on a copy (aiclear.gate.decision.finish), whether or not the OTIO
    hook is attached. Without ``hook_args`` this is aiclear's own write (``aiclear tag``, an
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
        prepared = finish(obj, suffix.lower(), "off", None)
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
        _verify(prepared, Path(tmp), out)
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


def _verify(prepared: otio.core.SerializableObject, written: Path, out: Path) -> None:
    """Read a format that drops metadata back and refuse the write when an AI clip's
    record pointer did not survive: some writer/reader pairs lose clips (FCP7 nested
    sequences) or comments, and a file whose AI clips read back as clean is a false pass
    waiting for the next check."""
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


def export(obj: otio.core.SerializableObject, path: str | Path, settings: ScanSettings, *,
           intent: Intent = "final", adapter_args: Mapping[str, Any] | None = None) -> Path:
    """Gate and write ``obj`` to ``path`` atomically, without relying on the OTIO hook."""
    out = Path(path)
    prepared = prepare(obj, settings, intent=intent, target=out)
    write_timeline(prepared, out, adapter_args=adapter_args)  # an own write: judged above
    return out


def _rate_args(obj: otio.core.SerializableObject, suffix: str) -> dict[str, Any]:
    """The ALE writer assumes 24 fps unless told: give it the timeline's own rate, or a
    25 fps cut is written with timecodes that do not add up (and cannot be read back)."""
    if suffix.lower() != ".ale" or not isinstance(obj, otio.schema.Timeline):
        return {}
    from aiclear.timeline.walk import timeline_rate

    return {"fps": timeline_rate(obj)}
