"""Credits, cue sheet, Avid locators, the OTIO overlay and the language templates."""

from __future__ import annotations

import csv
import io
import json
import string
from html.parser import HTMLParser

import opentimelineio as otio
import pytest

from aiclear.disclose import credit_block, cue_sheet, events_for, languages, overlay_timeline
from aiclear.disclose.credits import to_json, to_markdown, to_txt
from aiclear.disclose.cuesheet import COLUMNS, to_csv, to_html
from aiclear.disclose.locators import to_avid_locators
from aiclear.disclose.templates import _load
from aiclear.errors import UsageError
from aiclear.scan.core import scan_timeline
from aiclear.scan.settings import ScanSettings
from tests.disclose.builders import result_for, sample_timeline

ALL = {"on_screen": "all"}


def test_credits_group_by_tool_with_uses_operators_sources_and_consent(sample):
    block = credit_block(sample, ALL)
    names = [t.name for t in block.tools]
    assert names == ["Gen-3 Alpha 2024.06 by Runway", "Midjourney 6.1", "Voice Lab 2 by ElevenLabs"]
    runway = block.tools[0]
    assert runway.uses == ("reconstructions of archival material", "key creative elements")
    assert runway.operators == ("Ana Ruiz",)
    assert runway.sources == ("City Archive",)
    assert runway.segments == 2
    assert block.consents == ("Voice of Jean Dupont recreated with AI, used with consent",)
    assert block.statement.endswith("These sequences are identified on screen.")
    text = to_txt(block)
    assert text.startswith("Generative AI\n\nGenerative AI tools used in this programme:\n")


def test_credits_never_claim_consent_that_is_not_granted(sample):
    voice = next(s for s in sample.segments if s.clip == "voice_narrator")
    voice.record["people"][0]["consent"] = {"status": "required_pending"}
    block = credit_block(sample, ALL)
    assert block.consents == ()
    assert "Dupont" not in to_txt(block)


def test_credit_opt_out_and_statement_without_on_screen_labels(sample):
    for seg in sample.segments:
        if seg.record["tool"]["vendor"] == "Midjourney":
            seg.record["disclosure"] = {"credit": False}
    block = credit_block(sample, {"on_screen": "none"})
    assert [t.product for t in block.tools] == ["Gen-3 Alpha", "Voice Lab"]
    assert block.statement == ("This programme contains material created or altered with "
                               "generative AI.")


def test_credits_json_and_markdown_escape(sample):
    sample.segments[0].record["operator"] = "[click](http://evil) <b>*x*</b>"
    block = credit_block(sample, ALL, "fr")
    data = json.loads(to_json(block))
    assert data["aiclear_credits"] == 1
    assert data["lang"] == "fr"
    assert data["tools"][0]["operators"] == ["[click](http://evil) <b>*x*</b>"]
    md = to_markdown(block)
    assert "\\[click\\](http://evil) \\<b\\>\\*x\\*\\</b\\>" in md
    assert md.startswith("## IA générative")


def test_unknown_tool_and_no_segments(sample):
    sample.segments[0].record["tool"] = {}
    assert credit_block(sample, ALL).tools[0].name == "Undeclared tool"
    sample.segments.clear()
    assert to_txt(credit_block(sample, ALL)) == ""


def test_cue_sheet_has_one_complete_row_per_segment(scanned, documentary):
    sheet = cue_sheet(scanned, documentary)
    rows = list(csv.reader(io.StringIO(to_csv(sheet))))
    assert len(rows) == 1 + len(scanned.segments)
    header = dict(zip(COLUMNS, rows[0], strict=True))
    assert header["tc_in"] == "TC in"
    assert header["prompt_ref"] == "Prompt ref"
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first == first | {"number": "1", "tc_in": "01:00:01:00", "tc_out": "01:00:03:00",
                             "duration": "00:00:02:00", "track": "V2", "clip": "ai_city",
                             "prompt_ref": "PR-001", "operator": "Ana Ruiz",
                             "ingredients": "1962 street photo (licensed, City Archive)",
                             "status": "provisional", "on_screen": "yes"}


def test_cue_sheet_shows_the_approver_of_cleared_segments(sample):
    rows = {r["clip"]: r for r in cue_sheet(sample, ALL).rows}
    assert rows["ai_crowd"]["approver"] == "Maya Legal (legal)"
    assert rows["ai_crowd"]["date"] == "2026-11-20T10:00:00Z"
    assert rows["ai_city"]["approver"] == ""


def test_cue_sheet_csv_defuses_formulas_and_html_escapes():
    result = result_for(sample_timeline({"ai_city": "=cmd|' /C calc'!A0",
                                         "ai_map": "<script>alert(1)</script>"}))
    sheet = cue_sheet(result, ALL)
    rows = list(csv.reader(io.StringIO(to_csv(sheet))))
    assert rows[1][5] == "'=cmd|' /C calc'!A0"
    html = to_html(sheet)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    cells: list[str] = []

    class Cells(HTMLParser):
        def handle_data(self, data: str) -> None:
            cells.append(data)

    Cells().feed(html)
    assert "<script>alert(1)</script>" in cells  # the text survives, as text


def test_avid_locators_one_tab_row_per_event(sample):
    rows = [r.split("\t") for r in to_avid_locators(sample, ALL).splitlines()]
    events = events_for(sample, ALL)
    assert len(rows) == len(events)
    assert all(len(r) == 5 for r in rows)
    assert rows[0][:4] == ["aiclear", "01:00:01:00", "V1", "red"]
    assert rows[0][4].startswith("AI GENERATED / Not an archival photograph")


def test_overlay_adds_a_text_track_and_markers_without_touching_the_input(scanned, documentary):
    before = otio.adapters.write_to_string(scanned.timeline, "otio_json")
    tl = overlay_timeline(scanned, documentary)
    assert otio.adapters.write_to_string(scanned.timeline, "otio_json") == before
    track = tl.tracks[-1]
    assert track.name == "AI disclosure"
    assert track.kind == otio.schema.TrackKind.Video
    events = events_for(scanned, documentary)
    clips = list(track.find_clips())
    assert len(clips) == len(events) == len(tl.tracks.markers)
    for item, event in zip(clips, events, strict=True):
        placed = item.range_in_parent()
        assert placed.start_time.value == event.start_frame
        assert placed.end_time_exclusive().value == event.end_frame
        assert isinstance(item.media_reference, otio.schema.GeneratorReference)
        assert item.media_reference.parameters["text"] == event.text
    # the labels are not mistaken for AI clips by a re-scan
    again = scan_timeline(tl, ScanSettings(profile=documentary))
    assert len(again.segments) == len(scanned.segments)
    round_trip = otio.adapters.read_from_string(otio.adapters.write_to_string(tl, "otio_json"),
                                                "otio_json")
    assert round_trip.tracks[-1].name == "AI disclosure"


def test_overlay_needs_the_timeline(sample):
    sample.timeline = None
    with pytest.raises(UsageError, match="needs the scanned timeline"):
        overlay_timeline(sample, ALL)


def test_every_language_has_every_key_and_the_same_fields():
    assert set(languages()) >= {"en", "fr", "de", "es", "ja"}
    english = _load("en")

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for lang in languages():
        data = _load(lang)
        assert data["language"] == lang
        for section, entries in english.items():
            if not isinstance(entries, dict):
                continue
            for key, text in entries.items():
                value = data.get(section, {}).get(key)
                assert isinstance(value, str), f"{lang}: {section}.{key}"
                assert value.strip(), f"{lang}: {section}.{key}"
                assert fields(value) == fields(text), f"{lang}: {section}.{key} fields"
