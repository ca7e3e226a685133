"""The production AI register: YAML and CSV forms, every match key, one-line errors."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.detect.register import load_register
from aiclear.errors import RegisterError
from aiclear.scan.core import scan_timeline
from aiclear.scan.settings import SettingsSpec

RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange


def _timeline() -> otio.schema.Timeline:
    def clip(name: str, url: str, reel: str | None = None) -> otio.schema.Clip:
        c = otio.schema.Clip(name, media_reference=otio.schema.ExternalReference(url),
                             source_range=TR(RT(0, 24), RT(24, 24)))
        if reel:
            c.metadata["cmx_3600"] = {"reel": reel}
        return c

    tl = otio.schema.Timeline("r")
    tl.tracks.append(otio.schema.Track("V1", children=[
        clip("SC01", "file:///plates/plate_0420.mov"),
        clip("SC02", "file:///vfx/comp_017_v003.exr"),
        clip("SC03", "file:///m/SC03.mov", reel="A047C003"),
        clip("Hero_Insert", "file:///m/hero.mov"),
        clip("SC05", "file:///m/SC05.mov"),
    ]))
    return tl


YAML = """aiclear_register: 1
production: Test Show
assets:
  - match: {file: plate_0420.mov}
    tool: Runway Gen-4
    vendor: Runway
    use: background_element
    source_type: trainedAlgorithmicMedia
  - match: {glob: "*/vfx/comp_*"}
    tool: Firefly
    source_type: https://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia
  - match: {reel: a047c003}
    use: vfx_element
  - match: {clip: Hero_Insert}
    use: digital_replica
"""


def test_yaml_register_matches_file_glob_reel_and_clip(tmp_path: Path) -> None:
    reg = tmp_path / "register.yaml"
    reg.write_text(YAML)
    settings = SettingsSpec("baseline", (str(reg),))()
    result = scan_timeline(_timeline(), settings)
    got = {s.clip: (s.ai_class, s.record.get("use"), s.record.get("source_type"))
           for s in result.segments}
    assert got == {
        "SC01": ("generated", "background_element",
                 "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"),
        "SC02": ("edited", None,
                 "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"),
        "SC03": ("generated", "vfx_element", None),
        "Hero_Insert": ("generated", "digital_replica", None),
    }
    first = result.segments[0]
    assert first.record["tool"] == {"product": "Runway Gen-4", "vendor": "Runway"}
    assert first.record["production"] == "Test Show"
    assert first.evidence[0]["detail"] == "register.yaml:4 matches file plate_0420.mov"


def test_csv_register(tmp_path: Path) -> None:
    reg = tmp_path / "register.csv"
    reg.write_text("file,glob,tool,vendor,use,source_type\n"
                   "plate_0420.mov,,Runway Gen-4,Runway,background_element,trainedAlgorithmicMedia\n"
                   ",*.exr,Nuke Copycat,Foundry,vfx_element,compositeWithTrainedAlgorithmicMedia\n")
    result = scan_timeline(_timeline(), SettingsSpec("baseline", (str(reg),))())
    assert [(s.clip, s.record["use"]) for s in result.segments] == [
        ("SC01", "background_element"), ("SC02", "vfx_element")]
    assert result.segments[1].evidence[0]["detail"].startswith("register.csv:3 matches glob")


def test_sha256_match(tmp_path: Path) -> None:
    from aiclear.detect.register import Register

    reg = tmp_path / "r.yaml"
    digest = "ab" * 32
    reg.write_text(f"aiclear_register: 1\nassets:\n  - match: {{sha256: 'sha256:{digest.upper()}'}}\n")
    loaded: Register = load_register(reg)
    assert [e.label for e, _ in loaded.match(sha256=digest)] == ["r.yaml:3"]


@pytest.mark.parametrize(("text", "place", "expected"), [
    ("aiclear_register: 1\nassets:\n  - match: {file: a.mov}\n    use: spaceship\n",
     ":4:", "one of: temp_placeholder"),
    ("aiclear_register: 1\nassets:\n  - tool: X\n", ":3:", "match"),
    ("aiclear_register: 2\nassets: []\n", ":1:", "1"),
    ("aiclear_register: 1\nassets:\n  - match: {file: a.mov\n", ":4:", "AI register"),
    ("aiclear_register: 1\nassets:\n  - !!python/object/apply:os.system ['true']\n", ":3:", "AI register"),
])
def test_bad_register_is_one_line_with_file_and_line(tmp_path: Path, text: str, place: str,
                                                     expected: str) -> None:
    reg = tmp_path / "bad.yaml"
    reg.write_text(text)
    with pytest.raises(RegisterError) as err:
        load_register(reg)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{reg}{place}")
    assert expected in message


def test_bad_csv_column(tmp_path: Path) -> None:
    reg = tmp_path / "bad.csv"
    reg.write_text("file,colour\na.mov,red\n")
    with pytest.raises(RegisterError, match=r"unknown column 'colour'.*expected columns among"):
        load_register(reg)
