"""Stand-in media for a sample timeline: one small file per media reference, made by ffmpeg.

    python scripts/sample_media.py sample_timelines/ai_voice.otio media/

The sample timelines reference media that is not shipped (``/media/SC30_TK01.mov`` ...).
aiclear identifies an asset only by the bytes it reads, so an approval can clear a clip only
where its media is there: this writes a file under the reference's base name into the folder
(pass it with ``--media-root``). The files are bit-exact (no encoder tags, fixed sources), so
their asset ids are the same on every machine with the same ffmpeg codecs. TEST MEDIA ONLY.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import opentimelineio as otio

BITEXACT = ["-fflags", "+bitexact", "-flags", "+bitexact", "-map_metadata", "-1"]


def targets(timeline_path: Path) -> list[str]:
    """Every external media reference's local path, in order, once each."""
    timeline = otio.adapters.read_from_file(str(timeline_path),
                                            hook_function_argument_map={"aiclear": {"tag": False}})
    seen: dict[str, None] = {}
    for clip in timeline.find_clips():
        ref = clip.media_reference
        if isinstance(ref, otio.schema.ExternalReference) and ref.target_url:
            url = urlsplit(ref.target_url)
            if url.scheme in ("", "file"):
                seen.setdefault(unquote(url.path), None)
    return list(seen)


def make(target: str, folder: Path) -> Path:
    name = Path(target).name
    out = folder / name
    # a tone or pattern picked from the name: distinct files get distinct bytes
    pick = int(hashlib.sha256(name.encode()).hexdigest()[:4], 16)
    if out.suffix.lower() in (".wav", ".aif", ".aiff", ".mp3", ".m4a"):
        source = ["-f", "lavfi", "-i", f"sine=frequency={220 + pick % 880}:duration=1"]
        codec = ["-c:a", "pcm_s16le"]
    elif out.suffix.lower() in (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"):
        source = ["-f", "lavfi", "-i", f"testsrc2=size=160x90:rate=1,hue=h={pick % 360}"]
        codec = ["-frames:v", "1"]  # a still: the encoder follows the suffix
    else:
        source = ["-f", "lavfi", "-i", f"testsrc2=size=160x90:rate=24:duration=1,hue=h={pick % 360}"]
        codec = ["-c:v", "mpeg4", "-q:v", "5", "-threads", "1"]
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *source, *codec, *BITEXACT,
                    str(out)], check=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("timeline", type=Path, help="an OTIO timeline whose media is missing")
    parser.add_argument("folder", type=Path, help="where to write the stand-in files")
    args = parser.parse_args(argv)
    if shutil.which("ffmpeg") is None:
        print("sample_media: ffmpeg is not on PATH (./scripts/setup.sh installs it)",  # noqa: T201
              file=sys.stderr)
        return 2
    args.folder.mkdir(parents=True, exist_ok=True)
    for target in targets(args.timeline):
        print(make(target, args.folder))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
