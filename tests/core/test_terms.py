"""Word-bounded AI terms: the names the baseline profile must catch, and the decoys."""

from __future__ import annotations

import pytest

from aiclear.detect.terms import TermMatcher, tokens
from aiclear.policy.profile import load_profile


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    return TermMatcher(load_profile("baseline").section("detect"))


@pytest.mark.parametrize("name", [
    "GENAI_skyline_v2", "AI_GEN_INSERT_2", "synthetic_crowd_fill", "Midjourney_matte",
    "ElevenLabs_VO_take3", "elevenlabs_vo", "SORA2_beach", "sora_2_beach", "veo3_city",
    "Kling_2_1_chase", "firefly_gen_sky", "Pika_2_2_insert", "luma_ai_dream", "AiGenerated_bg",
    "shot_ai_v1", "DALL-E_poster", "text to video test", "gen-ai plate",
])
def test_ai_names_match(matcher: TermMatcher, name: str) -> None:
    assert matcher.match(name, filename=True) is not None


@pytest.mark.parametrize("name", [
    "Hawaii", "Aidan", "MAIN_TITLE", "trailer", "RAIN", "PAID", "Raina", "training",
    "FAIRGROUND", "CHAIR", "AIRPORT", "logo.ai", "LOGO.AI", "Sora_interview", "Luma_grade",
    "firefly_sequence", "runway_walk", "NO_AI_USED", "non-AI plate", "SC01_TK03.mov",
    "Kaiser_Wilhelm", "MAIDEN_voyage", "Thailand", "Dubai_skyline",
    "fill_light_pass", "Trust_fill", "extend_shot_2s", "face_cam", "no generative fill",
])
def test_decoys_do_not_match(matcher: TermMatcher, name: str) -> None:
    assert matcher.match(name, filename=True) is None


@pytest.mark.parametrize(("text", "term"), [
    ("AI GENERATED BACKGROUND PLATE", "AI"),
    ("AI", "AI"),
    ("GENAI", "GENAI"),
    ("machine generated crowd", "machine generated"),
    # the tools' own feature names, as editors write them in markers and notes
    ("Generative Fill (Firefly) on the sky", "Generative Fill"),
    ("gen fill sign removed", "gen fill"),
    ("Generative Extend +2s", "Generative Extend"),
    ("generative expand to 2.39", "generative expand"),
    ("face swap test", "face swap"),
    ("TTS temp VO", "TTS"),
    ("text to speech scratch", "text to speech"),
    ("faceswap_v3", "faceswap"),
])
def test_comment_and_marker_terms(matcher: TermMatcher, text: str, term: str) -> None:
    hit = matcher.match(text)
    assert hit is not None
    assert hit.term == term


def test_tool_match_names_the_tool(matcher: TermMatcher) -> None:
    hit = matcher.match("ElevenLabs_VO_take3.wav", filename=True)
    assert hit is not None
    assert hit.tool == {"product": "ElevenLabs", "vendor": "ElevenLabs"}
    sora = matcher.match("SORA2_beach")
    assert sora is not None and sora.tool is not None and sora.tool["vendor"] == "OpenAI"


def test_extension_is_only_stripped_for_file_names(matcher: TermMatcher) -> None:
    assert matcher.match("logo.ai", filename=True) is None
    assert matcher.match("render.ai.mov", filename=True) is not None  # .mov stripped, .ai is a word


def test_tokens_split_case_digits_and_separators() -> None:
    assert tokens("GENAIShot_v2") == ["GENAI", "Shot", "v", "2"]
    assert tokens("AiGen-take3") == ["Ai", "Gen", "take", "3"]
    assert tokens("Hawaii") == ["Hawaii"]
