"""Avid Media Composer locator file: one locator per label event, where the label starts.

Media Composer imports a tab-separated text file (Tools > Markers > Import Markers):
``user <TAB> timecode <TAB> track <TAB> colour <TAB> comment``, one locator a line, at
record timecode. Red marks a label over material still provisional (or rejected), green
one over cleared material. Tabs and newlines from clip names are folded by ``clean``.
"""

from __future__ import annotations

from aiclear.disclose.events import events_for
from aiclear.disclose.settings import ProfileLike
from aiclear.disclose.text import clean
from aiclear.disclose.timing import record_tc, start_offset
from aiclear.model import TimelineResult

USER = "aiclear"
TRACK = "V1"


def to_avid_locators(result: TimelineResult, profile: ProfileLike = None, lang: str | None = None) -> str:
    offset = start_offset(result)
    rows = []
    for event in events_for(result, profile, lang):
        colour = "green" if event.status == "cleared" else "red"
        comment = clean(" / ".join(event.phrases) + " [" + _clips(event.clips) + "]")
        rows.append("\t".join((USER, record_tc(event.start_frame, result, offset), TRACK, colour,
                               comment)))
    return "".join(row + "\n" for row in rows)


def _clips(clips: tuple[str, ...], shown: int = 5) -> str:
    """The first few clip names under a locator; a long merged run says how many more."""
    names = ", ".join(clips[:shown])
    return names if len(clips) <= shown else f"{names} +{len(clips) - shown}"
