#!/usr/bin/env python3
"""Render a stand-in master for a timeline with real ffmpeg: test pattern and tone of
exactly the timeline's duration (what a finishing system would deliver, for trying
'aiclear sign-master' without real media).

    python scripts/demo_master.py TIMELINE -o master.mp4 [--rate FPS]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import opentimelineio as otio


def render(timeline_path: Path, out: Path, rate: float | None = None) -> Path:
    timeline = otio.adapters.read_from_file(str(timeline_path))
    fps = rate or timeline.global_start_time.rate if timeline.global_start_time else rate
    fps = fps or timeline.duration().rate or 24
    frames = round(timeline.duration().rescaled_to(fps).value)
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise SystemExit("demo_master: ffmpeg is not on PATH (scripts/setup.sh installs it)")
    seconds = frames / fps
    audio = out.suffix.lower() == ".wav"
    args = [ffmpeg, "-v", "error", "-y", "-nostdin"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", str(out)]
    else:
        args += ["-f", "lavfi", "-i", f"testsrc=size=320x180:rate={fps}:duration={seconds}",
                 "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                 "-frames:v", str(frames), "-c:v", "libx264", "-pix_fmt", "yuv420p",
                 "-c:a", "aac", "-shortest", str(out)]
    subprocess.run(args, check=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("timeline", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--rate", type=float, default=None)
    args = parser.parse_args(argv)
    out = render(args.timeline, args.output, args.rate)
    sys.stderr.write(f"rendered {out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
