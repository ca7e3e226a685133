"""Synthetic N-clip timelines that look like a conform, written as .otio.

No public timeline reaches 10k clips (research/otio.md §7), so the benchmark builds its
own: four tracks (two video, two audio), camera-style clip and media names, gaps,
an occasional transition, nested compounds (a stack of two tracks inside V1), markers
on a few clips, EDL-style comments and reels in metadata, and a few percent of clips
named the way AI shots are named (plus decoys that must not match). The layout is
deterministic for a given (clips, seed), so runs are comparable.
"""

from __future__ import annotations

import random
from pathlib import Path

import opentimelineio as otio

RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange
RATE = 24.0

AI_NAMES = ("GENAI_skyline_v{n}", "AI_GEN_INSERT_{n}", "synthetic_crowd_fill_{n}",
            "midjourney_matte_{n:02d}", "ElevenLabs_VO_take{n}", "kling2_drone_{n}",
            "SORA2_establishing_{n}", "firefly_gen_sky_{n}")
DECOYS = ("Hawaii_beach_{n}", "MAIN_TITLE_{n}", "trailer_cut_{n}", "RAIN_fx_{n}",
          "AIRPORT_ext_{n}", "Aidan_CU_{n}", "FAIRGROUND_wide_{n}", "logo_{n}.ai")
AI_COMMENT = "AI GENERATED BACKGROUND PLATE"
COMMENTS = ("PRINT TAKE", "CHECK FOCUS", "VFX PULL", "FROM CLIP: B-ROLL", "SOUND ROLL 12")
# share of clips per track: V1 carries the cut, V2 overlays, A1/A2 sound
TRACKS = (("V1", "Video", 0.45), ("V2", "Video", 0.15), ("A1", "Audio", 0.25), ("A2", "Audio", 0.15))
NEST_EVERY = 150  # V1 gets a nested compound every this many clips
NEST_CLIPS = 4  # clips inside one compound (two inner tracks of two)


class _Names:
    """Camera-roll names with a given share of AI names and decoys."""

    def __init__(self, rng: random.Random, ai_share: float) -> None:
        self.rng = rng
        self.ai_share = ai_share
        self.n = 0

    def next(self) -> tuple[str, str, bool]:
        """(clip name, media file name, is AI by name)."""
        self.n += 1
        roll = self.rng.random()
        if roll < self.ai_share:
            name = self.rng.choice(AI_NAMES).format(n=self.n % 97)
            return name, f"{name}.mov", True
        if roll < self.ai_share + 0.02:
            name = self.rng.choice(DECOYS).format(n=self.n % 97)
            return name, name if name.endswith(".ai") else f"{name}.mov", False
        cam = "ABCD"[self.n % 4]
        name = f"{cam}{self.n // 400 % 999 + 1:03d}C{self.n % 400 + 1:03d}_{210901 + self.n % 28}_R1AB"
        return name, f"{name}.mov", False


def _clip(names: _Names, rng: random.Random) -> otio.schema.Clip:
    name, media, _ = names.next()
    frames = rng.randint(24, 240)
    start = rng.randint(0, 2000)
    ref = otio.schema.ExternalReference(
        target_url=f"file:///vol/proj/media/{media}",
        available_range=TR(RT(0, RATE), RT(start + frames + 48, RATE)))
    clip = otio.schema.Clip(name=name, media_reference=ref,
                            source_range=TR(RT(start, RATE), RT(frames, RATE)))
    roll = rng.random()
    meta: dict[str, object] = {"reel": name.split("_", 1)[0][:8]}
    if roll < 0.05:
        meta["comments"] = [rng.choice(COMMENTS)]
    elif roll < 0.055:
        meta["comments"] = [AI_COMMENT]
    clip.metadata["cmx_3600"] = meta
    if rng.random() < 0.04:
        label = "AI GENERATED" if rng.random() < 0.15 else rng.choice(("notes", "sync", "VFX"))
        clip.markers.append(otio.schema.Marker(
            name=label, marked_range=TR(RT(start, RATE), RT(1, RATE)),
            color=otio.schema.MarkerColor.RED))
    return clip


def _gap(rng: random.Random) -> otio.schema.Gap:
    return otio.schema.Gap(source_range=TR(RT(0, RATE), RT(rng.randint(12, 96), RATE)))


def _compound(names: _Names, rng: random.Random) -> otio.schema.Stack:
    stack = otio.schema.Stack(name=f"compound_{names.n}")
    for inner in range(2):
        track = otio.schema.Track(f"inner{inner + 1}")
        for _ in range(NEST_CLIPS // 2):
            track.append(_clip(names, rng))
        stack.append(track)
    return stack


def _fill(track: otio.schema.Track, count: int, names: _Names, rng: random.Random,
          nested: bool, overlay: bool) -> None:
    made = 0
    while made < count:
        if nested and made and made % NEST_EVERY == 0 and count - made >= NEST_CLIPS:
            track.append(_compound(names, rng))
            made += NEST_CLIPS
            continue
        if overlay and made % 3 == 0:
            track.append(_gap(rng))
        track.append(_clip(names, rng))
        made += 1
        if nested and made % 50 == 0 and made < count:  # a dissolve into the next clip
            track.append(otio.schema.Transition(
                in_offset=RT(6, RATE), out_offset=RT(6, RATE),
                transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve))
            track.append(_clip(names, rng))
            made += 1


def make_timeline(clips: int, seed: int = 0, ai_share: float = 0.03) -> otio.schema.Timeline:
    """A timeline of exactly ``clips`` clips spread over four tracks."""
    rng = random.Random(seed)
    names = _Names(rng, ai_share)
    timeline = otio.schema.Timeline(f"bench_{clips}")
    timeline.global_start_time = RT(86400, RATE)  # 01:00:00:00
    left = clips
    for i, (name, kind, share) in enumerate(TRACKS):
        count = left if i == len(TRACKS) - 1 else max(1, round(clips * share))
        count = min(count, left)
        left -= count
        track = otio.schema.Track(name, kind=kind)
        _fill(track, count, names, rng, nested=(name == "V1"), overlay=(name == "V2"))
        timeline.tracks.append(track)
    return timeline


def write_timeline(path: Path, clips: int, seed: int = 0) -> Path:
    """Write (once) the ``clips``-clip timeline to ``path``; reuse an existing file."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.otio")
        # a benchmark input, not a delivery: written without OTIO's adapter hooks (the
        # export gate would log every intent-off write)
        make_timeline(clips, seed).to_json_file(str(tmp))
        tmp.replace(path)
    return path


def write_batch(folder: Path, count: int, clips: int) -> list[Path]:
    """``count`` small timelines of ``clips`` clips each (different seeds)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write_timeline(folder / f"tl_{i:04d}.otio", clips, seed=i) for i in range(count)]
