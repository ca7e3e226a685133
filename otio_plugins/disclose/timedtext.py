"""SRT, WebVTT and IMSC 1.1 Text TTML from label events, through ttconv's model and writers.

The events become one ttconv ContentDocument (one region at the profile's position, one
``p`` per event); each writer serialises it. Times are media time from the first frame
of the timeline (00:00:00), which is how players time a sidecar file; TTML is written in
frames at the timeline's exact rate.
"""

from __future__ import annotations

import xml.etree.ElementTree as et
from collections.abc import Callable, Iterable, Sequence

from ttconv import model
from ttconv.imsc import writer as imsc_writer
from ttconv.imsc.attributes import TimeExpressionSyntaxEnum
from ttconv.imsc.config import IMSCWriterConfiguration
from ttconv.srt import writer as srt_writer
from ttconv.style_properties import (
    ColorType,
    CoordinateType,
    DisplayAlignType,
    ExtentType,
    LengthType,
    StyleProperties,
    TextAlignType,
)
from ttconv.vtt import writer as vtt_writer
from ttconv.vtt.config import VTTWriterConfiguration

from aiclear.disclose.events import LabelEvent, events_for
from aiclear.disclose.settings import ProfileLike, settings
from aiclear.disclose.timing import exact_rate
from aiclear.model import TimelineResult

PCT = LengthType.Units.pct
#: position -> (origin x, origin y, text align, display align), regions 45% x 30% of the frame
REGIONS: dict[str, tuple[float, float, TextAlignType, DisplayAlignType]] = {
    "top-right": (50, 5, TextAlignType.end, DisplayAlignType.before),
    "top-left": (5, 5, TextAlignType.start, DisplayAlignType.before),
    "bottom-right": (50, 65, TextAlignType.end, DisplayAlignType.after),
    "bottom-left": (5, 65, TextAlignType.start, DisplayAlignType.after),
    "bottom-center": (27.5, 65, TextAlignType.center, DisplayAlignType.after),
}
TTP = "http://www.w3.org/ns/ttml#parameter"
IMSC11_TEXT = "http://www.w3.org/ns/ttml/profile/imsc1.1/text"
BATCH = 32  # events per ttconv SRT/VTT document (see _batches)
BACKDROP = ColorType((0, 0, 0, 160))  # legible over any picture


def document(events: Sequence[LabelEvent], lang: str, position: str,
             escape: Callable[[str], str] = lambda s: s) -> model.ContentDocument:
    """A ttconv document with one paragraph per event (``escape`` applies to text only)."""
    doc = model.ContentDocument()
    doc.set_lang(lang)
    region = _region(doc, position)
    body = model.Body(doc)
    div = model.Div(doc)
    body.push_child(div)
    doc.set_body(body)
    for event in events:
        para = model.P(doc)
        para.set_id(f"ai{event.number}")
        para.set_region(region)
        para.set_begin(event.start)
        para.set_end(event.end)
        for index, line in enumerate(event.lines):
            if index:
                para.push_child(model.Br(doc))
            span = model.Span(doc)
            span.set_style(StyleProperties.BackgroundColor, BACKDROP)
            span.push_child(model.Text(doc, escape(line)))
            para.push_child(span)
        div.push_child(para)
    return doc


def to_srt(result: TimelineResult, profile: ProfileLike = None, lang: str | None = None) -> str:
    events, code, position = _prepare(result, profile, lang)

    def write(batch: Sequence[LabelEvent]) -> str:
        # SRT has no escape syntax: an arrow in the text would read as a timing line
        doc = document(batch, code, position, lambda s: s.replace("-->", "->"))
        return str(srt_writer.from_model(doc))

    return _join(_cues(write(b)) for b in _batches(events))


def to_vtt(result: TimelineResult, profile: ProfileLike = None, lang: str | None = None) -> str:
    events, code, position = _prepare(result, profile, lang)
    config = VTTWriterConfiguration(line_position=True, text_align=True, cue_id=True)

    def write(batch: Sequence[LabelEvent]) -> str:
        # ttconv's VTT writer copies text verbatim; WebVTT needs &, < and > escaped
        return str(vtt_writer.from_model(document(batch, code, position, _vtt_escape), config))

    outputs = [write(b) for b in _batches(events)] or [write([])]
    header = [block for block in outputs[0].split("\n\n") if block and "-->" not in block]
    cues = _join(_cues(out) for out in outputs)
    return "\n\n".join(header) + "\n\n" + cues


def _batches(events: Sequence[LabelEvent]) -> list[Sequence[LabelEvent]]:
    """ttconv builds one ISD per cue over the whole document (quadratic in cues): the SRT
    and VTT writers get the events a batch at a time, and the batches are joined."""
    return [events[i:i + BATCH] for i in range(0, len(events), BATCH)]


def _cues(text: str) -> list[list[str]]:
    """The cue blocks of a writer's output, each as lines without its number."""
    blocks = [b.split("\n") for b in text.split("\n\n") if "-->" in b]
    return [lines[1:] if "-->" not in lines[0] else lines for lines in blocks]


def _join(batches: Iterable[list[list[str]]]) -> str:
    """Number the cues of every batch in one sequence, as the writers would."""
    cues = [cue for batch in batches for cue in batch]
    blocks = [f"{n}\n" + "\n".join(line for line in cue if line) for n, cue in enumerate(cues, 1)]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def to_ttml(result: TimelineResult, profile: ProfileLike = None, lang: str | None = None) -> str:
    events, code, position = _prepare(result, profile, lang)
    doc = document(events, code, position)
    config = IMSCWriterConfiguration(
        time_format=TimeExpressionSyntaxEnum.frames,
        fps=exact_rate(result.rate),
    )
    root = imsc_writer.from_model(doc, config).getroot()
    # ttconv signals profiles it infers from styling, which is none here: name ours
    root.set(f"{{{TTP}}}contentProfiles", IMSC11_TEXT)
    body = et.tostring(root, encoding="unicode", xml_declaration=False)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _prepare(result: TimelineResult, profile: ProfileLike, lang: str | None
             ) -> tuple[list[LabelEvent], str, str]:
    conf = settings(profile)
    code = lang or conf.language
    return events_for(result, profile, code), code, conf.position


def _region(doc: model.ContentDocument, position: str) -> model.Region:
    x, y, text_align, display_align = REGIONS[position]
    region = model.Region("aiclear", doc)
    region.set_style(StyleProperties.Origin, CoordinateType(LengthType(x, PCT), LengthType(y, PCT)))
    region.set_style(StyleProperties.Extent,
                     ExtentType(height=LengthType(30, PCT), width=LengthType(45, PCT)))
    region.set_style(StyleProperties.TextAlign, text_align)
    region.set_style(StyleProperties.DisplayAlign, display_align)
    doc.put_region(region)
    return region


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
