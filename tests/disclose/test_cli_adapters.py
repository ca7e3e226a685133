"""``aiclear disclose`` / ``aiclear burnin`` end to end, and the write-only OTIO adapters."""

from __future__ import annotations

import json
import os
from pathlib import Path

import av
import opentimelineio as otio
import pytest

from aiclear.cli import main
from aiclear.disclose import FORMATS, TEXT_FORMATS
from tests.disclose.builders import sample_timeline

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "adapters" / "plugin_manifest.json"


@pytest.fixture
def cut(tmp_path: Path) -> Path:
    path = tmp_path / "cut.otio"
    sample_timeline().to_json_file(str(path))  # a fixture, not a deliverable: no export gate
    return path


@pytest.mark.parametrize("fmt", list(TEXT_FORMATS))
def test_disclose_writes_every_text_format(cut, tmp_path, fmt, capsys):
    out = tmp_path / f"out.{fmt}"
    assert main(["disclose", str(cut), "--format", fmt, "--profile", "documentary",
                 "-o", str(out)]) == 0
    text = out.read_bytes().decode("utf-8")
    assert text.strip()
    assert main(["disclose", str(cut), "--format", fmt, "--profile", "documentary",
                 "-o", "-"]) == 0
    assert capsys.readouterr().out == text


def test_disclose_language_and_profile_change_the_output(cut, capsys):
    assert main(["disclose", str(cut), "--format", "srt", "--profile", "eu-ai-act",
                 "--lang", "ja", "-o", "-"]) == 0
    text = capsys.readouterr().out
    assert "AI生成" in text  # the deep fake: full label
    assert "\nAI\n" in text  # the rest: limited


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["credits-png", "credits-mov"])
def test_disclose_renders_the_credit_card(cut, tmp_path, fmt, ffmpeg_bin):
    out = tmp_path / ("card.png" if fmt == "credits-png" else "card.mov")
    assert main(["disclose", str(cut), "--format", fmt, "-o", str(out)]) == 0
    with av.open(str(out)) as container:
        assert container.streams.video[0].codec_context.width == 1920


def test_disclose_refuses_to_overwrite_its_input_or_a_device(cut, capsys):
    before = cut.read_bytes()
    assert main(["disclose", str(cut), "--format", "srt", "-o", str(cut)]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert cut.read_bytes() == before
    assert main(["disclose", str(cut), "--format", "srt", "-o", "/dev/stdout"]) == 2
    assert "use -o - for stdout" in capsys.readouterr().err
    assert os.path.islink("/dev/stdout")


def test_disclose_bad_inputs_are_one_line_errors(tmp_path, cut, capsys):
    assert main(["disclose", str(tmp_path / "none.otio"), "--format", "srt",
                 "-o", str(tmp_path / "x.srt")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "none.otio" in err
    assert main(["disclose", str(cut), "--format", "srt", "--lang", "kl",
                 "-o", str(tmp_path / "x.srt")]) == 2
    assert "no disclosure templates for language 'kl'" in capsys.readouterr().err
    assert main(["disclose", str(cut), "--format", "nope", "-o", "x"]) == 2
    assert main(["disclose", str(cut), "--format", "credits-png", "-o", "-"]) == 2
    assert not (tmp_path / "x.srt").exists()


def test_disclose_formats_match_the_brief():
    assert set(FORMATS) == {"srt", "vtt", "ttml", "otio", "avid-locators", "credits-txt",
                            "credits-md", "credits-json", "cuesheet-csv", "cuesheet-html",
                            "credits-png", "credits-mov"}


def test_burnin_command(cut, tmp_path, reference_movie, capsys):
    out = tmp_path / "review.mov"
    assert main(["burnin", str(cut), "--reference", str(reference_movie), "--profile",
                 "documentary", "--lang", "fr", "-o", str(out)]) == 0
    with av.open(str(out)) as container:
        assert container.streams.audio  # the reference's sound is kept
        assert sum(1 for _ in container.decode(video=0)) == 20 * 24
    assert main(["burnin", str(cut), "--reference", str(reference_movie),
                 "-o", str(reference_movie)]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err


def _adapters() -> dict[str, otio.adapters.Adapter]:
    manifest = otio.plugins.manifest.manifest_from_file(str(MANIFEST))
    return {a.name: a for a in manifest.adapters}


def test_manifest_lists_write_only_adapters_with_suffixes():
    adapters = _adapters()
    suffixes = {name: tuple(a.suffixes) for name, a in adapters.items()}
    assert suffixes == {"aiclear_srt": ("srt",), "aiclear_vtt": ("vtt",),
                        "aiclear_ttml": ("ttml",), "aiclear_cuesheet": ("csv",),
                        "aiclear_cuesheet_html": ("html",)}
    for adapter in adapters.values():
        assert adapter.has_feature("write_to_string")
        assert not adapter.has_feature("read_from_file")


@pytest.mark.parametrize(("name", "marker"), [
    ("aiclear_srt", "00:00:01,000 --> "), ("aiclear_vtt", "WEBVTT"),
    ("aiclear_ttml", "imsc1.1/text"), ("aiclear_cuesheet", "01:00:01:00"),
    ("aiclear_cuesheet_html", "<table>")])
def test_adapters_scan_and_write(name, marker, tmp_path):
    adapter = _adapters()[name]
    text = adapter.write_to_string(sample_timeline(), profile="documentary", lang="en")
    assert marker in text
    out = tmp_path / f"out.{adapter.suffixes[0]}"
    adapter.write_to_file(sample_timeline(), str(out), profile="documentary")
    assert out.read_bytes().decode("utf-8") == text


def test_adapter_profile_and_language_arguments():
    adapter = _adapters()["aiclear_srt"]
    ja = adapter.write_to_string(sample_timeline(), profile="eu-ai-act", lang="ja")
    assert "AI生成" in ja
    baseline = adapter.write_to_string(sample_timeline())
    assert "AI GENERATED" in baseline
    data = json.loads(MANIFEST.read_text())
    assert data["OTIO_SCHEMA"] == "PluginManifest.1"
