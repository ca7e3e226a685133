"""What the OTIO hooks cost: reads and writes with the aiclear hooks vs without them.

    python bench/plugin_hooks.py [CLIPS]

Prints ratios (hooked / plain) for a clean timeline (the common case: nothing is AI) and
for one where 1 clip in 50 is AI. "plain" reads pass {"aiclear": {"tag": False}} and
"plain" writes pass {"aiclear": {"intent": "off"}}, so the same OTIO code runs minus our work.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import opentimelineio as otio

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange
NO_TAG = {"aiclear": {"tag": False}}
OFF = {"aiclear": {"intent": "off"}}
REVIEW = {"aiclear": {"intent": "review"}}


def build(clips: int, ai_every: int | None) -> otio.schema.Timeline:
    tl = otio.schema.Timeline("bench")
    for t in range(4):
        track = otio.schema.Track(f"V{t + 1}")
        for i in range(clips // 4):
            name = f"SC{i:05d}_TK{t}"
            if ai_every and i % ai_every == 0:
                name = f"Midjourney_{i:05d}_{t}"
            ref = otio.schema.ExternalReference(f"file:///media/{name}.mov",
                                                TR(RT(0, 24), RT(200, 24)))
            track.append(otio.schema.Clip(name, ref, TR(RT(10, 24), RT(48, 24))))
        tl.tracks.append(track)
    return tl


def best(fn: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(label: str, tl: otio.schema.Timeline, folder: Path) -> str:
    src = str(folder / "src.otio")
    out = str(folder / "out.otio")
    tl.to_json_file(src)
    read_plain = best(lambda: otio.adapters.read_from_file(src, hook_function_argument_map=NO_TAG))
    read_hook = best(lambda: otio.adapters.read_from_file(src))
    write_plain = best(lambda: otio.adapters.write_to_file(tl, out, hook_function_argument_map=OFF))
    write_hook = best(lambda: otio.adapters.write_to_file(tl, out, hook_function_argument_map=REVIEW))
    return (f"{label}: read {read_hook / read_plain:.2f}x "
            f"({read_plain * 1000:.0f} -> {read_hook * 1000:.0f} ms); gated .otio write "
            f"{write_hook / write_plain:.2f}x ({write_plain * 1000:.0f} -> {write_hook * 1000:.0f} ms)")


def main() -> None:
    clips = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    otio.plugins.ActiveManifest()
    logging.getLogger("aiclear").setLevel(logging.ERROR)  # the review writes log a line each
    with tempfile.TemporaryDirectory() as tmp:
        for label, ai_every in (("clean", None), ("AI 1 in 50", 50)):
            print(measure(f"{clips} clips, {label}", build(clips, ai_every), Path(tmp)))


if __name__ == "__main__":
    main()
