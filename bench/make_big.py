"""Generate a large timeline for the panel benchmark: N clips over 4 tracks, 1 in 50 AI."""

from __future__ import annotations

import sys
from pathlib import Path

import opentimelineio as otio

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange


def make(clips: int, tracks: int = 4, rate: float = 24.0) -> otio.schema.Timeline:
    timeline = otio.schema.Timeline(f"bench_{clips}")
    per_track = clips // tracks
    for t in range(tracks):
        kind = otio.schema.TrackKind.Audio if t == tracks - 1 else otio.schema.TrackKind.Video
        track = otio.schema.Track(f"{'A' if kind == 'Audio' else 'V'}{t + 1}", kind=kind)
        for i in range(per_track):
            ai = i % 50 == 7
            name = f"runway_gen3_shot_{t}_{i}" if ai else f"shot_{t}_{i:06d}"
            ref = otio.schema.ExternalReference(
                target_url=f"media/{name}.mov",
                available_range=TR(RT(0, rate), RT(200, rate)))
            length = 12 + (i * 7 + t) % 60
            track.append(otio.schema.Clip(name=name, media_reference=ref,
                                          source_range=TR(RT(10, rate), RT(length, rate))))
        timeline.tracks.append(track)
    return timeline


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    out = Path(sys.argv[2] if len(sys.argv) > 2 else f"/tmp/aiclear_bench_{count}.otio")
    otio.adapters.write_to_file(make(count), str(out))
    print(out)
