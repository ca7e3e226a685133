"""Issue 13 attack 7: outputs that follow a symbolic link onto the ledger, or land on a
ledger, a key or an input. Every ``-o`` goes through aiclear.safety.fileio; nothing is written
and the ledger still verifies."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from aiclear import gate
from aiclear.errors import UsageError
from aiclear.safety.fileio import atomic_write
from aiclear.scan.settings import ScanSettings

from .identity_kit import cli, clip, production, save, timeline, video


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def setup(tmp_path: Path):
    prod = production(tmp_path / "prod")
    cut = save(timeline(clip("Midjourney_castle", "/offline/mj_castle.mov")), tmp_path / "cut.otio")
    return prod, cut


def _commands(cut: Path, out: Path, reference: Path) -> dict[str, list[object]]:
    return {
        "disclose": ["disclose", cut, "--format", "srt", "-o", out],
        "tag": ["tag", cut, "-o", out, "--force"],
        "check": ["check", cut, "-o", out],
        "burnin": ["burnin", cut, "--reference", reference, "-o", out],
    }


@pytest.mark.parametrize("command", ["disclose", "tag", "check", "burnin"])
def test_outputs_never_follow_a_symlink_onto_the_ledger(tmp_path: Path, setup, command: str) -> None:
    prod, cut = setup
    link = tmp_path / {"disclose": "labels.srt", "tag": "cut.edl", "check": "report.txt",
                       "burnin": "review.mp4"}[command]
    link.symlink_to(prod.ledger)
    before = _digest(prod.ledger)
    reference = video(tmp_path / "reference.mp4")
    run = cli(*_commands(cut, link, reference)[command])
    assert run.code == 2
    assert run.err == (f"aiclear: error: {link}: is a symbolic link; refusing to write through "
                       "it (remove the link or choose another name)\n")
    assert _digest(prod.ledger) == before and link.is_symlink()
    assert cli("ledger", "verify", "--ledger", prod.ledger).code == 0


@pytest.mark.parametrize("command", ["disclose", "tag", "check"])
@pytest.mark.parametrize(("victim", "what"), [
    ("ledger", "a SQLite database (an aiclear ledger or cache)"), ("legal", "a private key file")])
def test_outputs_never_land_on_a_ledger_or_key(tmp_path: Path, setup, command: str, victim: str,
                                              what: str) -> None:
    prod, cut = setup
    target = prod.ledger if victim == "ledger" else prod.legal
    renamed = tmp_path / {"disclose": "labels.srt", "tag": "cut.edl", "check": "report.txt"}[command]
    target.rename(renamed)  # whatever its name: the bytes say what it is
    before = _digest(renamed)
    run = cli(*_commands(cut, renamed, renamed)[command])
    assert run.code == 2
    assert run.err == f"aiclear: error: {renamed}: is {what}; refusing to overwrite it\n"
    assert _digest(renamed) == before


def test_outputs_never_overwrite_an_input(tmp_path: Path, setup) -> None:
    _, cut = setup
    before = _digest(cut)
    run = cli("disclose", cut, "--format", "srt", "-o", cut)
    assert run.code == 2
    assert run.err == f"aiclear: error: {cut}: refusing to overwrite the input {cut}\n"
    assert _digest(cut) == before


def test_outputs_atomic_write_never_replaces_a_link_or_its_target(tmp_path: Path, setup) -> None:
    prod, _ = setup
    link = tmp_path / "notes.txt"
    link.symlink_to(prod.ledger)
    before = _digest(prod.ledger)
    with pytest.raises(UsageError, match="is a symbolic link; refusing to write through it"):
        atomic_write(link, "x")
    assert link.is_symlink() and _digest(prod.ledger) == before


def test_outputs_panel_and_api_exports_refuse_links(tmp_path: Path, setup) -> None:
    """gate.export (the panel's export path) writes through aiclear.gate.writeback: same refusal."""
    prod, _ = setup
    link = tmp_path / "clean.otio"
    link.symlink_to(prod.ledger)
    before = _digest(prod.ledger)
    with pytest.raises(UsageError, match="is a symbolic link"):
        gate.export(timeline(clip("SC01_TK01", "/offline/a.mov")), link, ScanSettings())
    assert _digest(prod.ledger) == before
