"""On-screen label events: which AI segments get a label, what it says, and when.

One event per run of labelled segments: segments whose labels overlap or sit closer
than ``merge_gap_seconds`` share one cue. A cue starts exactly on the first frame of its
first segment (first exposure, EU AI Act Art. 50(5)) and covers its last; it is held
for ``min_display_seconds`` or for as long as its text takes to read at
``reading_speed_cps`` (never into the next cue or past the timeline's end), and when
even that is too short it drops context lines, last first. The headline ("AI
GENERATED", "AI MODIFIED") always stays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import PurePath

from aiclear.disclose.settings import DisclosureSettings, ProfileLike, settings
from aiclear.disclose.templates import Wording, wording
from aiclear.disclose.text import clean, join_names, wrap
from aiclear.disclose.timing import end_frame, seconds
from aiclear.model import DepictsReal, Segment, TimelineResult, UsageRecord

#: strongest first: a merged cue is headed by its most synthetic member
CLASS_ORDER = ("generated", "edited", "contains", "enhanced")
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".exr", ".dpx", ".webp",
                            ".heic", ".psd", ".bmp", ".gif"})


@dataclass(frozen=True, slots=True)
class LabelEvent:
    """One on-screen label: frames on the timeline (end exclusive) at ``rate``."""

    number: int
    start_frame: int
    end_frame: int
    rate: float
    lines: tuple[str, ...]  # the headline first, then wrapped context lines
    phrases: tuple[str, ...]  # the same text unwrapped: headline, then each context
    level: str  # "full" | "limited"
    ai_class: str
    segment_ids: tuple[str, ...]
    clips: tuple[str, ...]
    status: str  # "cleared" only when every segment under it is cleared

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def headline(self) -> str:
        return self.lines[0]

    @property
    def start(self) -> Fraction:
        return seconds(self.start_frame, self.rate)

    @property
    def end(self) -> Fraction:
        return seconds(self.end_frame, self.rate)


@dataclass(slots=True)
class _Run:
    start: int
    end: int
    level: str
    ai_class: str
    contexts: list[str] = field(default_factory=list)
    segment_ids: list[str] = field(default_factory=list)
    clips: list[str] = field(default_factory=list)
    statuses: set[str] = field(default_factory=set)


def label_level(segment: Segment, conf: DisclosureSettings) -> str | None:
    """``"full"``, ``"limited"`` or None (no on-screen label) for one segment."""
    if not segment.enabled:
        return None  # a disabled clip never reaches the screen
    override = (segment.record.get("disclosure") or {}).get("on_screen")
    override = override if isinstance(override, bool) else None
    if conf.on_screen == "all":
        return "full"  # documentary: a record cannot opt out of the label
    if conf.on_screen == "deepfakes":
        if is_deepfake(segment.record) and not is_artistic(segment.record, conf):
            return "full"  # Art. 50(4) full disclosure: not waivable by a record
        if override is not None:
            return "full" if override else None
        return "limited" if conf.limited_style == "minimal" else None
    if override is not None:
        return "full" if override else None
    if conf.on_screen == "classes" and ai_class(segment) in conf.on_screen_classes:
        return "full"
    return None


def ai_class(segment: Segment) -> str:
    """The record's class; AI found without a declared class counts as generated (the
    strongest label), so undeclared AI is never shown as less synthetic than it may be."""
    value = segment.record.get("ai_class")
    return value if value in CLASS_ORDER else "generated"


def is_deepfake(record: UsageRecord) -> bool:
    """Art. 3(60): resembles existing persons, places or events and would appear authentic."""
    real = record.get("depicts_real") or DepictsReal()
    return bool(real.get("resembles_existing")) and bool(real.get("would_appear_authentic"))


def is_artistic(record: UsageRecord, conf: DisclosureSettings) -> bool:
    real = record.get("depicts_real") or DepictsReal()
    return (conf.programme_evidently_artistic or bool(real.get("evidently_artistic"))
            or record.get("presented_as") == "fiction")


def labelled_segments(result: TimelineResult, profile: ProfileLike = None) -> dict[str, str]:
    """segment_id -> label level, for every segment that gets an on-screen label."""
    conf = settings(profile)
    levels = {s.segment_id: label_level(s, conf) for s in result.segments}
    return {k: v for k, v in levels.items() if v}


def events_for(result: TimelineResult, profile: ProfileLike = None, lang: str | None = None
               ) -> list[LabelEvent]:
    """The on-screen label events of a scanned timeline, in time order."""
    conf = settings(profile)
    words = wording(lang or conf.language)
    runs = _merge(_runs(result, conf, words), round(conf.merge_gap_seconds * result.rate))
    last = end_frame(result)
    events = []
    for index, run in enumerate(runs):
        cap = runs[index + 1].start if index + 1 < len(runs) else max(last, run.end)
        events.append(_event(index + 1, run, cap, result.rate, conf, words))
    return events


def context_lines(segment: Segment, words: Wording) -> list[str]:
    """Plain-language context from the record, e.g. "Voice recreated with AI, with consent of …"."""
    record = segment.record
    override = (record.get("disclosure") or {}).get("text")
    if isinstance(override, str) and clean(override):
        return [clean(override)]
    if isinstance(override, dict) and clean(override.get(words.lang)):
        return [clean(override.get(words.lang))]
    people = [p for p in record.get("people") or [] if isinstance(p, dict)]
    names = join_names([clean(p.get("name")) for p in people], words.lang)
    consented = bool(people) and all(
        (p.get("consent") or {}).get("status") == "granted" for p in people)
    use = record.get("use")
    lines = []
    if use == "voice" or (segment.track_kind == "Audio" and people):
        key = "voice_consent" if consented and names else "voice"
        lines.append(words.text("context", key, names=names))
    elif use in ("digital_replica", "likeness") and names:
        key = "replica_consent" if consented else "replica"
        lines.append(words.text("context", key, names=names))
    if use == "archival_reconstruction" or record.get("presented_as") == "recreation_labeled":
        # "not archival" first: when reading speed forces a cut, it is the line that stays
        photo = PurePath(segment.media or "").suffix.lower() in IMAGE_SUFFIXES
        lines.append(words.text("context", "not_archival_photo" if photo else "not_archival_footage"))
        lines.append(words.text("context", "reconstruction"))
    if use == "localization":
        lines.append(words.text("context", "localization"))
    return lines


def _runs(result: TimelineResult, conf: DisclosureSettings, words: Wording) -> list[_Run]:
    runs = []
    for seg in result.segments:
        level = label_level(seg, conf)
        if level is None or seg.end_frame <= seg.start_frame:
            continue
        cls = ai_class(seg)
        contexts = context_lines(seg, words) if level == "full" else []
        runs.append(_Run(seg.start_frame, seg.end_frame, level, cls, contexts,
                         [seg.segment_id], [clean(seg.clip)], {seg.status}))
    return sorted(runs, key=lambda r: (r.start, r.end))


def _merge(runs: list[_Run], gap: int) -> list[_Run]:
    merged: list[_Run] = []
    for run in runs:
        if merged and run.start - merged[-1].end < gap:  # overlaps are negative gaps
            _absorb(merged[-1], run)
        else:
            merged.append(run)
    return merged


def _absorb(into: _Run, run: _Run) -> None:
    into.end = max(into.end, run.end)
    if run.level == "full" and into.level != "full":
        into.level, into.ai_class = "full", run.ai_class
    elif run.level == into.level:
        into.ai_class = min(into.ai_class, run.ai_class, key=CLASS_ORDER.index)
    into.contexts.extend(c for c in run.contexts if c not in into.contexts)
    into.segment_ids.extend(run.segment_ids)
    into.clips.extend(run.clips)
    into.statuses |= run.statuses


def _event(number: int, run: _Run, cap: int, rate: float, conf: DisclosureSettings,
           words: Wording) -> LabelEvent:
    headline = words.text("labels", run.ai_class if run.level == "full" else "minimal")
    width = conf.max_line_chars or int(words.number("max_line_chars", 42))
    cps = conf.reading_speed_cps or words.number("reading_speed_cps", 17)
    blocks = [wrap(c, width) for c in run.contexts]
    wanted, _ = _fit(headline, blocks, conf.max_lines, 0, 0)
    read_frames = math.ceil(sum(map(len, wanted)) / cps * rate) if cps > 0 else 0
    hold = max(round(conf.min_display_seconds * rate), read_frames)
    end = max(run.end, min(run.start + hold, cap))
    lines, kept = _fit(headline, blocks, conf.max_lines, cps, (end - run.start) / rate)
    status = ("rejected" if "rejected" in run.statuses
              else "provisional" if run.statuses - {"cleared"} else "cleared")
    return LabelEvent(number, run.start, end, rate, tuple(lines),
                      (headline, *run.contexts[:kept]), run.level, run.ai_class,
                      tuple(run.segment_ids), tuple(dict.fromkeys(run.clips)), status)


def _fit(headline: str, blocks: list[list[str]], max_lines: int, cps: float,
         duration: float) -> tuple[list[str], int]:
    """Headline plus whole context blocks, within the line budget and the reading speed;
    returns the lines and how many context blocks they hold."""
    kept, count = 0, 1
    for block in blocks:
        if count + len(block) > max_lines:
            break
        count += len(block)
        kept += 1
    while True:
        lines = [headline, *(line for block in blocks[:kept] for line in block)]
        if kept == 0 or cps <= 0 or sum(len(x) for x in lines) / cps <= duration:
            return lines, kept
        kept -= 1  # too much to read in the time: drop the last context, keep the headline
