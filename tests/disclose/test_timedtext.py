"""Timed text: IMSC 1.1 TTML structure and times, SRT/WebVTT read back by ttconv's readers."""

from __future__ import annotations

import io
import xml.etree.ElementTree as et
from fractions import Fraction

from ttconv.srt import reader as srt_reader
from ttconv.vtt import reader as vtt_reader

from aiclear.disclose import events_for, labelled_segments
from aiclear.disclose.timedtext import to_srt, to_ttml, to_vtt
from tests.disclose.builders import many, result_for, sample_timeline

TT = "http://www.w3.org/ns/ttml"
TTP = "http://www.w3.org/ns/ttml#parameter"
TTS = "http://www.w3.org/ns/ttml#styling"
IMSC11_TEXT = "http://www.w3.org/ns/ttml/profile/imsc1.1/text"


def _frames(value: str) -> int:
    assert value.endswith("f"), value
    return int(value[:-1])


def test_ttml_is_imsc_xml_with_a_cue_from_each_segments_first_frame(scanned, documentary):
    root = et.fromstring(to_ttml(scanned, documentary).encode("utf-8"))
    assert root.tag == f"{{{TT}}}tt"
    assert root.get(f"{{{TTP}}}contentProfiles") == IMSC11_TEXT
    assert root.get(f"{{{TTP}}}frameRate") == "24"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    region = root.find(f"{{{TT}}}head/{{{TT}}}layout/{{{TT}}}region")
    assert region is not None
    assert region.get(f"{{{TTS}}}origin") == "50% 5%"
    paras = root.findall(f".//{{{TT}}}body/{{{TT}}}div/{{{TT}}}p")
    cues = [(_frames(p.get("begin", "")), _frames(p.get("end", ""))) for p in paras]
    assert cues == sorted(cues)
    starts = {s.start_frame for s in scanned.segments}
    assert {b for b, _ in cues} <= starts
    for seg in scanned.segments:
        inside = [(b, e) for b, e in cues if b <= seg.start_frame < e]
        assert len(inside) == 1, seg.clip
        assert inside[0][1] >= seg.end_frame
    texts = ["".join(p.itertext()) for p in paras]
    assert texts[0].startswith("AI GENERATED")


def test_ttml_times_are_exact_at_ntsc_rate():
    result = result_for(sample_timeline())
    result.rate = 24000 / 1001
    root = et.fromstring(to_ttml(result, {"on_screen": "all"}).encode("utf-8"))
    assert root.get(f"{{{TTP}}}frameRate") == "24"
    assert root.get(f"{{{TTP}}}frameRateMultiplier") == "1000 1001"
    first = root.find(f".//{{{TT}}}p")
    assert first is not None
    assert first.get("begin") == "24f"


def _texts(node) -> list[str]:
    value = getattr(node, "get_text", None)
    if value is not None:
        return [value()]
    return [t for child in node for t in _texts(child)]


def test_srt_reads_back_with_the_event_times(sample):
    profile = {"on_screen": "all"}
    events = events_for(sample, profile)
    doc = srt_reader.to_model(io.StringIO(to_srt(sample, profile)))
    paras = list(doc.get_body().first_child())
    assert len(paras) == len(events)
    for para, event in zip(paras, events, strict=True):
        assert para.get_begin() == event.start
        assert abs(para.get_end() - event.end) < Fraction(1, 1000)  # SRT keeps milliseconds
        assert "".join(_texts(para)).replace("\n", "") == "".join(event.lines)


def test_vtt_reads_back_escaped_text_literally():
    tl = sample_timeline(person="Jo <i>&-->")
    result = result_for(tl)
    profile = {"on_screen": "all"}
    text = to_vtt(result, profile)
    assert "Jo &lt;i&gt;&amp;--&gt;" in text
    doc = vtt_reader.to_model(io.StringIO(text))
    read = ["".join(_texts(p)) for p in doc.get_body().first_child()]
    assert any("Jo <i>&-->" in t for t in read)
    assert len(read) == len(events_for(result, profile))


def test_srt_text_cannot_forge_a_timing_line():
    result = result_for(sample_timeline(person="Jo 00:00:01,000 --> 00:00:02,000"))
    profile = {"on_screen": "all", "reading_speed_cps": 0}
    text = to_srt(result, profile)
    assert text.count("-->") == len(events_for(result, profile))


def test_every_language_writes_every_timed_text_format(sample):
    for lang in ("en", "fr", "de", "es", "ja"):
        for writer in (to_srt, to_vtt, to_ttml):
            out = writer(sample, {"on_screen": "all"}, lang)
            assert out.strip()
    assert "AI生成" in to_ttml(sample, {"on_screen": "all"}, "ja")
    assert 'xml:lang="ja"' in to_ttml(sample, {"on_screen": "all"}, "ja")


def test_nothing_to_label_writes_valid_empty_files(sample):
    profile = {"on_screen": "none"}
    assert labelled_segments(sample, profile) == {}
    assert to_srt(sample, profile) == ""
    assert to_vtt(sample, profile).startswith("WEBVTT")
    root = et.fromstring(to_ttml(sample, profile).encode("utf-8"))
    assert root.findall(f".//{{{TT}}}p") == []


def test_batched_srt_and_vtt_equal_one_ttconv_document():
    from ttconv.srt import writer as srt_writer
    from ttconv.vtt import writer as vtt_writer
    from ttconv.vtt.config import VTTWriterConfiguration

    from aiclear.disclose.timedtext import BATCH, _vtt_escape, document

    result = many(BATCH * 2 + 5)
    profile = {"on_screen": "all"}
    events = events_for(result, profile)
    assert len(events) == BATCH * 2 + 5
    whole = document(events, "en", "top-right", lambda s: s.replace("-->", "->"))
    assert to_srt(result, profile) == srt_writer.from_model(whole)
    config = VTTWriterConfiguration(line_position=True, text_align=True, cue_id=True)
    whole_vtt = document(events, "en", "top-right", _vtt_escape)
    assert to_vtt(result, profile) == vtt_writer.from_model(whole_vtt, config)
