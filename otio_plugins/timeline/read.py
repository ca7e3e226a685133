"""Read timelines with the installed OTIO adapters; collections yield each timeline."""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import opentimelineio as otio

from aiclear.errors import TimelineError
from aiclear.safety import guard

#: tells aiclear's own post_adapter_read hook not to tag: the scan does that itself
NO_TAG = {"aiclear": {"tag": False}}
RATE_ADAPTERS = ("cmx_3600",)  # formats that carry no frame rate of their own


@cache
def readable_suffixes() -> tuple[str, ...]:
    return tuple(sorted(s.lower() for s in otio.adapters.suffixes_with_defined_adapters(read=True)))


def reads(suffix: str) -> bool:
    """Whether an installed adapter reads ``.suffix`` files (lower case, no dot).

    The adapter OTIO picks for the suffix is asked first, which imports only its module;
    ``readable_suffixes()`` imports every adapter (AAF's alone ~0.05 s), so a check of one
    ``.otio`` file builds it only when that adapter cannot read."""
    try:
        if otio.adapters.from_filepath(f"timeline.{suffix}").has_feature("read"):
            return True
    except Exception:  # noqa: BLE001 - no adapter, or one that fails to import: ask them all
        pass
    return suffix in readable_suffixes()


def is_timeline_file(path: Path) -> bool:
    return path.suffix.lower().lstrip(".") in readable_suffixes()


def expand(paths: list[str]) -> Iterator[Path]:
    """Files as given; folders recursively, keeping files with a readable suffix."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and is_timeline_file(p))
        else:
            yield path


def read_file(path: Path, rate: float) -> list[tuple[str, otio.schema.Timeline]]:
    """Every timeline in ``path`` as (name, timeline)."""
    suffix = path.suffix.lower().lstrip(".")
    guard.regular_file(path, TimelineError, "a timeline file")
    if not reads(suffix):
        raise TimelineError(path, f"no OTIO adapter reads .{suffix or '(no suffix)'} files",
                            expected="one of: " + ", ".join("." + s for s in readable_suffixes()))
    guard.check_timeline_file(path)  # size, nesting depth, XML entities: before any parser
    adapter = otio.adapters.from_filepath(str(path))
    kwargs: dict[str, float] = {"rate": rate} if adapter.name in RATE_ADAPTERS else {}
    try:
        with adapter_output():
            result = otio.adapters.read_from_file(str(path), hook_function_argument_map=NO_TAG,
                                                  **kwargs)
    except Exception as err:  # noqa: BLE001 - adapters raise anything; report one line
        if is_crash(err):
            raise TimelineError(path, f"{adapter.name} adapter failed: {type(err).__name__}: "
                                f"{_cut(err)}") from err
        raise TimelineError(path, f"{adapter.name} adapter cannot read it: "
                            f"{type(err).__name__}: {_cut(err)}", place=_place(err),
                            expected=f"a valid .{suffix} file") from err
    if suffix == "fcpxml":  # notes, keywords, markers the fcpx adapter drops
        from aiclear.timeline.fcpxml import attach

        attach(path, result)
    try:
        timelines = list(_timelines(result, path.stem))
    except Exception as err:  # noqa: BLE001 - e.g. a name OTIO cannot hand to Python
        raise TimelineError(path, f"unreadable content: {type(err).__name__}: {_cut(err)}",
                            expected=f"a valid .{suffix} file") from err
    if not timelines:
        raise TimelineError(path, "holds no timeline or clips", expected="at least one timeline")
    return timelines


def adapter_output() -> contextlib.AbstractContextManager[object]:
    """Where a third-party adapter's ``print()`` goes while it reads or writes: stderr.

    The AAF adapter prints warnings; on stdout they would break ``--format json`` and
    ``-o -`` output for every command."""
    return contextlib.redirect_stdout(sys.stderr)


#: exception types that mean the adapter's own code broke, not that the input is malformed
_CRASHES = (AttributeError, TypeError, KeyError, IndexError, NameError, AssertionError,
            ZeroDivisionError, RecursionError, NotImplementedError)


def is_crash(err: BaseException) -> bool:
    """A programming error raised inside a plugin adapter's Python code (OTIO's own
    readers raise TypeError for malformed JSON from C++: that is bad input)."""
    if not isinstance(err, _CRASHES):
        return False
    tb = err.__traceback__
    last = None
    while tb is not None:
        last, tb = tb, tb.tb_next
    filename = last.tb_frame.f_code.co_filename if last is not None else ""
    return "/opentimelineio/" not in filename.replace("\\", "/")


_LINE = re.compile(r"\bline (\d+)(?:, column (\d+))?")


def _place(err: Exception) -> str | None:
    """line[:column] an adapter's error names (expat, RapidJSON, OTIO), if any."""
    position = getattr(err, "position", None)  # xml.etree ParseError
    if isinstance(position, tuple) and len(position) == 2:
        return f"{position[0]}:{position[1]}"
    found = _LINE.search(str(err))
    if found is None:
        return None
    return found.group(1) + (f":{found.group(2)}" if found.group(2) else "")


def _cut(err: Exception, width: int = 300) -> str:
    text = " ".join(str(err).split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _timelines(obj: otio.core.SerializableObject, name: str) -> Iterator[tuple[str, otio.schema.Timeline]]:
    if isinstance(obj, otio.schema.Timeline):
        yield obj.name or name, obj
    elif isinstance(obj, otio.schema.SerializableCollection):
        loose = []
        for child in obj:
            if isinstance(child, (otio.schema.Timeline, otio.schema.SerializableCollection)):
                yield from _timelines(child, name)
            elif isinstance(child, otio.schema.Clip):
                loose.append(child)
        if loose:  # an ALE or a bin: its clips, end to end on one track
            yield obj.name or name, _wrap(loose, obj.name or name)
    elif isinstance(obj, otio.schema.Clip):
        yield obj.name or name, _wrap([obj], name)


def _wrap(clips: list[otio.schema.Clip], name: str) -> otio.schema.Timeline:
    timeline = otio.schema.Timeline(name)
    track = otio.schema.Track("V1")
    for clip in clips:
        track.append(clip.clone())
    timeline.tracks.append(track)
    return timeline
