"""Golden files for every text format (tests/disclose/golden/).

After an intended change of wording or layout, regenerate them and review the diff:

    AICLEAR_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/disclose/test_golden.py

Rendered formats (credits-png, credits-mov, burn-in) depend on the installed ffmpeg and
fonts, so test_render.py checks their pixels instead of bytes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aiclear.disclose import TEXT_FORMATS, write_text
from aiclear.policy.profile import load_profile
from tests.disclose.builders import result_for, sample_timeline

GOLDEN = Path(__file__).parent / "golden"
REGEN = bool(os.environ.get("AICLEAR_REGEN_GOLDEN"))
HOSTILE = {"ai_city": "city's: C:\\temp %{pts}; <b>&amp;\nline two",
           "ai_map": "=HYPERLINK(\"http://x\")"}
HOSTILE_PERSON = "Jo <i>&-->"
SUFFIX = {"srt": "srt", "vtt": "vtt", "ttml": "ttml", "otio": "otio",
          "avid-locators": "txt", "credits-txt": "txt", "credits-md": "md",
          "credits-json": "json", "cuesheet-csv": "csv", "cuesheet-html": "html"}

CASES = [(fmt, "documentary", "en", False) for fmt in TEXT_FORMATS] + [
    ("srt", "eu-ai-act", "en", False),
    ("ttml", "documentary", "fr", False),
    ("vtt", "documentary", "ja", False),
    ("srt", "documentary", "de", False),
    ("credits-md", "documentary", "es", False),
    ("credits-txt", "documentary", "ja", False),
    ("cuesheet-csv", "documentary", "fr", False),
    ("cuesheet-csv", "documentary", "en", True),
    ("cuesheet-html", "documentary", "en", True),
    ("vtt", "documentary", "en", True),
    ("srt", "documentary", "en", True),
    ("ttml", "documentary", "en", True),
    ("credits-md", "documentary", "en", True),
    ("avid-locators", "documentary", "en", True),
]


def _name(fmt: str, profile: str, lang: str, hostile: bool) -> str:
    tail = "-hostile" if hostile else ""
    return f"{fmt}.{profile}.{lang}{tail}.{SUFFIX[fmt]}"


@pytest.mark.parametrize(("fmt", "profile", "lang", "hostile"), CASES,
                         ids=[_name(*c) for c in CASES])
def test_matches_golden(fmt: str, profile: str, lang: str, hostile: bool) -> None:
    tl = (sample_timeline(HOSTILE, HOSTILE_PERSON) if hostile else sample_timeline())
    result = result_for(tl, cleared=("ai_crowd",))
    text = write_text(fmt, result, load_profile(profile), lang)
    path = GOLDEN / _name(fmt, profile, lang, hostile)
    if REGEN:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    assert path.is_file(), f"missing {path.name}: run with AICLEAR_REGEN_GOLDEN=1 and review it"
    with path.open(encoding="utf-8", newline="") as fh:
        assert text == fh.read()


def test_every_format_has_a_golden_file() -> None:
    covered = {fmt for fmt, *_ in CASES}
    assert covered == set(TEXT_FORMATS)
