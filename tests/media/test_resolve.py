"""Clip -> local file, or remote / missing, without touching anything remote."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.media.resolve import reference_target, resolve


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "edit").mkdir()
    (tmp_path / "edit" / "media").mkdir()
    (tmp_path / "edit" / "media" / "a b.mov").write_bytes(b"x")
    (tmp_path / "raid" / "A001").mkdir(parents=True)
    (tmp_path / "raid" / "A001" / "clip.mov").write_bytes(b"x")
    (tmp_path / "raid" / "only_root.mov").write_bytes(b"x")
    return tmp_path


def test_relative_path_against_the_timeline_folder(tree: Path):
    got = resolve("media/a b.mov", tree / "edit")
    assert got.state == "local"
    assert got.path == str(tree / "edit" / "media" / "a b.mov")


def test_file_url_with_escapes(tree: Path):
    url = (tree / "edit" / "media" / "a b.mov").as_uri()
    assert "%20" in url
    assert resolve(url, None).path == str(tree / "edit" / "media" / "a b.mov")
    assert resolve("file://localhost" + url[len("file://"):], None).state == "local"


def test_percent_in_a_file_name_is_decoded_once(tree: Path):
    odd = tree / "edit" / "media" / "take%20two.mov"
    odd.write_bytes(b"x")
    assert resolve(odd.as_uri(), None).path == str(odd)  # the URL holds take%2520two


def test_colon_in_a_relative_file_name_is_a_path_not_a_scheme(tree: Path):
    (tree / "edit" / "shot:010.mov").write_bytes(b"x")
    assert resolve("shot:010.mov", tree / "edit").state == "local"


def test_relative_path_against_media_roots(tree: Path):
    got = resolve("only_root.mov", tree / "edit", [tree / "raid"])
    assert got.path == str(tree / "raid" / "only_root.mov")


def test_absolute_path_from_another_machine_is_relinked_under_a_root(tree: Path):
    got = resolve("/Volumes/RAID/A001/clip.mov", None, [tree / "raid"])
    assert got.path == str(tree / "raid" / "A001" / "clip.mov")
    got = resolve("file:///Volumes/RAID/A001/clip.mov", None, [tree / "raid"])
    assert got.path == str(tree / "raid" / "A001" / "clip.mov")
    got = resolve("D:\\Shoot\\A001\\clip.mov", None, [tree / "raid"])
    assert got.path == str(tree / "raid" / "A001" / "clip.mov")


def test_missing(tree: Path):
    got = resolve("media/nope.mov", tree / "edit", [tree / "raid"])
    assert (got.state, got.path, got.target) == ("missing", None, "media/nope.mov")


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/clip.mov", "https://cdn.example.com/clip.mp4", "s3://bucket/clip.mov",
    "gs://bucket/c.mov", "ftp://host/c.mov", "smb://nas/share/c.mov", "file://nas/share/c.mov",
    "HTTPS://EXAMPLE.COM/X.MOV", "s3:bucket/clip.mov", "custom-cdn://host/clip.mov",
])
def test_network_urls_are_remote_and_never_resolved(url: str, tree: Path):
    got = resolve(url, tree / "edit", [tree / "raid"])
    assert (got.state, got.path) == ("remote", None)


def test_reference_targets():
    ext = otio.schema.Clip(media_reference=otio.schema.ExternalReference("file:///a.mov"))
    seq = otio.schema.Clip(media_reference=otio.schema.ImageSequenceReference(
        target_url_base="/renders/shot010/", name_prefix="shot010.", name_suffix=".exr",
        start_frame=1001, frame_step=1, rate=24, frame_zero_padding=4,
        available_range=otio.opentime.TimeRange(
            otio.opentime.RationalTime(1001, 24), otio.opentime.RationalTime(10, 24))))
    gen = otio.schema.Clip(media_reference=otio.schema.GeneratorReference())
    missing = otio.schema.Clip()
    assert reference_target(ext) == "file:///a.mov"
    assert reference_target(seq) == "/renders/shot010/shot010.1001.exr"
    assert reference_target(gen) is None
    assert reference_target(missing) is None
