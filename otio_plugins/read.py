"""Read timelines with the installed OTIO adapters; collections yield each timeline."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import opentimelineio as otio

from aiclear.errors import TimelineError

#: tells aiclear's own post_adapter_read hook not to tag: the scan does that itself
NO_TAG = {"aiclear": {"tag": False}}
RATE_ADAPTERS = ("cmx_3600",)  # formats that carry no frame rate of their own


@cache
def readable_suffixes() -> tuple[str, ...]:
    return tuple(sorted(s.lower() for s in otio.adapters.suffixes_with_defined_adapters(read=True)))


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
    if not path.is_file():
        raise TimelineError(path, "no such file" if not path.exists() else "not a regular file",
                            expected="a timeline file")
    if suffix not in readable_suffixes():
        raise TimelineError(path, f"no OTIO adapter reads .{suffix or '(no suffix)'} files",
                            expected="one of: " + ", ".join("." + s for s in readable_suffixes()))
    adapter = otio.adapters.from_filepath(str(path))
    kwargs: dict[str, Any] = {"rate": rate} if adapter.name in RATE_ADAPTERS else {}
    try:
        result = otio.adapters.read_from_file(str(path), hook_function_argument_map=NO_TAG,
                                              **kwargs)
    except Exception as err:  # noqa: BLE001 - adapters raise anything; report one line
        raise TimelineError(path, f"{adapter.name} adapter cannot read it: "
                            f"{type(err).__name__}: {err}",
                            expected=f"a valid .{suffix} file") from err
    timelines = list(_timelines(result, path.stem))
    if not timelines:
        raise TimelineError(path, "holds no timeline or clips", expected="at least one timeline")
    return timelines


def _timelines(obj: Any, name: str) -> Iterator[tuple[str, otio.schema.Timeline]]:
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
