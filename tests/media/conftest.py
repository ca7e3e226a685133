"""Media made once per test session: signed C2PA files of every kind, XMP-tagged files,
decoys and damaged files. Everything is generated here, nothing is checked in."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.media import media_gen as g
from tests.media.media_pki import Pki, make_pki


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def stranger_pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """A second, unrelated CA: intact signatures that chain to no configured anchor."""
    return make_pki(tmp_path_factory.mktemp("pki-stranger"), org="Unknown Signer Ltd")


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory, pki: Pki, stranger_pki: Pki
            ) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("media")
    lib: dict[str, Path] = {}
    plain = lib["plain.mp4"] = g.make_video(d / "plain.mp4")
    lib["camera.mov"] = g.make_video(d / "A001_C002_camera.mov", source="smptebars",
                                     metadata={"com.apple.quicktime.make": "Sony"})
    wav = g.make_wav(d / "src.wav")
    jpg = g.make_still(d / "src.jpg")
    png = g.make_still(d / "src.png")
    model = {"name": "Example Text-to-Video Model", "version": "1.0"}

    # AI of every kind
    lib["ai_video.mp4"] = g.sign(pki, plain, d / "ai_video.mp4",
                                 g.actions(g.created(g.TRAINED, model)))
    lib["ai_still.jpg"] = g.sign(pki, jpg, d / "ai_still.jpg",
                                 g.actions(g.created(g.TRAINED, "Adobe Firefly")))  # v1 string
    lib["ai_voice.wav"] = g.sign(pki, wav, d / "ai_voice.wav", g.actions(
        g.created(g.TRAINED, {"name": "Example TTS Voice", "version": "2.1"})))
    ingredient = ({"title": "ai_video.mp4", "relationship": "componentOf",
                   "instance_id": "ai-1"}, lib["ai_video.mp4"])
    lib["composite.mov"] = g.sign(pki, lib["camera.mov"], d / "composite.mov", g.actions(
        g.created(g.CAPTURE),
        {"action": "c2pa.placed", "digitalSourceType": g.COMPOSITE_AI,
         "softwareAgent": {"name": "Example NLE", "version": "1.0"},
         "parameters": {"ingredientIds": ["ai-1"]}}), ingredients=[ingredient])
    lib["contains.mov"] = g.sign(pki, lib["camera.mov"], d / "contains.mov", g.actions(
        g.created(g.CAPTURE),
        {"action": "c2pa.placed", "parameters": {"ingredientIds": ["ai-1"]}}),
        ingredients=[ingredient])
    lib["template.mp4"] = g.sign(pki, plain, d / "template.mp4", g.actions(
        g.created(g.CAPTURE), {"action": "c2pa.edited"},
        templates=[{"action": "c2pa.edited", "digitalSourceType":
                    "https://cv.iptc.org/newscodes/digitalsourcetype/"
                    "compositeWithTrainedAlgorithmicMedia",
                    "softwareAgent": {"name": "Inpaint Model", "version": "3"}}]))
    lib["tampered.mp4"] = g.tamper(lib["ai_video.mp4"], d / "tampered.mp4")
    lib["untrusted.mp4"] = g.sign(stranger_pki, plain, d / "untrusted.mp4",
                                  g.actions(g.created(g.TRAINED, model)))
    lib["xmp_ai.mov"] = g.write_xmp_dst(g.make_video(d / "xmp_ai.mov"), g.TRAINED)
    lib["xmp_ai.mp4"] = g.write_xmp_dst(g.make_video(d / "xmp_ai.mp4"), g.TRAINED)
    lib["xmp_ai.png"] = g.write_xmp_dst(g.make_still(d / "xmp_ai.png"), g.TRAINED)
    lib["xmp_ai.jpg"] = g.write_xmp_dst(g.make_still(d / "xmp_ai.jpg"), g.TRAINED)
    lib["xmp_ai.tif"] = g.write_xmp_dst(g.make_still(d / "xmp_ai.tif"), g.COMPOSITE_AI)
    lib["tagged.mp4"] = g.make_video(d / "tagged.mp4",
                                     metadata={"comment": "Generated with Runway Gen-3 Alpha"})

    # decoys: provenance that is not generative AI
    lib["capture.mp4"] = g.sign(pki, plain, d / "capture.mp4", g.actions(g.created(g.CAPTURE)))
    lib["algorithmic.png"] = g.sign(pki, png, d / "algorithmic.png",
                                    g.actions(g.created(g.ALGORITHMIC, "Fractal Maker")))
    lib["xmp_capture.jpg"] = g.write_xmp_dst(g.make_still(d / "xmp_capture.jpg"), g.CAPTURE)
    lib["decoy_tags.mp4"] = g.make_video(d / "decoy_tags.mp4", metadata={
        "title": "Sora", "comment": "graded by Soraya in Hawaii"})

    # damaged
    lib["truncated.mp4"] = g.truncate(plain, d / "truncated.mp4")
    lib["garbage.mov"] = d / "garbage.mov"
    lib["garbage.mov"].write_bytes(b"\x00\x00\x00\x18ftypqt  " + bytes(range(256)) * 8)
    return lib


@pytest.fixture
def anchors(pki: Pki) -> Path:
    return pki.root_pem
