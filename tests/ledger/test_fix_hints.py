"""Issue 16, CLI 9-10: the fix hint a report prints runs as printed; segment ids match
exactly; re-signing a decided asset says so."""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path

import pytest

from aiclear.cli import main
from tests.conftest import SAMPLES
from tests.session.ledger_setup import make_ledger


def _hint(text: str) -> list[str]:
    line = next(ln for ln in text.splitlines() if "clear it with: aiclear approve" in ln)
    command = line.split("clear it with: ", 1)[1].rstrip(")")
    return shlex.split(command)


@pytest.fixture
def cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample with real media: only media aiclear reads gives an id an approval clears
    (offline clips get "media not available to verify" instead of an approve hint)."""
    import opentimelineio as otio

    from aiclear.timeline.read import NO_TAG
    from tests.plugin.helpers import with_media

    shutil.copy(SAMPLES / "register.yaml", tmp_path / "register.yaml")
    (tmp_path / "media").mkdir()
    timeline = otio.adapters.read_from_file(str(SAMPLES / "tool_names.otio"),
                                            hook_function_argument_map=NO_TAG)
    with_media(timeline, tmp_path / "media").to_json_file(str(tmp_path / "tool_names.otio"))
    monkeypatch.chdir(tmp_path)  # the README's producer works in the cut's folder
    monkeypatch.delenv("AICLEAR_LEDGER", raising=False)
    return tmp_path / "tool_names.otio"


def _first_segment(cut: Path, capsys: pytest.CaptureFixture[str]) -> str:
    import json

    capsys.readouterr()
    main(["check", str(cut), "--register", str(cut.parent / "register.yaml"), "--format", "json"])
    segments = json.loads(capsys.readouterr().out)["timelines"][0]["segments"]
    return str(segments[0]["segment_id"])


def test_the_printed_hint_runs_as_printed(cut: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = make_ledger(cut.parent)
    capsys.readouterr()
    assert main(["check", cut.name, "--register", "register.yaml"]) == 1
    argv = _hint(capsys.readouterr().out)
    assert argv[:2] == ["aiclear", "approve"] and "--timeline" in argv
    argv[argv.index("KEYFILE")] = str(keys["legal"])
    assert main(argv[1:]) == 0, capsys.readouterr().err
    segment = argv[2]
    capsys.readouterr()
    main(["check", cut.name, "--register", "register.yaml"])
    row = next(ln for ln in capsys.readouterr().out.splitlines() if ln.strip().startswith(segment))
    assert "cleared" in row


def test_hint_from_another_folder_names_the_timeline(cut: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    keys = make_ledger(cut.parent)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.chdir(elsewhere)
    capsys.readouterr()
    main(["check", str(cut), "--register", str(cut.parent / "register.yaml")])
    argv = _hint(capsys.readouterr().out)
    argv[argv.index("KEYFILE")] = str(keys["legal"])
    assert main(argv[1:]) == 0
    assert not (elsewhere / "aiclear-ledger.sqlite").exists()  # the ledger beside the cut


@pytest.mark.parametrize("bad", ["-V9-48", "-V1-999"])
def test_segment_ids_match_exactly(cut: Path, bad: str, capsys: pytest.CaptureFixture[str]
                                   ) -> None:
    keys = make_ledger(cut.parent)
    real = _first_segment(cut, capsys)
    asset = real.split("-", 1)[0]
    code = main(["approve", asset + bad, "--timeline", cut.name, "--register",
                 "register.yaml", "--key", str(keys["legal"])])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert real in err  # names the segment that does exist
    capsys.readouterr()
    main(["ledger", "log", "--ledger", str(cut.parent / "aiclear-ledger.sqlite")])
    assert "approve" not in capsys.readouterr().out  # nothing was signed


def test_wrong_segment_error_does_not_suggest_the_given_option(
        cut: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = make_ledger(cut.parent)
    capsys.readouterr()
    code = main(["approve", "ffffffffffff-V1-0", "--timeline", cut.name, "--key",
                 str(keys["legal"])])
    err = capsys.readouterr().err
    assert code == 2
    assert "add --timeline" not in err and "ffffffffffff-V1-0" in err


def test_resigning_a_decided_asset_says_so(cut: Path, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    keys = make_ledger(cut.parent)
    args = [_first_segment(cut, capsys), "--timeline", cut.name, "--register", "register.yaml",
            "--key", str(keys["legal"])]
    assert main(["approve", *args]) == 0
    capsys.readouterr()
    assert main(["reject", *args]) == 0
    err = capsys.readouterr().err
    assert "already decided: approve by Lea Legal (legal)" in err
