"""Timelines for the plugin tests, built in code so each test shows what it starts from."""

from __future__ import annotations

from typing import Any

import opentimelineio as otio

from aiclear.detect import record
from aiclear.timeline import ids

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange
RATE = 24
NO_TAG = {"aiclear": {"tag": False}}


def clip(name: str, media: str | None = None, start: int = 10, dur: int = 48,
         available: bool = True) -> otio.schema.Clip:
    ref = otio.schema.ExternalReference(
        target_url=f"file:///media/{media or name}.mov",
        available_range=TR(RT(0, RATE), RT(200, RATE)) if available else None)
    return otio.schema.Clip(name, media_reference=ref, source_range=TR(RT(start, RATE), RT(dur, RATE)))


def declared(c: otio.schema.Clip, use: str = "background_element") -> otio.schema.Clip:
    """An AI clip known only by its aiclear record (an innocent name): after a round trip
    through a format that drops metadata, only the carriers can say it is AI."""
    rec: dict[str, Any] = record.new_record()
    rec.update(ai_class="generated", use=use, asset_id=ids.reference_asset_id(c),
               evidence=[{"kind": "manual", "detail": "declared by the test"}])
    record.write(c, rec)
    return c


def ai_timeline(name: str = "reel 1") -> otio.schema.Timeline:
    """One video track: clean, AI by name, a gap, AI by record only, clean."""
    tl = otio.schema.Timeline(name, global_start_time=RT(86400, RATE))
    track = otio.schema.Track("V1")
    track.append(clip("SC01_TK01"))
    track.append(clip("Midjourney_castle", "mj_castle", start=0, dur=24))
    track.append(otio.schema.Gap(source_range=TR(RT(0, RATE), RT(12, RATE))))
    track.append(declared(clip("SC02_TK03", start=20, dur=36)))
    track.append(clip("SC03_TK01", dur=30))
    tl.tracks.append(track)
    return tl


STILLS = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".exr", ".dpx")


def with_media(tl: otio.schema.Timeline, folder: Any, keep_names: bool = False
               ) -> otio.schema.Timeline:
    """Point every clip at a real, distinct ffmpeg-made file in ``folder`` (one per target):
    only media aiclear reads gives an identity that an approval can clear. ``keep_names``:
    each file keeps its original name (in a folder of its own), for registers matching
    by file name; a still stays a still."""
    from pathlib import Path

    from tests.media.media_gen import ffmpeg, make_video

    made: dict[str, str] = {}
    for c in tl.find_clips():
        if not isinstance(c.media_reference, otio.schema.ExternalReference):
            continue
        target = c.media_reference.target_url
        if target not in made:
            n = len(made)
            name = Path(target).name
            if not keep_names:
                path = Path(folder) / f"{n}_{Path(target).stem}.mov"  # ffmpeg picks by suffix
            else:
                (Path(folder) / str(n)).mkdir(parents=True, exist_ok=True)
                path = Path(folder) / str(n) / name
            if path.suffix.lower() in STILLS:  # distinct bytes per file: a size of its own
                ffmpeg("-f", "lavfi", "-i", f"testsrc=size={64 + 2 * n}x48:rate=1",
                       "-frames:v", "1", str(path))
            else:
                make_video(path, seconds=0.2 + 0.1 * n)  # distinct bytes per file
            made[target] = path.as_uri()
        c.media_reference.target_url = made[target]
    return tl


def copy_with_media(src: Any, dest: Any) -> Any:
    """Copy the timeline file ``src`` to ``dest`` with every clip pointing at real media in
    a ``media`` folder beside ``dest`` under its original file name (registers match by
    name): the samples name no media, and offline clips clear only by reference (which a
    production must allow). Returns ``dest``."""
    from pathlib import Path

    folder = Path(dest).parent / "media"
    folder.mkdir(exist_ok=True)
    tl = otio.adapters.read_from_file(str(src), hook_function_argument_map=NO_TAG)
    with_media(tl, folder, keep_names=True).to_json_file(str(dest))
    return dest


def clean_timeline() -> otio.schema.Timeline:
    tl = otio.schema.Timeline("clean", global_start_time=RT(86400, RATE))
    track = otio.schema.Track("V1")
    for n in ("SC01_TK01", "SC01_TK02", "SC04_TK01"):
        track.append(clip(n))
    tl.tracks.append(track)
    return tl


def snapshot(obj: Any) -> str:
    """The object as JSON without running hooks (to prove it was not changed)."""
    return str(obj.to_json_string())
