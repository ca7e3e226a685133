"""Every disclosure format by name: text formats return a string, render formats a file.

Shared by ``aiclear disclose``, the write-only OTIO adapters and the panel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import opentimelineio as otio

from aiclear.disclose import credits, cuesheet, locators, overlay, render, timedtext
from aiclear.disclose.settings import ProfileLike
from aiclear.errors import UsageError
from aiclear.model import TimelineResult
from aiclear.policy.profile import Profile

TextWriter = Callable[[TimelineResult, ProfileLike, "str | None"], str]


def _otio(result: TimelineResult, profile: ProfileLike, lang: str | None) -> str:
    # the overlay copy is for the editor's NLE; serialised without running adapter hooks
    return str(overlay.overlay_timeline(result, profile, lang).to_json_string()) + "\n"


TEXT_FORMATS: dict[str, TextWriter] = {
    "srt": timedtext.to_srt,
    "vtt": timedtext.to_vtt,
    "ttml": timedtext.to_ttml,
    "otio": _otio,
    "avid-locators": locators.to_avid_locators,
    "credits-txt": lambda r, p, lang: credits.to_txt(credits.credit_block(r, p, lang)),
    "credits-md": lambda r, p, lang: credits.to_markdown(credits.credit_block(r, p, lang)),
    "credits-json": lambda r, p, lang: credits.to_json(credits.credit_block(r, p, lang)),
    "cuesheet-csv": lambda r, p, lang: cuesheet.to_csv(cuesheet.cue_sheet(r, p, lang)),
    "cuesheet-html": lambda r, p, lang: cuesheet.to_html(cuesheet.cue_sheet(r, p, lang)),
}
RENDER_FORMATS = ("credits-png", "credits-mov")
FORMATS = (*TEXT_FORMATS, *RENDER_FORMATS)


def write_text(fmt: str, result: TimelineResult, profile: ProfileLike = None,
               lang: str | None = None) -> str:
    """The disclosure ``fmt`` as text (every format but the rendered card)."""
    try:
        writer = TEXT_FORMATS[fmt]
    except KeyError:
        raise UsageError(f"unknown text format {fmt!r} (expected one of "
                         f"{', '.join(TEXT_FORMATS)})") from None
    return writer(result, profile, lang)


def render_card(fmt: str, result: TimelineResult, output: str | Path, profile: ProfileLike = None,
                lang: str | None = None, font: str | None = None) -> Path:
    """The credit card as ``credits-png`` (one frame) or ``credits-mov`` (five seconds)."""
    block = credits.credit_block(result, profile, lang)
    if fmt == "credits-png":
        return render.credit_card_png(block, output, font=font)
    if fmt == "credits-mov":
        return render.credit_card_movie(block, output, font=font)
    raise UsageError(f"unknown render format {fmt!r} (expected one of {', '.join(RENDER_FORMATS)})")


def scan_for_adapter(timeline: otio.schema.Timeline, profile: str | Path | Profile | None = None,
                     registers: str | Path | Sequence[str | Path] = ()
                     ) -> tuple[TimelineResult, Profile]:
    """Scan a timeline handed to an OTIO adapter; ``profile`` is a name, a path or a Profile.
    Returns the result and the loaded Profile."""
    from aiclear.detect.register import load_register
    from aiclear.policy.profile import load_profile
    from aiclear.scan.core import scan_timeline
    from aiclear.scan.settings import ScanSettings

    if not isinstance(timeline, otio.schema.Timeline):
        raise UsageError(f"aiclear disclosure adapters write timelines, not {type(timeline).__name__}")
    loaded = profile if isinstance(profile, Profile) else load_profile(profile)
    paths = [registers] if isinstance(registers, (str, Path)) else list(registers or ())
    settings = ScanSettings(profile=loaded, registers=[load_register(r) for r in paths])
    return scan_timeline(timeline, settings), loaded


def adapter_text(fmt: str, timeline: otio.schema.Timeline, profile: str | Path | Profile | None = None,
                 lang: str | None = None, registers: str | Path | Sequence[str | Path] = ()) -> str:
    """What a write-only adapter returns: scan, then write ``fmt`` with the profile."""
    result, loaded = scan_for_adapter(timeline, profile, registers)
    return write_text(fmt, result, loaded, lang)
