"""``aiclear check`` and ``aiclear tag`` in process, and once through the console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jsonschema
import opentimelineio as otio
import pytest

from aiclear.cli import main
from tests.conftest import SAMPLES

REGISTER = str(SAMPLES / "register.yaml")


def _schema() -> dict:
    text = (resources.files("aiclear.resources") / "schemas" / "report.schema.json").read_text()
    return json.loads(text)


def test_exit_0_when_nothing_blocks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SAMPLES / "clean_cut.otio"), str(SAMPLES / "decoy_names.otio")]) == 0
    out = capsys.readouterr().out
    assert "2 timeline(s), profile baseline: 2 pass, 0 blocked, 0 error" in out


def test_exit_1_when_blocked_and_text_names_segments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SAMPLES / "tool_names.otio")]) == 1
    out = capsys.readouterr().out
    assert "BLOCKED" in out and "SORA2_beach_establisher" in out and "01:00:03:00" in out


def test_exit_2_for_unreadable_input_while_others_are_still_checked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.otio"
    broken.write_text('{"OTIO_SCHEMA": "Timeline.1", "tracks": ')
    code = main(["check", str(broken), str(SAMPLES / "tool_names.otio"), "--format", "json"])
    assert code == 2
    report = json.loads(capsys.readouterr().out)
    jsonschema.validate(report, _schema())
    verdicts = [t["verdict"] for t in report["timelines"]]
    assert verdicts == ["error", "blocked"]
    err = report["timelines"][0]
    assert err["error"].startswith(f"{broken}:1:40: otio_json adapter cannot read it")
    assert err["findings"][0]["rule"] == "scan.error"


def test_usage_errors_exit_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SAMPLES), "--profile", "nosuch"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err.startswith("aiclear: error: nosuch: unknown profile (expected one of: baseline")
    assert main(["check", str(SAMPLES), "--rate", "nan"]) == 2
    assert main(["check", str(SAMPLES), "--jobs", "0"]) == 2
    assert main(["check", str(SAMPLES / "nope.otio")]) == 2


def test_json_report_validates_and_holds_the_published_fields(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(SAMPLES), "--register", REGISTER, "--format", "json"])
    assert code == 1
    report = json.loads(capsys.readouterr().out)
    jsonschema.validate(report, _schema())
    assert report["aiclear_report"] == 1 and report["profile"] == "baseline"
    by_name = {Path(t["path"]).name: t for t in report["timelines"]}
    voice = by_name["ai_voice.otio"]["segments"][0]
    assert voice["track_kind"] == "Audio" and voice["track"] == "A2 ADR"
    assert (voice["start_frame"], voice["end_frame"]) == (48, 96)
    assert (voice["start_tc"], voice["end_tc"]) == ("01:00:02:00", "01:00:04:00")
    assert voice["tool"] == "ElevenLabs v3" and voice["status"] == "provisional"
    assert voice["segment_id"].startswith(voice["asset_id"].split(":")[1][:12])
    # the sample media is not on this machine: the media evidence says so
    assert {e["kind"] for e in voice["evidence"]} == {"name", "register", "media"}
    missing = [e for e in voice["evidence"] if e["kind"] == "media"]
    assert missing[0]["detail"] == "missing"


def test_junit_report(tmp_path: Path) -> None:
    out = tmp_path / "report.xml"
    assert main(["check", str(SAMPLES), "--format", "junit", "-o", str(out)]) == 1
    suite = ET.parse(out).getroot().find("testsuite")
    assert suite is not None
    assert suite.get("tests") == "11"
    assert suite.get("failures") == "5" and suite.get("errors") == "0"  # archival needs the register
    failed = [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None]
    assert "Tool names" in failed and "Clean cut" not in failed


def test_jobs_2_gives_the_same_report(tmp_path: Path) -> None:
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    base = ["check", str(SAMPLES), "--register", REGISTER, "--format", "json", "-o"]
    assert main([*base, str(one)]) == 1
    assert main([*base, str(two), "--jobs", "2"]) == 1
    assert json.loads(one.read_text()) == json.loads(two.read_text())


def test_tag_writes_records_and_never_overwrites_input(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.otio"
    shutil.copy(SAMPLES / "nested_compound.otio", src)
    before = src.read_bytes()
    assert main(["tag", str(src), "-o", str(src)]) == 2
    assert "is the input; refusing to overwrite it" in capsys.readouterr().err
    out = tmp_path / "out.otio"
    assert main(["tag", str(src), "-o", str(out)]) == 0
    assert src.read_bytes() == before
    tagged = otio.adapters.read_from_file(str(out), hook_function_argument_map={"aiclear": {"tag": False}})
    records = {c.name: c.metadata["aiclear"] for c in tagged.find_clips() if "aiclear" in c.metadata}
    assert set(records) == {"AI_GEN_INSERT_2", "GENAI_skyline_v2", "synthetic_crowd_fill"}
    assert all(r["status"] == "provisional" and r["asset_id"].startswith("ref:")
               for r in records.values())
    assert main(["tag", str(src), "-o", str(out)]) == 2  # exists, no --force
    assert not list(tmp_path.glob(".out.*"))  # no temp files left behind


def test_console_script_runs(tmp_path: Path) -> None:
    exe = shutil.which("aiclear") or str(Path(sys.executable).with_name("aiclear"))
    proc = subprocess.run([exe, "check", str(SAMPLES / "clean_cut.otio")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "PASS" in proc.stdout
    assert "Traceback" not in proc.stderr
