"""The prober plugged into the lead's scan: AI media of each kind becomes a segment with
the right evidence and record fields; decoys give no segment."""

from __future__ import annotations

import json
from pathlib import Path

from aiclear.media import Prober
from aiclear.policy.profile import load_profile
from aiclear.scan.core import scan_timeline
from aiclear.scan.settings import ScanSettings
from tests.media.timeline_util import clip, save, timeline

KINDS = {  # clip name -> (file, ai_class, evidence kind, tool product)
    "GEN_VIDEO": ("ai_video.mp4", "generated", "c2pa", "Example Text-to-Video Model"),
    "GEN_STILL": ("ai_still.jpg", "generated", "c2pa", "Adobe Firefly"),
    "COMPOSITE": ("composite.mov", "edited", "c2pa", "Example Text-to-Video Model"),
    "TAMPERED": ("tampered.mp4", "generated", "c2pa", "Example Text-to-Video Model"),
    "XMP_STILL": ("xmp_ai.png", "generated", "xmp", None),
}
DECOYS = {"CAPTURE": "capture.mp4", "ALGO": "algorithmic.png", "CAM": "camera.mov",
          "PLAIN": "plain.mp4", "XMPCAP": "xmp_capture.jpg"}


def test_scan_flags_ai_media_and_not_the_decoys(tmp_path: Path, library, anchors):
    video = [clip(n, str(library[f])) for n, (f, *_) in KINDS.items()]
    video += [clip(n, str(library[f])) for n, f in DECOYS.items()]
    tl = timeline(video, [clip("VOICE", str(library["ai_voice.wav"]))])
    settings = ScanSettings(profile=load_profile("baseline"),
                            media=Prober(trust_anchors=anchors, jobs=2,
                                         cache_path=tmp_path / "c.sqlite3"))
    result = scan_timeline(tl, settings, save(tl, tmp_path))
    segments = {s.clip: s for s in result.segments}
    assert set(segments) == {*KINDS, "VOICE"}
    for name, (_, ai_class, kind, product) in KINDS.items():
        seg = segments[name]
        assert seg.ai_class == ai_class, name
        assert seg.asset_id.startswith("blake3:"), name
        assert kind in {e["kind"] for e in seg.evidence}, name
        if product:
            assert seg.record["tool"]["product"] == product, name
    c2pa_ev = [e for e in segments["GEN_VIDEO"].evidence if e["kind"] == "c2pa"]
    assert (c2pa_ev[0]["state"], c2pa_ev[0]["signer"]) == ("Trusted", "Test Post House")
    assert segments["VOICE"].track_kind == "Audio"
    tampered = [f for f in segments["TAMPERED"].findings if f.rule == "media.c2pa_invalid"]
    assert tampered[0].severity == "warn"
    assert tampered[0].segment_id == segments["TAMPERED"].segment_id
    report = json.dumps(result.to_json())  # evidence is plain JSON in the report
    assert '"state": "Invalid"' in report
