"""The profile's ``media:`` section: validated by the schema, read by prober_from_args."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from aiclear.errors import ProfileError
from aiclear.media.cli_args import add_media_arguments, prober_from_args
from aiclear.policy.profile import load_profile


def write_profile(folder: Path, media: str) -> Path:
    path = folder / "show.yaml"
    path.write_text("aiclear_profile: 1\nname: show\nextends: baseline\n" + media)
    return path


def test_media_section_feeds_the_prober(tmp_path: Path, anchors: Path):
    (tmp_path / "roots").mkdir()
    (tmp_path / "anchors.pem").write_bytes(anchors.read_bytes())
    profile = load_profile(write_profile(tmp_path, (
        "media:\n"
        "  trust_anchors: anchors.pem\n"
        "  media_roots: [roots]\n"
        "  probe_timeout: 9\n"
        "  cache: false\n"
        "  tag_keys: [xyz_generator]\n"
        "  ai_tools:\n"
        "    - {vendor: Acme, product: DreamCam, patterns: [acme dreamcam]}\n")))
    parser = argparse.ArgumentParser()
    add_media_arguments(parser)
    prober = prober_from_args(parser.parse_args([]), profile.data, profile_dir=tmp_path)
    assert prober.timeout == 9.0
    assert prober.cache is None
    assert prober.media_roots == [(tmp_path / "roots").resolve()]
    assert prober.config.trust_anchors_pem == anchors.read_text()
    # the command line wins over the profile
    prober = prober_from_args(parser.parse_args(["--probe-timeout", "3"]), profile.data,
                              profile_dir=tmp_path)
    assert prober.timeout == 3.0


@pytest.mark.parametrize("media", [
    "media:\n  probe_timeout: -1\n",
    "media:\n  ai_tools: [{product: X}]\n",
    "media:\n  trust_anchor: typo.pem\n",
])
def test_bad_media_section_is_a_profile_error(tmp_path: Path, media: str):
    with pytest.raises(ProfileError):
        load_profile(write_profile(tmp_path, media))


def test_options_survive_the_settings_spec_into_a_worker(tmp_path: Path, anchors: Path):
    """The SettingsSpec carries typed option values into worker processes; the settings it
    builds there hold the same prober."""
    import pickle

    from aiclear.cli.common import add_scan_arguments, spec_from_args

    parser = argparse.ArgumentParser()
    add_scan_arguments(parser)
    parser.add_argument("--jobs", type=int, default=1)  # add_scan_arguments adds the media options
    args = parser.parse_args(["--media-root", str(tmp_path), "--trust-anchors", str(anchors),
                              "--no-cache", "--probe-timeout", "4", "--jobs", "2"])
    spec = pickle.loads(pickle.dumps(spec_from_args(args)))
    prober = spec().media
    assert prober.media_roots == [tmp_path.resolve()]
    assert (prober.jobs, prober.timeout, prober.cache) == (2, 4.0, None)
    assert prober.config.trust_anchors_pem == anchors.read_text()
