"""C2PA evidence from files signed at test time with a throwaway PKI."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiclear.media import c2pa_read
from aiclear.media.probe import FileProber, ProbeConfig

TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
COMPOSITE_AI = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"


@pytest.fixture(scope="module")
def trusting(pki) -> FileProber:  # noqa: ANN001 - session fixture from conftest
    return FileProber(ProbeConfig(pki.root_pem.read_text()))


@pytest.fixture(scope="module")
def no_anchors() -> FileProber:
    return FileProber(ProbeConfig())


def c2pa_evidence(probe) -> list[dict]:  # noqa: ANN001
    return [e for e in probe.evidence if e["kind"] == "c2pa"]


@pytest.mark.parametrize(("name", "tool"), [
    ("ai_video.mp4", {"product": "Example Text-to-Video Model", "version": "1.0"}),
    ("ai_still.jpg", {"product": "Adobe Firefly", "vendor": "Adobe"}),  # v1 string agent
    ("ai_voice.wav", {"product": "Example TTS Voice", "version": "2.1"}),
])
def test_generated_media_is_ai_with_tool_and_trusted_state(library, trusting, name, tool):
    probe = trusting.probe(str(library[name]))
    assert probe.is_ai
    assert probe.hints == {"ai_class": "generated", "source_type": TRAINED, "tool": tool}
    [ev] = c2pa_evidence(probe)
    assert ev["state"] == "Trusted"
    assert ev["signer"] == "Test Post House"
    assert ev["manifest"] == "active"
    assert ev["source_type"] == TRAINED
    assert ev["ai"] is True
    assert probe.findings == []
    assert probe.asset_id is not None
    assert probe.asset_id.startswith("blake3:")


def test_same_file_reads_untrusted_without_anchors_and_warns(library, no_anchors):
    probe = no_anchors.probe(str(library["ai_video.mp4"]))
    assert probe.is_ai
    [ev] = c2pa_evidence(probe)
    assert ev["state"] == "Untrusted"
    assert [f["rule"] for f in probe.findings] == ["media.c2pa_untrusted"]
    assert all(f["severity"] == "warn" for f in probe.findings)


def test_signer_outside_the_anchors_is_untrusted_not_invalid(library, trusting):
    probe = trusting.probe(str(library["untrusted.mp4"]))
    assert probe.is_ai
    [ev] = c2pa_evidence(probe)
    assert (ev["state"], ev["signer"]) == ("Untrusted", "Unknown Signer Ltd")
    assert [f["rule"] for f in probe.findings] == ["media.c2pa_untrusted"]


def test_tampered_ai_file_is_invalid_but_still_ai_with_a_warning(library, trusting):
    probe = trusting.probe(str(library["tampered.mp4"]))
    assert probe.is_ai
    [ev] = c2pa_evidence(probe)
    assert ev["state"] == "Invalid"
    [finding] = probe.findings
    assert finding["rule"] == "media.c2pa_invalid"
    assert finding["severity"] == "warn"
    assert "bmffHash.mismatch" in finding["message"]
    assert probe.hints["ai_class"] == "generated"


def test_composite_with_ai_ingredient_is_edited_and_names_the_generator(library, trusting):
    probe = trusting.probe(str(library["composite.mov"]))
    assert probe.is_ai
    where = sorted((e["manifest"], e["source_type"]) for e in c2pa_evidence(probe))
    assert where == [("active", COMPOSITE_AI), ("ingredient", TRAINED)]
    assert probe.hints["ai_class"] == "edited"
    assert probe.hints["source_type"] == COMPOSITE_AI
    # the NLE placed it; the model made it: the record's tool is the generator
    assert probe.hints["tool"]["product"] == "Example Text-to-Video Model"


def test_ai_only_in_an_ingredient_marks_the_file_as_containing_ai(library, trusting):
    probe = trusting.probe(str(library["contains.mov"]))
    assert probe.is_ai
    assert [e["manifest"] for e in c2pa_evidence(probe)] == ["ingredient"]
    assert probe.hints["ai_class"] == "contains"


def test_action_template_supplies_the_source_type(library, trusting):
    probe = trusting.probe(str(library["template.mp4"]))
    assert probe.is_ai
    [ev] = c2pa_evidence(probe)
    assert ev["action"] == "c2pa.edited"
    assert ev["source_type"] == COMPOSITE_AI  # https in the template, normalised to http
    assert probe.hints["tool"] == {"product": "Inpaint Model", "version": "3"}


@pytest.mark.parametrize("name", ["capture.mp4", "algorithmic.png"])
def test_non_ai_manifests_are_recorded_but_do_not_mark_ai(library, trusting, name):
    probe = trusting.probe(str(library[name]))
    assert not probe.is_ai
    [ev] = c2pa_evidence(probe)
    assert ev["ai"] is False
    assert ev["state"] == "Trusted"
    assert probe.hints == {}
    assert probe.findings == []


@pytest.mark.parametrize("name", ["plain.mp4", "camera.mov"])
def test_files_without_manifest_give_no_c2pa_evidence(library, trusting, name):
    probe = trusting.probe(str(library[name]))
    assert not probe.is_ai
    assert probe.evidence == []
    assert probe.findings == []


def test_effective_actions_overlay_templates_and_agent_index():
    data = {
        "templates": [
            {"action": "*", "digitalSourceType": "x:any", "softwareAgent": "Wildcard"},
            {"action": "c2pa.edited", "digitalSourceType": COMPOSITE_AI},
        ],
        "softwareAgents": [{"name": "Agent Zero"}, {"name": "Agent One", "version": "9"}],
        "actions": [
            {"action": "c2pa.edited", "softwareAgentIndex": 1},
            {"action": "c2pa.created", "digitalSourceType": TRAINED},
            "not an action",
        ],
    }
    edited, created = list(c2pa_read.effective_actions(data))
    assert edited["digitalSourceType"] == COMPOSITE_AI
    assert edited["softwareAgent"] == "Wildcard"  # the template's agent, overlaid first
    assert created["digitalSourceType"] == TRAINED  # the action's own value wins
    data["templates"] = []
    [edited, _] = list(c2pa_read.effective_actions(data))
    assert edited["softwareAgent"] == {"name": "Agent One", "version": "9"}


def test_store_with_v1_label_and_hostile_values_is_read_safely():
    store = {
        "active_manifest": "a",
        "manifests": {
            "a": {"assertions": [
                {"label": "c2pa.actions", "data": {"actions": [
                    {"action": "c2pa.created", "digitalSourceType": TRAINED,
                     "softwareAgent": "x" * 5000}]}},
                {"label": "c2pa.actions", "data": "not a map"},
                "junk",
            ], "signature_info": {"issuer": ["not", "text"], "common_name": "CN Only"}},
            "b": "junk",
        },
        "validation_status": [{"code": "signingCredential.untrusted"}],
    }
    read = c2pa_read.from_store(store, "Valid")
    assert read.state == "Untrusted"
    assert read.signer == "CN Only"
    [claim] = read.claims
    assert claim.ai_class == "generated"
    assert len(claim.agent or "") == 200


def test_unsupported_container_gives_no_c2pa(tmp_path: Path, trusting):
    mkv = tmp_path / "clip.mkv"
    mkv.write_bytes(b"\x1a\x45\xdf\xa3" + b"\x00" * 64)
    assert c2pa_read.read(str(mkv), trusting.context) is None
