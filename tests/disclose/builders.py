"""Timelines and TimelineResults for the disclosure tests, built from real OTIO objects.

The sample timeline (24 fps, starting at 01:00:00:00, 20 s long):

    V1  plate_a 0-120 | plate_b 120-480                       (no AI)
    V2  gap 0-24 | ai_city 24-72 | ai_crowd 84-132 | gap | ai_map 240-250 | gap | ai_street 360-400
    A1  gap 0-300 | voice_narrator 300-372

ai_city/ai_crowd are 12 frames apart (merged under a 1 s gap); ai_map is 10 frames long
(shorter than the 2 s minimum display); voice_narrator overlaps ai_street.
"""

from __future__ import annotations

from typing import Any

import opentimelineio as otio

from aiclear.detect import record as rec
from aiclear.model import Decision, Segment, TimelineResult
from aiclear.timeline.walk import places, timecode, timeline_rate

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange
RATE = 24.0
START = 3600 * 24  # 01:00:00:00

TOOLS = {
    "runway": {"vendor": "Runway", "product": "Gen-3 Alpha", "version": "2024.06"},
    "midjourney": {"vendor": "Midjourney", "product": "Midjourney", "version": "6.1"},
    "eleven": {"vendor": "ElevenLabs", "product": "Voice Lab", "version": "2"},
}


def record(ai_class: str = "generated", tool: str = "runway", **extra: Any) -> dict[str, Any]:
    data = rec.new_record()
    data.update({"ai_class": ai_class, "tool": dict(TOOLS[tool]), "use": "background_element",
                 "description": "AI shot", "evidence": [{"kind": "manual", "detail": "test"}]})
    data.update(extra)
    return data


def clip(name: str, frames: int, data: dict[str, Any] | None = None,
         media: str | None = None) -> otio.schema.Clip:
    ref = (otio.schema.ExternalReference(target_url=media,
                                         available_range=TR(RT(0, RATE), RT(frames, RATE)))
           if media else otio.schema.MissingReference())
    item = otio.schema.Clip(name=name, media_reference=ref,
                            source_range=TR(RT(0, RATE), RT(frames, RATE)))
    if data is not None:
        rec.write(item, data)
    return item


def gap(frames: int) -> otio.schema.Gap:
    return otio.schema.Gap(source_range=TR(RT(0, RATE), RT(frames, RATE)))


def sample_timeline(ai_names: dict[str, str] | None = None,
                    person: str = "Jean Dupont") -> otio.schema.Timeline:
    """The timeline above; ``ai_names`` renames AI clips and ``person`` names the voice
    (for hostile-text tests)."""
    names = ai_names or {}
    tl = otio.schema.Timeline(name="Sample cut", global_start_time=RT(START, RATE))
    v1 = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    v1.extend([clip("plate_a", 120, media="/media/plate_a.mov"),
               clip("plate_b", 360, media="/media/plate_b.mov")])
    v2 = otio.schema.Track(name="V2", kind=otio.schema.TrackKind.Video)
    v2.extend([
        gap(24),
        clip(names.get("ai_city", "ai_city"), 48, record(
            use="archival_reconstruction", presented_as="recreation_labeled",
            prompt_ref="PR-001", operator="Ana Ruiz",
            ingredients=[{"description": "1962 street photo", "rights": "licensed",
                          "rights_holder": "City Archive"}],
            depicts_real={"resembles_existing": True, "would_appear_authentic": True}),
            media="/media/ai_city.png"),
        gap(12),
        clip(names.get("ai_crowd", "ai_crowd"), 48, record("edited", "midjourney"),
             media="/media/ai_crowd.mov"),
        gap(108),
        clip(names.get("ai_map", "ai_map"), 10, record("contains", "midjourney",
                                                        use="vfx_element"),
             media="/media/ai_map.mov"),
        gap(110),
        clip(names.get("ai_street", "ai_street"), 40, record(
            "generated", use="key_creative_element", lifecycle="final"),
             media="/media/ai_street.mov"),
    ])
    a1 = otio.schema.Track(name="A1", kind=otio.schema.TrackKind.Audio)
    a1.extend([gap(300), clip("voice_narrator", 72, record(
        "generated", "eleven", use="voice",
        people=[{"name": person, "union": "sag_aftra",
                 "consent": {"status": "granted", "ref": "CONSENT-7"}}],
        depicts_real={"resembles_existing": True, "would_appear_authentic": True,
                      "evidently_artistic": True}),
        media="/media/voice.wav")])
    tl.tracks.extend([v1, v2, a1])
    return tl


def result_for(tl: otio.schema.Timeline, cleared: tuple[str, ...] = ()) -> TimelineResult:
    """A TimelineResult the way the scan builds it: one Segment per clip with a record."""
    rate = timeline_rate(tl)
    start = round(tl.global_start_time.value_rescaled_to(rate)) if tl.global_start_time else 0
    out = TimelineResult(path="sample.otio", name=tl.name, rate=rate, timeline=tl)
    for n, place in enumerate(places(tl)):
        out.clip_count += 1
        data = rec.read(place.clip)
        if data is None:
            continue
        first = round(place.range.start_time.value_rescaled_to(rate))
        last = first + round(place.range.duration.value_rescaled_to(rate))
        seg = Segment(
            segment_id=f"seg{n:03d}", asset_id=f"ref:{place.clip.name}", clip=place.clip.name,
            track=place.track_name, track_kind=place.track_kind, track_index=place.track_index,
            start_frame=first, end_frame=last, start_tc=timecode(first + start, rate),
            end_tc=timecode(last + start, rate), media=_media(place.clip), enabled=place.enabled,
            record=data)
        if place.clip.name in cleared:
            seg.status = "cleared"
            seg.decision = Decision("cleared", "Maya Legal", "legal", "2026-11-20T10:00:00Z",
                                    "entry-1")
        out.segments.append(seg)
    return out


def _media(item: otio.schema.Clip) -> str | None:
    ref = item.media_reference
    return getattr(ref, "target_url", None)


def many(n: int) -> TimelineResult:
    """``n`` AI segments of 2 s with 1 s gaps (none merge), every tenth with a consenting person."""
    result = TimelineResult(path="many", name="many", rate=RATE)
    for i in range(n):
        start = i * 72
        data = record(("generated", "edited")[i % 2], ("runway", "midjourney", "eleven")[i % 3])
        if i % 10 == 0:
            data["use"] = "voice"
            data["people"] = [{"name": f"Person {i}", "consent": {"status": "granted"}}]
        result.segments.append(Segment(
            segment_id=f"s{i}", asset_id=f"a{i}", clip=f"clip_{i}", track="V2",
            track_kind="Video", track_index=2, start_frame=start, end_frame=start + 48,
            start_tc=timecode(start, RATE), end_tc=timecode(start + 48, RATE), media=None,
            enabled=True, record=data))
    return result
