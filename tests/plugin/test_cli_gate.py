"""``aiclear gate TIMELINE``: exit 0 pass, 1 blocked, 2 error; the blocking list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiclear.cli import main

from .helpers import ai_timeline, clean_timeline

SAMPLES = Path(__file__).resolve().parents[2] / "sample_timelines"


def _write(tmp_path: Path, name: str, ai: bool) -> Path:
    path = tmp_path / name
    (ai_timeline() if ai else clean_timeline()).to_json_file(str(path))
    return path


def test_blocked_lists_every_segment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gate", str(_write(tmp_path, "cut.otio", ai=True))]) == 1
    out = capsys.readouterr().out
    assert out.startswith("BLOCKED")
    assert "V1   01:00:02:00 - 01:00:03:00  Midjourney_castle" in out
    assert "V1   01:00:03:12 - 01:00:05:00  SC02_TK03" in out
    assert out.count("resolve:") == 2


def test_pass_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gate", str(_write(tmp_path, "clean.otio", ai=False)), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "pass" and data["blocking"] == [] and data["segments"] == 0


def test_json_blocking_entries(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gate", str(_write(tmp_path, "cut.otio", ai=True)), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    first = data["blocking"][0]
    assert {k: first[k] for k in ("track", "clip", "start_tc", "end_tc", "rule")} == {
        "track": "V1", "clip": "Midjourney_castle", "start_tc": "01:00:02:00",
        "end_tc": "01:00:03:00", "rule": "clearance.provisional"}
    assert first["resolve"] and first["reason"] and first["asset_id"].startswith("ref:")


def test_review_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gate", str(_write(tmp_path, "cut.otio", ai=True)), "--intent", "review"]) == 0
    assert capsys.readouterr().out.startswith("PASS")


@pytest.mark.parametrize("content", [None, "{not json", ""])
def test_errors_fail_closed(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None) -> None:
    path = tmp_path / "broken.otio"
    if content is not None:
        path.write_text(content)
    assert main(["gate", str(path)]) == 2
    assert capsys.readouterr().out.startswith("ERROR")


def test_bad_profile_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "clean.otio", ai=False)
    assert main(["gate", str(path), "--profile", "no-such-profile"]) == 2
    assert "unknown profile" in capsys.readouterr().err


def test_round_tripped_edl_still_blocks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A clip whose name says nothing: only the carriers from ``aiclear tag`` tell the gate."""
    src = _write(tmp_path, "cut.otio", ai=True)
    edl = tmp_path / "cut.edl"
    assert main(["tag", str(src), "-o", str(edl)]) == 0
    assert main(["gate", str(edl), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert {b["clip"] for b in data["blocking"]} == {"Midjourney_castle", "SC02_TK03"}


def test_sample_edl(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gate", str(SAMPLES / "genai_names.edl")]) == 1
    assert "3 AI segment(s), 3 blocking" in capsys.readouterr().out
