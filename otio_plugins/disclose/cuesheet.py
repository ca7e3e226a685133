"""The GenAI cue sheet: one row per AI segment (APA tool kit, research/domain.md §2.3, §7(c)).

CSV for spreadsheets (cells that a spreadsheet would run as a formula are prefixed with
an apostrophe) and HTML through a Jinja2 template with autoescaping.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources

import jinja2

from aiclear import __version__
from aiclear.disclose.events import labelled_segments
from aiclear.disclose.settings import ProfileLike, settings
from aiclear.disclose.templates import Wording, wording
from aiclear.disclose.text import clean
from aiclear.disclose.timing import start_offset
from aiclear.model import Ingredient, Person, Segment, TimelineResult, UsageRecord
from aiclear.timeline.walk import timecode

COLUMNS = ("number", "tc_in", "tc_out", "duration", "track", "clip", "media", "description",
           "ai_class", "tool", "prompt_ref", "operator", "ingredients", "people", "use",
           "status", "approver", "date", "on_screen", "c2pa")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class CueSheet:
    title: str
    timeline: str
    rate: float
    headers: dict[str, str]  # column key -> header in the sheet's language
    rows: list[dict[str, str]]
    lang: str


def cue_sheet(result: TimelineResult, profile: ProfileLike = None, lang: str | None = None) -> CueSheet:
    words = wording(lang or settings(profile).language)
    labelled = labelled_segments(result, profile)
    offset = start_offset(result)
    segs = sorted(result.segments, key=lambda s: (s.start_frame, s.track_kind != "Video",
                                                  s.track_index))
    rows = [_row(n, seg, result.rate, offset, seg.segment_id in labelled, words)
            for n, seg in enumerate(segs, 1)]
    headers = {key: words.text("cuesheet", key) for key in COLUMNS}
    return CueSheet(words.text("cuesheet", "title"), clean(result.name), result.rate, headers,
                    rows, words.lang)


def to_csv(sheet: CueSheet) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([sheet.headers[k] for k in COLUMNS])
    for row in sheet.rows:
        writer.writerow([safe_cell(row[k]) for k in COLUMNS])
    return buf.getvalue()


def to_html(sheet: CueSheet) -> str:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    source = resources.files("aiclear.resources") / "templates" / "cuesheet.html"
    template = env.from_string(source.read_text(encoding="utf-8"))
    return template.render(sheet=sheet, columns=COLUMNS, version=__version__)


def _row(number: int, seg: Segment, rate: float, offset: int, on_screen: bool,
         words: Wording) -> dict[str, str]:
    record = seg.record
    decision = seg.decision
    yes, no = words.text("cuesheet", "answer_yes"), words.text("cuesheet", "answer_no")
    return {
        "number": str(number),
        "tc_in": timecode(seg.start_frame + offset, rate),
        "tc_out": timecode(seg.end_frame + offset, rate),
        "duration": timecode(seg.end_frame - seg.start_frame, rate),
        "track": seg.track_label,
        "clip": clean(seg.clip),
        "media": clean(seg.media),
        "description": clean(record.get("description")),
        "ai_class": clean(seg.ai_class),
        "tool": _tool(record),
        "prompt_ref": clean(record.get("prompt_ref")),
        "operator": clean(record.get("operator")),
        "ingredients": "; ".join(_ingredient(i) for i in record.get("ingredients") or []
                                 if isinstance(i, dict)),
        "people": "; ".join(_person(p) for p in record.get("people") or [] if isinstance(p, dict)),
        "use": clean(record.get("use")),
        "status": seg.status,
        "approver": f"{clean(decision.approver)} ({clean(decision.role)})" if decision else "",
        "date": clean(decision.time) if decision else "",
        "on_screen": yes if on_screen else no,
        "c2pa": _c2pa(seg),
    }


def _tool(record: UsageRecord) -> str:
    tool = record.get("tool") or {}
    if not isinstance(tool, dict):
        return ""
    name = " ".join(clean(tool.get(k)) for k in ("product", "version") if clean(tool.get(k)))
    vendor = clean(tool.get("vendor"))
    return f"{name} ({vendor})" if name and vendor else name or vendor


def _ingredient(item: Ingredient) -> str:
    rights = ", ".join(clean(item.get(k)) for k in ("rights", "rights_holder") if clean(item.get(k)))
    desc = clean(item.get("description"))
    return f"{desc} ({rights})" if rights else desc


def _person(person: Person) -> str:
    consent = clean((person.get("consent") or {}).get("status")) or "unknown"
    return f"{clean(person.get('name'))} ({consent})"


def _c2pa(seg: Segment) -> str:
    for ev in seg.evidence:
        if ev.get("kind") == "c2pa":
            return clean(ev.get("validation_state") or ev.get("state") or "present")
    return ""


def safe_cell(value: str) -> str:
    # a cell starting with = + - @ runs as a formula in spreadsheet apps (CSV injection)
    return "'" + value if value.startswith(FORMULA_START) else value
