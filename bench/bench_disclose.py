"""Disclosure speed: how writers scale with segment count, and what a burn-in costs.

    .venv/bin/python bench/bench_disclose.py

Prints ratios, not absolute times: (1) time for 10x the segments over time for 1x (about
10 means linear); (2) burn-in render time over a plain re-encode of the same reference.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiclear.disclose import burn_in, write_text  # noqa: E402
from aiclear.model import Segment, TimelineResult  # noqa: E402
from aiclear.timeline.walk import timecode  # noqa: E402

RATE = 24.0


def synthetic(n: int) -> TimelineResult:
    result = TimelineResult(path="bench", name="bench", rate=RATE)
    for i in range(n):
        start = i * 72  # 2 s clip, 1 s gap: no merging
        record = {"ai_class": ("generated", "edited")[i % 2], "use": "background_element",
                  "tool": {"vendor": f"V{i % 7}", "product": f"P{i % 13}", "version": "1"},
                  "people": [{"name": f"Person {i % 50}", "consent": {"status": "granted"}}]
                  if i % 10 == 0 else []}
        result.segments.append(Segment(
            segment_id=f"s{i}", asset_id=f"a{i}", clip=f"clip_{i}", track="V2",
            track_kind="Video", track_index=2, start_frame=start, end_frame=start + 48,
            start_tc=timecode(start, RATE), end_tc=timecode(start + 48, RATE), media=None,
            enabled=True, record=record))
    return result


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def scaling() -> None:
    profile = {"on_screen": "all"}
    small, large = synthetic(500), synthetic(5000)
    for fmt in ("srt", "vtt", "ttml", "avid-locators", "credits-txt", "cuesheet-csv",
                "cuesheet-html"):
        a = best(lambda fmt=fmt: write_text(fmt, small, profile))
        b = best(lambda fmt=fmt: write_text(fmt, large, profile), repeat=1)
        print(f"{fmt:14s} 5000/500 segments time ratio {b / a:5.1f}  (500: {a * 1000:6.1f} ms)")


def burn_in_cost() -> None:
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        print("burn-in: ffmpeg not installed, skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        ref = Path(tmp) / "ref.mov"
        subprocess.run([ffmpeg, "-v", "error", "-f", "lavfi", "-i",
                        "testsrc2=s=1280x720:r=24:d=30", "-c:v", "libx264", "-preset",
                        "veryfast", str(ref)], check=True)
        plain = best(lambda: subprocess.run(
            [ffmpeg, "-v", "error", "-y", "-i", str(ref), "-c:v", "libx264", "-preset",
             "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", str(Path(tmp) / "plain.mov")],
            check=True), repeat=1)
        result = synthetic(10)  # ten 2 s labels over the 30 s reference
        burnt = best(lambda: burn_in(result, ref, Path(tmp) / "burnt.mov",
                                     {"on_screen": "all"}), repeat=1)
        print(f"burn-in 720p30s, 10 labels + 10 PROVISIONAL: {burnt / plain:4.2f}x a plain "
              f"re-encode ({burnt:.1f} s vs {plain:.1f} s)")


if __name__ == "__main__":
    scaling()
    burn_in_cost()
