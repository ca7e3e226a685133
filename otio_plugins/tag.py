"""Write scan results back onto a timeline: the usage record on every AI clip."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import opentimelineio as otio

from aiclear import record
from aiclear.errors import AiclearError, TimelineError
from aiclear.model import TimelineResult

#: aiclear's own writes of a tagged copy are not deliverables: the gate lets them pass
TAG_WRITE = {"aiclear": {"intent": "off", "reason": "aiclear tag"}}


def apply_records(result: TimelineResult) -> int:
    """Store each segment's record on its clip; returns how many clips were tagged."""
    for segment in result.segments:
        if segment.item is not None:
            stored = dict(segment.record)
            stored["status"] = segment.status  # a cache for display; the ledger decides
            record.write(segment.item, stored)
    return sum(s.item is not None for s in result.segments)


#: adapter arguments aiclear's own writes need: the AAF writer wants a MobID on every clip
ADAPTER_DEFAULTS: dict[str, dict[str, Any]] = {".aaf": {"use_empty_mob_ids": True}}


def write_timeline(obj: Any, out: Path, hook_args: dict[str, Any] | None = None,
                   adapter_args: Mapping[str, Any] | None = None) -> None:
    """Write through the OTIO adapter for ``out``'s suffix, atomically.

    Formats that drop metadata (EDL, FCP7, FCPX, AAF, ALE) get round-trip carriers from
    the records on the clips, on a copy (aiclear.gate.finish), whether or not the OTIO
    hook is attached."""
    from aiclear.fileio import ordinary_mode
    from aiclear.gate import finish  # local: the gate imports this module

    suffix = out.suffix
    try:
        otio.adapters.from_filepath(str(out))
    except Exception as err:  # noqa: BLE001 - OTIO raises its own errors for unknown suffixes
        raise TimelineError(out, f"no OTIO adapter writes {suffix or 'files without a suffix'}",
                            expected="a suffix such as .otio, .edl, .xml, .fcpxml, .aaf") from err
    if suffix.lower() == ".fcpxml":
        from aiclear.guard import refuse_special_media

        refuse_special_media(obj, out)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=suffix, dir=out.parent or ".")
    os.close(fd)
    try:
        prepared = finish(obj, suffix.lower(), "off", None)
        kwargs = {**ADAPTER_DEFAULTS.get(suffix.lower(), {}), **_rate_args(obj, suffix),
                  **(adapter_args or {})}
        otio.adapters.write_to_file(prepared, tmp, hook_function_argument_map=hook_args or TAG_WRITE,
                                    **kwargs)
        with open(tmp, "rb+") as fh:  # on disk before the rename: a crash leaves old or new
            os.fsync(fh.fileno())
        os.chmod(tmp, ordinary_mode())  # mkstemp made it 0600; outputs follow the umask
        os.replace(tmp, out)
    except AiclearError:
        raise
    except Exception as err:  # noqa: BLE001 - adapters fail with anything; one line, no file
        raise TimelineError(out, f"cannot write: {type(err).__name__}: {err}",
                            expected="a timeline the target format can hold") from err
    finally:
        Path(tmp).unlink(missing_ok=True)


def _rate_args(obj: Any, suffix: str) -> dict[str, Any]:
    """The ALE writer assumes 24 fps unless told: give it the timeline's own rate, or a
    25 fps cut is written with timecodes that do not add up (and cannot be read back)."""
    if suffix.lower() != ".ale" or not isinstance(obj, otio.schema.Timeline):
        return {}
    from aiclear.walk import timeline_rate

    return {"fps": timeline_rate(obj)}
