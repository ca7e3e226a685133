"""Build small OTIO timelines over generated media for the prober tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import opentimelineio as otio

from aiclear.timeline.walk import ClipPlace, places

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange


def clip(name: str, target: str | None, kind: str = "ext") -> otio.schema.Clip:
    rng = TR(RT(0, 24), RT(12, 24))
    if kind == "gen":
        ref: otio.core.MediaReference = otio.schema.GeneratorReference(generator_kind="SMPTEBars")
    elif target is None:
        ref = otio.schema.MissingReference()
    else:
        ref = otio.schema.ExternalReference(target_url=target, available_range=rng)
    return otio.schema.Clip(name=name, media_reference=ref, source_range=rng)


def timeline(video: Sequence[otio.schema.Clip], audio: Sequence[otio.schema.Clip] = ()
             ) -> otio.schema.Timeline:
    tl = otio.schema.Timeline(name="t")
    tl.tracks.append(otio.schema.Track(name="V1", children=list(video)))
    if audio:
        tl.tracks.append(otio.schema.Track(name="A1", kind=otio.schema.TrackKind.Audio,
                                           children=list(audio)))
    return tl


def clip_places(tl: otio.schema.Timeline) -> list[ClipPlace]:
    return list(places(tl))


def save(tl: otio.schema.Timeline, folder: Path) -> Path:
    path = folder / "cut.otio"
    tl.to_json_file(str(path))  # a fixture, not a deliverable: no export gate
    return path
