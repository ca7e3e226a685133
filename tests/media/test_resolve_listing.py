"""Media resolution from one directory listing per folder gives exactly what a stat per
path (the previous pathlib resolution, kept here as the oracle) gives."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiclear.media import resolve as resolving
from aiclear.media.resolve import Folders, Resolved, resolve


def oracle(target: str, timeline_dir: Path | None, media_roots: Sequence[Path] = ()) -> Resolved:
    """The resolution before the listing: pathlib candidates, ``Path.is_file`` each."""
    local = _local_path(target)
    if local is None:
        return Resolved("remote", target)
    if resolving._is_windows_path(local):
        cands = _relinked(PureWindowsPath(local).parts[1:], media_roots)
    elif Path(local).is_absolute():
        cands = [Path(local), *_relinked(PurePosixPath(local).parts[1:], media_roots)]
    else:
        bases = ([timeline_dir] if timeline_dir is not None else [Path.cwd()]) + list(media_roots)
        cands = [base / Path(local) for base in bases]
    for candidate in cands:
        if candidate.is_file():
            return Resolved("local", target, os.path.abspath(candidate))
    return Resolved("missing", target)


def _local_path(target: str) -> str | None:
    """The previous URL handling: urlsplit for every target."""
    text = target.strip()
    if resolving._is_windows_path(text):
        return text
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme == "file":
        return url2pathname(parts.path) if parts.netloc in ("", "localhost") else None
    if scheme in resolving.NETWORK_SCHEMES or text[len(scheme) + 1:].startswith("//"):
        return None
    return text


def _relinked(parts: Sequence[str], roots: Sequence[Path]) -> list[Path]:
    return [root.joinpath(*parts[start:]) for root in roots for start in range(len(parts))]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    for rel in ("edit/media/a b.mov", "edit/media/clip.mov", "edit/shot:010.mov",
                "edit/media/take%20two.mov", "raid/A001/clip.mov", "raid/clip.mov",
                "raid/media/a b.mov", "edit/media/dir.mov/inner.mov"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"x")
    (root / "edit/media/link.mov").symlink_to(root / "raid/clip.mov")
    (root / "edit/media/broken.mov").symlink_to(root / "nowhere.mov")
    (root / "edit/linkdir").symlink_to(root / "raid/A001", target_is_directory=True)
    (root / "edit/media/notadir.mov").write_bytes(b"x")
    return root


PIECES = ["media", "a b.mov", "clip.mov", "A001", "dir.mov", "inner.mov", "link.mov",
          "broken.mov", "linkdir", "notadir.mov", "nope.mov", "CLIP.MOV", "take%20two.mov",
          "take%2520two.mov", "a%20b.mov", "shot:010.mov", ".", "..", "", "edit", "raid"]
PREFIXES = ["", "/", "file://", "file:///", "file://localhost/", "FILE:///", "./", "//",
            "http://h/", "C:\\", " "]
SUFFIXES = ["", "/", "?q=1", "#frag", "\t", "/.", " "]


@st.composite
def targets(draw: st.DrawFn, tree: Path) -> str:
    parts = draw(st.lists(st.sampled_from(PIECES), min_size=0, max_size=4))
    prefix = draw(st.sampled_from(PREFIXES + ["TREE"]))
    body = "/".join(parts)
    if prefix == "TREE":
        body = str(tree) + "/" + body
        prefix = draw(st.sampled_from(["", "file://"]))
    return prefix + body + draw(st.sampled_from(SUFFIXES))


def _layouts(tree: Path) -> list[tuple[Path | None, list[Path]]]:
    return [(tree / "edit", []), (tree / "edit", [tree / "raid"]), (None, [tree / "raid"]),
            (tree / "edit" / "media", [tree / "raid", tree / "edit"])]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_listing_resolution_equals_a_stat_per_path(tree: Path, data: st.DataObject) -> None:
    target = data.draw(targets(tree))
    for timeline_dir, roots in _layouts(tree):
        expected = oracle(target, timeline_dir, roots)
        assert resolve(target, timeline_dir, roots) == expected, (target, timeline_dir, roots)
        listed = resolve(target, timeline_dir, roots, listing_first())
        assert listed == expected, (target, timeline_dir, roots)


class _Everything(set[str]):
    def __contains__(self, item: object) -> bool:
        return True


def listing_first() -> Folders:
    """Folders that lists a folder on its first question (normally the second)."""
    folders = Folders()
    folders._asked = _Everything()
    return folders


def test_one_listing_shared_by_a_whole_timeline(tree: Path) -> None:
    folders = listing_first()
    names = [*PIECES, *(f"{p}/clip.mov" for p in PIECES)]
    urls = [f"file://{tree}/edit/media/{n}" for n in names] + [f"{tree}/raid/{n}" for n in names]
    states = set()
    for timeline_dir, roots in _layouts(tree):
        for target in urls + names:
            got = resolve(target, timeline_dir, roots, folders)
            assert got == oracle(target, timeline_dir, roots), target
            states.add(got.state)
    assert states == {"local", "missing"}  # both answers were exercised


def test_missing_media_is_one_listing_per_folder_not_a_stat_per_clip(
        tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listed: list[str] = []
    real_scandir = os.scandir

    def counting(path: str) -> object:
        listed.append(str(path))
        return real_scandir(path)

    stats: list[str] = []
    real_isfile = os.path.isfile

    def counting_stat(path: str) -> bool:
        stats.append(str(path))
        return real_isfile(path)

    monkeypatch.setattr(resolving.os, "scandir", counting)
    monkeypatch.setattr(resolving.os.path, "isfile", counting_stat)
    folders = Folders()
    got = [resolve(f"file://{tree}/edit/media/gone_{i}.mov", None, [], folders)
           for i in range(1000)]
    got += [resolve(f"/no/such/volume/gone_{i}.mov", None, [], folders) for i in range(1000)]
    assert {r.state for r in got} == {"missing"}
    assert sorted(listed) == sorted([f"{tree}/edit/media", "/no/such/volume"])
    # one stat for the first clip of each folder, then the listing answers
    assert stats == [f"{tree}/edit/media/gone_0.mov", "/no/such/volume/gone_0.mov"]
    assert resolve(f"{tree}/edit/media/clip.mov", None, [], folders).state == "local"


def test_a_folder_asked_about_once_is_not_listed(tree: Path, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    # one image sequence in a render folder of many frames: a stat, not a listing
    def no_listing(path: str) -> object:
        raise AssertionError(f"{path} was listed for one clip")

    monkeypatch.setattr(resolving.os, "scandir", no_listing)
    folders = Folders()
    assert resolve(f"{tree}/edit/media/clip.mov", None, [], folders).state == "local"
    assert resolve(f"{tree}/raid/A001/clip.mov", None, [], folders).state == "local"
    assert resolve(f"{tree}/raid/nope.mov", None, [], folders).state == "missing"


def test_a_folder_that_cannot_be_listed_is_stat_per_file(
        tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # an execute-only folder (searchable, not readable): listing fails, a stat works
    def refused(path: str) -> object:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(resolving.os, "scandir", refused)
    folders = Folders()
    for _ in range(2):  # the second round asks the (unlistable) folder again
        assert resolve(f"{tree}/edit/media/clip.mov", None, [], folders).state == "local"
        assert resolve(f"{tree}/edit/media/nope.mov", None, [], folders).state == "missing"


def test_a_name_spelt_differently_on_disk_is_settled_by_a_stat(
        tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # on a case-insensitive volume the listing says "clip.mov" and the timeline "CLIP.MOV":
    # the listing cannot decide, the file system does (here: case-sensitive, so missing)
    asked: list[str] = []
    real_isfile = os.path.isfile
    monkeypatch.setattr(resolving.os.path, "isfile",
                        lambda p: asked.append(str(p)) or real_isfile(p))
    folders = Folders()
    assert resolve(f"{tree}/edit/media/clip.mov", None, [], folders).state == "local"
    asked.clear()  # that first path was a stat; from here the folder is listed
    got = resolve(f"{tree}/edit/media/CLIP.MOV", None, [], folders)
    assert got == oracle(f"{tree}/edit/media/CLIP.MOV", None, [])
    assert asked == [f"{tree}/edit/media/CLIP.MOV"]
