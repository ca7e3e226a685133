"""Disclosures from a scanned timeline: on-screen labels, timed text, credits, cue sheet,
NLE locators and overlays, burn-in review copies and credit cards.

Every entry point takes a ``TimelineResult`` (from ``aiclear.scan.core``), the profile (a
``Profile``, its data dict, or just its ``disclosure`` section; None for defaults) and a
language code (en, fr, de, es, ja; None for the profile's ``disclosure.language``).
"""

from aiclear.disclose.credits import CreditBlock, credit_block
from aiclear.disclose.cuesheet import CueSheet, cue_sheet
from aiclear.disclose.events import LabelEvent, events_for, labelled_segments
from aiclear.disclose.formats import FORMATS, RENDER_FORMATS, TEXT_FORMATS, render_card, write_text
from aiclear.disclose.overlay import overlay_timeline
from aiclear.disclose.render import burn_in, review_captions
from aiclear.disclose.settings import DisclosureSettings, settings
from aiclear.disclose.templates import languages

__all__ = [
    "FORMATS",
    "RENDER_FORMATS",
    "TEXT_FORMATS",
    "CreditBlock",
    "CueSheet",
    "DisclosureSettings",
    "LabelEvent",
    "burn_in",
    "credit_block",
    "cue_sheet",
    "events_for",
    "labelled_segments",
    "languages",
    "overlay_timeline",
    "render_card",
    "review_captions",
    "settings",
    "write_text",
]
