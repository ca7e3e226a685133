"""Every reader takes hostile bytes without raising (hypothesis-generated inputs)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiclear.media import c2pa_read, xmp

HEADS = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8", b"II*\x00", b"MM\x00*", b""]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(head=st.sampled_from(HEADS), body=st.binary(max_size=2048))
def test_still_packet_never_raises(head: bytes, body: bytes):
    with tempfile.NamedTemporaryFile(suffix=".bin") as fh:
        fh.write(head + body)
        fh.flush()
        packet = xmp.still_packet(Path(fh.name))
    assert packet is None or isinstance(packet, bytes)
    assert packet is None or len(packet) <= xmp.MAX_PACKET


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000) | st.binary(max_size=2000))
def test_source_types_never_raises(packet: str | bytes):
    found = xmp.source_types(packet)
    assert all(isinstance(v, str) for v in found)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["action", "actions", "templates", "digitalSourceType",
                         "softwareAgent", "softwareAgentIndex", "softwareAgents", "label",
                         "data", "assertions", "ingredients", "active_manifest", "name"]),
        inner, max_size=5),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(manifests=st.dictionaries(st.text(max_size=5), json_values, max_size=4),
       active=st.text(max_size=5), state=st.sampled_from(["Valid", "Invalid", "Trusted", "?"]))
def test_store_interpretation_never_raises(manifests, active, state):
    read = c2pa_read.from_store({"active_manifest": active, "manifests": manifests}, state)
    assert read.state in {"Valid", "Invalid", "Trusted", "Untrusted"}
