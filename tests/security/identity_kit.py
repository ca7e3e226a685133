"""Shared by the identity, gate and output attack tests: a real ledger made through the
CLI (an admin, a trusted legal key, an editor key the attacker holds), real media made by
ffmpeg, and the CLI run in-process with its stdout / stderr captured."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.cli import main
from tests.media.media_gen import make_video

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange
FIX = "\N{EM DASH} mount it or pass --media-root DIR / relink"

ledger_keys = pytest.importorskip("aiclear.ledger.keys")


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def cli(*argv: object) -> Run:
    """``aiclear ARGV`` in this process: exit code and what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return Run(code, out.getvalue(), err.getvalue())


@dataclass(frozen=True)
class Production:
    ledger: Path | str
    legal: Path  # a key the attacker does NOT hold; used here to make real approvals
    editor: Path  # the attacker's own key

    def approve(self, asset_or_segment: str, *extra: object) -> None:
        run = cli("approve", asset_or_segment, "--key", self.legal, "--ledger", self.ledger,
                  *extra)
        assert run.code == 0, run.err


def init_ledger(folder: Path, ledger: Path | str, names: Mapping[str, str],
                *init: object) -> None:
    """A key file per role in ``folder`` (``names``: role -> person, admin first), the
    ledger made by the admin (``init``: more ``ledger init`` arguments) and every other key
    trusted by the admin, all through the CLI."""
    folder.mkdir(parents=True, exist_ok=True)
    for role, name in names.items():
        ledger_keys.write_key(ledger_keys.new_key(name, role), folder / f"{role}.key")
    admin = folder / "admin.key"
    for argv in [("ledger", "init", "--ledger", ledger, "--admin-key", admin, *init)] + [
            ("keys", "trust", folder / f"{role}.key", "--by", admin, "--ledger", ledger)
            for role in names if role != "admin"]:
        run = cli(*argv)
        assert run.code == 0, run.err


def production(folder: Path, location: str | None = None) -> Production:
    """Keys and a ledger (a SQLite file in ``folder``, or ``location``: the conftest's
    ``ledger_location``, SQLite or PostgreSQL) trusting legal and the editor."""
    ledger: Path | str = location or folder / "aiclear-ledger.sqlite"
    init_ledger(folder, ledger, {who: who.title() for who in ("admin", "legal", "editor")},
                "--production", "Attack")
    return Production(ledger, folder / "legal.key", folder / "editor.key")


def video(path: Path, seconds: float = 0.4, source: str = "testsrc") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return make_video(path, seconds=seconds, source=source)


def clip(name: str, target: str | None, frames: int = 12) -> otio.schema.Clip:
    rng = TR(RT(0, 24), RT(frames, 24))
    ref: otio.core.MediaReference = (otio.schema.MissingReference() if target is None else
                                     otio.schema.ExternalReference(target_url=target,
                                                                   available_range=rng))
    return otio.schema.Clip(name=name, media_reference=ref, source_range=rng)


def timeline(*clips: otio.schema.Clip) -> otio.schema.Timeline:
    tl = otio.schema.Timeline(name="cut")
    tl.tracks.append(otio.schema.Track(name="V1", children=list(clips)))
    return tl


def save(tl: otio.schema.Timeline, path: Path) -> Path:
    tl.to_json_file(str(path))  # no hooks: the attacker's file, as written
    return path


def content_id(path: Path) -> str:
    """The identity aiclear gives these bytes (what an approval is signed for)."""
    from aiclear.media.hashing import asset_id

    return asset_id(path)
