"""Issue 16, CLI 11: colour only on a terminal, plain bytes to pipes, a success line for
commands that write, plain wording for review gates and admin keys, umask-mode outputs."""

from __future__ import annotations

import io
import os
import shutil
import stat
from pathlib import Path

import pytest

from aiclear.cli import main
from tests.conftest import SAMPLES


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _check_text(monkeypatch: pytest.MonkeyPatch, stream: io.StringIO) -> str:
    monkeypatch.setattr("sys.stdout", stream)
    main(["check", str(SAMPLES / "nested_compound.otio"), "--no-media"])
    return stream.getvalue()


def test_colour_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    piped = _check_text(monkeypatch, io.StringIO())
    assert "\x1b[" not in piped
    assert piped.startswith("BLOCKED  ")
    tty = _check_text(monkeypatch, _Tty())
    assert "\x1b[" in tty
    assert "Needs a sign-off (3)" in tty  # the compact summary: what fixes the blockers
    monkeypatch.setenv("NO_COLOR", "1")
    assert _check_text(monkeypatch, _Tty()) == piped  # NO_COLOR: the piped bytes exactly


def test_writers_say_what_they_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "labels.srt"
    assert main(["disclose", str(SAMPLES / "tool_names.otio"), "--format", "srt", "-o",
                 str(out), "--no-media"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"wrote {out}" in err
    report = tmp_path / "report.json"
    main(["check", str(SAMPLES / "clean_cut.otio"), "--format", "json", "-o", str(report)])
    assert f"wrote the json report to {report}" in capsys.readouterr().err


def test_review_gate_wording(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gate", str(SAMPLES / "genai_names.edl"), "--intent", "review"]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    assert head.startswith("PASS") and "3 would block a final delivery" in head
    assert "3 blocking" not in head


def test_admin_key_is_not_told_to_find_an_admin(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "new", "--name", "Ada", "--role", "admin", "-o",
                 str(tmp_path / "ada.key")]) == 0
    err = capsys.readouterr().err
    assert "ledger admin" not in err and "aiclear ledger init --admin-key" in err


def test_tag_output_follows_the_umask(tmp_path: Path) -> None:
    src = tmp_path / "cut.otio"
    shutil.copy(SAMPLES / "tool_names.otio", src)
    old = os.umask(0o022)
    try:
        assert main(["tag", str(src), "-o", str(tmp_path / "tagged.otio"), "--no-media"]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "tagged.otio").stat().st_mode) == 0o644
