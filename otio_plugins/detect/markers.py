"""Markers anywhere: a marker on the timeline's stack, a track, a gap or a nested
composition marks a range of the top-level timeline, and an AI term in it flags the
clips it covers.

- a track, gap or nested-composition marker flags the enabled clips of its top-level
  track in its range; when it covers none there (an Avid locator on a scope-reference
  track, a marker over a gap of its own track) it widens to the timeline rule;
- a timeline (stack) marker flags the enabled clips of every video track in its range,
  and of audio tracks only when it says so ("AI VO", "synthetic voice").

A zero-length marker marks one frame. Clip markers flag their own clip (aiclear.detect.
signals). The hot path only asks OTIO for gaps and compositions (``find_children`` with a
type filter, in C++) and reads their marker lists; ranges are worked out only for the
rare markers that hold an AI term, in one O(N) pass over their tracks (the walk's shift
arithmetic: no ``transformed_time_range`` per marker or per clip).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import opentimelineio as otio

from aiclear.detect.record import DISCLOSURE_KEY
from aiclear.detect.terms import MatchFn, TermMatch, tokens
from aiclear.errors import TimelineError
from aiclear.model import Evidence
from aiclear.timeline.metaview import elements, entries
from aiclear.timeline.walk import ClipPlace, intersect, record_base, timecode, track_record_in

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange
MAX_TEXT = 4096
MAX_LEAVES = 64  # strings read from one marker's metadata: a marker is a note, not a tree

#: words that make a timeline marker cover audio tracks too
AUDIO_WORDS = frozenset({
    "vo", "voice", "voices", "voiceover", "audio", "sound", "sounds", "music", "song",
    "score", "dialogue", "dialog", "adr", "sfx", "narration", "narrator", "vocal", "vocals",
    "speech", "dub", "dubbing", "tts"})

STACK = -1  # key of the top-level stack: ``timeline.tracks`` is a new wrapper on each read


def marker_texts(marker: otio.schema.Marker) -> Iterator[tuple[str, str]]:
    """(field, text) of a marker: its name, its comment and every string the NLE kept in
    its metadata (Resolve ``Resolve_OTIO`` Note / Keywords, FCP7 ``fcp_xml.comment``, Avid
    ``AAF.Comment`` and ``CommentMarkerAttributeList``, FCPX notes), bounded."""
    if marker.name:
        yield "name", marker.name
    if marker.comment:
        yield "comment", marker.comment
    md = marker.metadata
    if not len(md):
        return
    count = 0
    for ns, value in entries(md).items():
        if ns == "aiclear":
            continue
        for text in _leaves(value, 0):
            count += 1
            if count > MAX_LEAVES:
                return
            yield ns, text


def _leaves(value: object, depth: int) -> Iterator[str]:
    if isinstance(value, str):
        if value:
            yield value
    elif depth > 4 or value is None or isinstance(value, (bytes, int, float, bool)):
        return
    elif hasattr(value, "keys"):
        for item in entries(value).values():
            yield from _leaves(item, depth + 1)
    elif isinstance(value, Sequence):  # OTIO registers its vectors as Sequences
        for item in elements(value)[:MAX_LEAVES]:
            yield from _leaves(item, depth + 1)


@dataclass(slots=True)
class _Hit:
    """One AI marker on a non-clip item, before it is placed."""

    holder: otio.core.Item  # the Stack, Track, Gap or nested Composition holding it (kept alive, so
    key: int  # its id() stays its wrapper's: pybind11 hands back the live wrapper); STACK
    marker: otio.schema.Marker
    field: str
    text: str
    term: TermMatch
    audio: bool


@dataclass(slots=True)
class MarkedSpan:
    """An AI marker placed in timeline.tracks time."""

    where: str  # "timeline", "track V2", "gap on V2", "nested 'X' on V1"
    track: str | None  # top-level track label ("V2"); None for a timeline marker
    start: otio.opentime.RationalTime
    end: otio.opentime.RationalTime  # exclusive
    audio: bool
    hit: _Hit

    def evidence(self, rate: float, offset: int) -> Evidence:
        first = round(self.start.value_rescaled_to(rate))
        last = round(self.end.value_rescaled_to(rate))
        shown = self.hit.text if len(self.hit.text) <= 80 else self.hit.text[:77] + "..."
        field = "marker" if self.hit.field in ("name", "comment") else f"marker {self.hit.field}"
        return {"kind": "marker", "field": f"{self.where} marker",
                "detail": f"{self.where} {field} {shown!r} has AI term {self.hit.term.term!r} "
                          f"({timecode(first + offset, rate)}-{timecode(last + offset, rate)})",
                "marker": self.where, "frames": [first, last]}


def find(timeline: otio.schema.Timeline, match: MatchFn, rate: float) -> list[MarkedSpan]:
    """Every AI marker on the stack, tracks, gaps and nested compositions, placed."""
    hits = list(_hits(timeline, match))
    if not hits:
        return []
    by_holder: dict[int, list[_Hit]] = {}
    for hit in hits:
        by_holder.setdefault(hit.key, []).append(hit)
    spans = list(_place(timeline, by_holder, rate))
    if by_holder:  # an AI marker we could not place must not pass silently
        hit = next(iter(by_holder.values()))[0]
        raise TimelineError(None, f"AI marker {hit.text!r:.80} on {type(hit.holder).__name__} "
                            f"{hit.holder.name!r:.60} could not be placed on the timeline",
                            expected="markers on items of the timeline")
    return spans


def _hits(timeline: otio.schema.Timeline, match: MatchFn) -> Iterator[_Hit]:
    stack = timeline.tracks
    yield from _ai_markers(stack, match, STACK)
    for track in stack:
        yield from _ai_markers(track, match)
        if not isinstance(track, otio.core.Composition):
            continue
        for kind in (otio.schema.Gap, otio.core.Composition):
            for item in track.find_children(descended_from_type=kind):
                yield from _ai_markers(item, match)


def _ai_markers(item: otio.core.Item, match: MatchFn, key: int | None = None) -> Iterator[_Hit]:
    markers = item.markers
    if not len(markers):
        return
    for marker in elements(markers):
        if DISCLOSURE_KEY in entries(marker.metadata):
            continue  # aiclear's own on-screen label (disclose.overlay): it names AI already found
        texts = list(marker_texts(marker))
        for field, text in texts:
            hit = match(text[:MAX_TEXT])
            if hit is not None:
                audio = any(w.lower() in AUDIO_WORDS for _, t in texts for w in tokens(t[:MAX_TEXT]))
                yield _Hit(item, key if key is not None else id(item), marker, field, text,
                           hit, audio)
                break


def _place(timeline: otio.schema.Timeline, by_holder: dict[int, list[_Hit]], rate: float
           ) -> Iterator[MarkedSpan]:
    """Spans of the hits in ``by_holder`` (keyed by holder), removing each one placed."""
    stack = timeline.tracks
    for hit in by_holder.pop(STACK, []):  # the stack's time is timeline.tracks time
        shift = -stack.trimmed_range().start_time if len(stack) else RT(0, rate)
        yield from _span(hit, "timeline", None, None, shift, None, rate)
    base = record_base(timeline)
    counts = {"Video": 0, "Audio": 0}
    for track in stack:
        if not isinstance(track, otio.schema.Track):
            continue
        kind = "Audio" if track.kind == otio.schema.TrackKind.Audio else "Video"
        counts[kind] += 1
        label = f"{kind[:1]}{counts[kind]}"
        if not by_holder or not len(track):
            continue
        trim = track.trimmed_range()
        record_in = track_record_in(track)
        if record_in is not None and base is not None:  # EDL record offset, as aiclear.timeline.walk
            shift = record_in - base
            window = TR(shift, trim.duration)
        else:
            shift = RT(0, trim.duration.rate) - trim.start_time
            window = TR(RT(0, trim.duration.rate), trim.duration)
        for hit in by_holder.pop(id(track), []):
            yield from _span(hit, f"track {label}", track, label, shift, window, rate)
        if by_holder:
            yield from _inside(track, track, label, shift, window, by_holder, rate)


def _inside(comp: otio.core.Composition, track: otio.schema.Track, label: str,
            shift: otio.opentime.RationalTime, window: otio.opentime.TimeRange,
            wanted: dict[int, list[_Hit]], rate: float) -> Iterator[MarkedSpan]:
    ranges = comp.range_of_all_children()  # one O(n) call per composition
    for child in comp:
        if isinstance(child, (otio.schema.Transition, otio.schema.Clip)):
            continue
        r = ranges[child]
        placed = TR(r.start_time + shift, r.duration)
        visible = intersect(placed, window)
        if visible is None:
            continue
        inner = placed.start_time - child.trimmed_range().start_time
        if isinstance(child, otio.schema.Gap):
            for hit in wanted.pop(id(child), []):
                yield from _span(hit, f"gap on {label}", track, label, inner, visible, rate)
        elif isinstance(child, otio.core.Composition):
            kind = "nested stack" if isinstance(child, otio.schema.Stack) else "nested track"
            name = f" {child.name!r:.60}" if child.name else ""
            for hit in wanted.pop(id(child), []):
                yield from _span(hit, f"{kind}{name} on {label}", track, label, inner, visible, rate)
            if wanted:
                yield from _inside(child, track, label, inner, visible, wanted, rate)


def _span(hit: _Hit, where: str, track: otio.schema.Track | None, label: str | None,
          shift: otio.opentime.RationalTime, window: otio.opentime.TimeRange | None,
          rate: float) -> Iterator[MarkedSpan]:
    marked = hit.marker.marked_range
    duration = marked.duration
    if duration.value <= 0:  # a zero-length marker marks one frame
        duration = RT(1, rate)
    placed: otio.opentime.TimeRange | None = TR(marked.start_time + shift, duration)
    if window is not None and placed is not None:
        placed = intersect(placed, window)
    if placed is None:
        return
    audio = hit.audio or (track is not None and track.kind == otio.schema.TrackKind.Audio)
    yield MarkedSpan(where, label, placed.start_time, placed.end_time_exclusive(), audio, hit)


def flag(spans: list[MarkedSpan], places: list[ClipPlace], rate: float, offset: int
         ) -> dict[int, list[tuple[Evidence, dict[str, str] | None]]]:
    """Evidence per place index for the enabled clips each span covers."""
    out: dict[int, list[tuple[Evidence, dict[str, str] | None]]] = {}
    for span in spans:
        covered = _covered(span, places, own_track=span.track is not None)
        if not covered and span.track is not None:  # nothing on its own track: widen
            covered = _covered(span, places, own_track=False)
        ev = span.evidence(rate, offset)
        for index in covered:
            out.setdefault(index, []).append((ev, span.hit.term.tool))
    return out


def _covered(span: MarkedSpan, places: list[ClipPlace], *, own_track: bool) -> list[int]:
    found = []
    for index, place in enumerate(places):
        if not place.enabled:
            continue
        if own_track:
            if place.track_label != span.track:
                continue
        elif place.track_kind == "Audio" and not span.audio:
            continue
        r = place.range
        if r.start_time < span.end and span.start < r.end_time_exclusive():
            found.append(index)
    return found
