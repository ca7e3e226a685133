"""The timeline plus an overlay video track of text generator clips, and markers.

An NLE that reads OTIO shows the labels where they will sit in the picture: one
``GeneratorReference`` (kind ``Text``) clip per label event on a new top video track
named ``AI disclosure``, plus a marker per event on the timeline's stack. The overlay
names carry no AI words ("Disclosure 3"): the label text lives in the generator's
parameters and the marker comments, so a re-scan does not mistake the labels for AI
clips. The input timeline is deep-copied, never changed.
"""

from __future__ import annotations

import copy

import opentimelineio as otio

from aiclear.detect.record import DISCLOSURE_KEY
from aiclear.disclose.events import LabelEvent, events_for
from aiclear.disclose.settings import ProfileLike, settings
from aiclear.errors import UsageError
from aiclear.model import TimelineResult

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange
TRACK_NAME = "AI disclosure"
#: metadata key on the overlay track and clips (not ``aiclear``: that one means "usage record")
OVERLAY_KEY = DISCLOSURE_KEY


def overlay_timeline(result: TimelineResult, profile: ProfileLike = None, lang: str | None = None
                     ) -> otio.schema.Timeline:
    if result.timeline is None:
        raise UsageError("the otio overlay needs the scanned timeline (TimelineResult.timeline)")
    conf = settings(profile)
    code = lang or conf.language
    events = events_for(result, profile, code)
    timeline = copy.deepcopy(result.timeline)
    track = otio.schema.Track(name=TRACK_NAME, kind=otio.schema.TrackKind.Video)
    track.metadata[OVERLAY_KEY] = {"overlay": True, "lang": code, "position": conf.position}
    cursor = 0
    for event in events:
        if event.start_frame > cursor:
            track.append(otio.schema.Gap(source_range=_range(0, event.start_frame - cursor,
                                                             result.rate)))
        track.append(_label_clip(event, code, conf.position))
        timeline.tracks.markers.append(_marker(event))
        cursor = event.end_frame
    timeline.tracks.append(track)
    return timeline


def _label_clip(event: LabelEvent, lang: str, position: str) -> otio.schema.Clip:
    duration = event.end_frame - event.start_frame
    ref = otio.schema.GeneratorReference(
        name="Text",
        generator_kind="Text",
        available_range=_range(0, duration, event.rate),
        parameters={"text": event.text, "lines": list(event.lines), "position": position,
                    "lang": lang},
    )
    clip = otio.schema.Clip(name=f"Disclosure {event.number}", media_reference=ref,
                            source_range=_range(0, duration, event.rate))
    clip.metadata[OVERLAY_KEY] = {"level": event.level, "status": event.status,
                                  "segments": list(event.segment_ids)}
    return clip


def _marker(event: LabelEvent) -> otio.schema.Marker:
    colour = (otio.schema.MarkerColor.GREEN if event.status == "cleared"
              else otio.schema.MarkerColor.RED)
    return otio.schema.Marker(
        name=f"Disclosure {event.number}",
        marked_range=_range(event.start_frame, event.end_frame - event.start_frame, event.rate),
        color=colour,
        comment=" / ".join(event.phrases),
        metadata={OVERLAY_KEY: {"segments": list(event.segment_ids)}},
    )


def _range(start: int, duration: int, rate: float) -> otio.opentime.TimeRange:
    return TR(RT(start, rate), RT(duration, rate))
