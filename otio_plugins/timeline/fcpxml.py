"""FCPX metadata the fcpx_xml adapter drops, read straight from the FCPXML.

The adapter keeps a clip's ``<note>`` and ``<keyword>`` only for the first asset-clip of
each asset (on the media reference of every clip using the asset: per-asset notes, which
is also where the FCPX writer puts them), drops ``<chapter-marker>``, marker notes and the
``<metadata><md>`` of clips, and reads nothing of sync-clips. Editors flag AI shots in
exactly those fields, so after the adapter has read a file we parse it again (the same
guarded bytes: no entity declarations, the timeline size limit) and attach, to every
clip the adapter produced, the texts of the FCPXML element it came from under
``clip.metadata["fcpx"]`` = {"note", "keywords", "markers", "metadata"} (lists of strings),
where aiclear.detect.signals reads them as comments.

An adapter clip is matched to its element by name, source start and duration (each within
one frame): the adapter keeps no element identity. Elements that tie on all three give all their texts to
every clip that matches (a possible over-report, never a miss). A ``ref-clip``'s
(compound clip's) and a ``sync-clip``'s own texts go to every clip inside it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio

from aiclear.errors import TimelineError
from aiclear.safety import guard, limits

TIMING = frozenset({"clip", "asset-clip", "ref-clip", "sync-clip", "mc-clip"})
CONTAINERS = frozenset({"ref-clip", "sync-clip", "mc-clip"})  # their texts cover their clips
MAX_TEXT = 4096
KEY = "fcpx"

Texts = dict[str, list[str]]


def attach(path: Path, obj: otio.core.SerializableObject) -> int:
    """Add the FCPX texts of ``path`` to the clips of ``obj`` (what the adapter read);
    returns how many clips got some."""
    data = guard.read_bounded(path, TimelineError, "an FCPXML file", limits.max_timeline_bytes())
    try:
        root = ET.fromstring(data)  # noqa: S314 - guard refused entity declarations
    except ET.ParseError as err:
        raise TimelineError(path, f"unreadable FCPXML: {err}", expected="a valid .fcpxml file"
                            ) from err
    own, inherited = _element_texts(root)
    if not own and not inherited:
        return 0
    count = 0
    for item in _items(obj):
        texts = _lookup(own if isinstance(item, otio.schema.Clip) else inherited, item)
        if not texts:
            continue
        targets = [item] if isinstance(item, otio.schema.Clip) else list(item.find_clips())
        for clip in targets:
            _merge(clip, texts)
            count += 1
    return count


def _items(obj: otio.core.SerializableObject) -> Iterator[otio.schema.Clip | otio.schema.Stack]:
    if isinstance(obj, (otio.schema.Clip, otio.schema.Stack)):
        yield obj
    finder = getattr(obj, "find_children", None)
    if finder is None:
        return
    for item in finder():
        if isinstance(item, (otio.schema.Clip, otio.schema.Stack)):
            yield item
        elif isinstance(item, otio.schema.Timeline):
            yield from _items(item.tracks)


Timing = tuple[float | None, float | None]  # (start, duration) in seconds
Table = dict[str, list[tuple[Timing, Texts]]]


def _element_texts(root: ET.Element) -> tuple[Table, Table]:
    """name -> [((start s, duration s), texts)] for clips (own texts plus their containers') and for
    containers (ref-clips: matched against the adapter's stacks)."""
    own: Table = {}
    inherited: Table = {}
    compound_names = {m.get("id"): m.get("name") or "" for m in root.iter("media")}

    def visit(el: ET.Element, above: Texts) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            texts = above
            if child.tag in TIMING:
                mine = _texts(child)
                seconds = (_seconds(child.get("start", "0s")), _seconds(child.get("duration")))
                if child.tag in CONTAINERS:
                    texts = _union(above, mine)
                    if child.tag == "ref-clip" and (texts or mine):
                        for name in {child.get("name") or "",
                                     compound_names.get(child.get("ref"), "")}:
                            inherited.setdefault(name, []).append((seconds, texts))
                whole = _union(above, mine)
                if whole:
                    own.setdefault(child.get("name") or "", []).append((seconds, whole))
            visit(child, texts)

    visit(root, {})
    return own, inherited


def _texts(el: ET.Element) -> Texts:
    """The element's own notes, keywords, marker values and notes, and md values (its
    direct children: a connected clip's texts belong to that clip)."""
    out: Texts = {}
    for child in el:
        tag = child.tag
        if tag == "note" and child.text:
            out.setdefault("note", []).append(child.text[:MAX_TEXT])
        elif tag == "keyword":
            for attr in ("value", "note"):
                if child.get(attr):
                    out.setdefault("keywords", []).append(child.get(attr, "")[:MAX_TEXT])
        elif tag in ("marker", "chapter-marker"):
            for attr in ("value", "note"):
                if child.get(attr):
                    out.setdefault("markers", []).append(child.get(attr, "")[:MAX_TEXT])
        elif tag == "metadata":
            for md in child.iter("md"):
                values = [md.get("value") or ""] + [s.text or "" for s in md.iter("string")]
                out.setdefault("metadata", []).extend(v[:MAX_TEXT] for v in values if v)
    return {k: v for k, v in out.items() if v}


def _union(a: Texts, b: Texts) -> Texts:
    if not a:
        return b
    if not b:
        return a
    return {k: a.get(k, []) + b.get(k, []) for k in {*a, *b}}


def _seconds(value: str | None) -> float | None:
    """FCPXML time ("10s", "28500/3000s") in seconds."""
    if not value or not value.endswith("s"):
        return None
    try:
        return float(Fraction(value[:-1]))
    except (ValueError, ZeroDivisionError):
        return None


def _lookup(table: Table, item: otio.schema.Clip | otio.schema.Stack) -> Texts:
    candidates = table.get(item.name or "")
    if not candidates:
        return {}
    rng = item.source_range
    found: Texts = {}
    for (start, duration), texts in candidates:
        if rng is None or (_near(start, rng.start_time) and _near(duration, rng.duration)):
            found = _union(found, texts)
    return found


def _near(seconds: float | None, time: otio.opentime.RationalTime) -> bool:
    """Within one frame (the adapter rounds FCPXML times to frames); unknown matches."""
    if seconds is None or not time.rate > 0:
        return True
    return abs(seconds - time.to_seconds()) <= 1.0 / time.rate + 1e-9


def _merge(clip: otio.schema.Clip, texts: Texts) -> None:
    md = clip.metadata
    current = md[KEY] if KEY in md and hasattr(md[KEY], "keys") else {}
    merged: dict[str, list[object]] = {k: list(current[k]) if k in current else [] for k in texts}
    for key, values in texts.items():
        merged[key] = [*merged[key], *(v for v in values if v not in merged[key])]
    md[KEY] = {**{k: current[k] for k in current}, **merged}
