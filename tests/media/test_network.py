"""No network access, ever: not for a timeline URL, not for a remote C2PA manifest.

A local TCP listener stands in for the network. The control test shows c2pa-rs *would*
connect to it if remote fetch were on, so silence in the other tests means something.
The in-process test also makes every Python socket connect raise.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import c2pa
import pytest

from aiclear.media import Prober
from tests.media import media_gen as g
from tests.media.timeline_util import clip, clip_places, save, timeline


class Listener:
    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]

    def connected(self, wait: float) -> bool:
        self.sock.settimeout(wait)
        try:
            conn, _ = self.sock.accept()
        except TimeoutError:
            return False
        conn.close()
        return True


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.sock.close()


@pytest.fixture
def remote_manifest_file(tmp_path: Path, library, pki, listener: Listener) -> Path:
    url = f"http://127.0.0.1:{listener.port}/manifests/ai.c2pa"
    return g.sign(pki, library["plain.mp4"], tmp_path / "cloud.mp4",
                  g.actions(g.created(g.TRAINED, "Hidden Model")), remote_url=url)


def test_control_c2pa_would_fetch_when_allowed(remote_manifest_file: Path, listener: Listener):
    ctx = c2pa.Context(c2pa.Settings.from_dict({"verify": {"remote_manifest_fetch": True}}))

    def read() -> None:
        with contextlib.suppress(c2pa.C2paError):
            c2pa.Reader(str(remote_manifest_file), context=ctx)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    assert listener.connected(wait=10), "c2pa did not try the URL: the other tests prove nothing"


def test_prober_never_fetches_a_remote_manifest_or_url(tmp_path: Path, remote_manifest_file,
                                                       listener: Listener, anchors):
    tl = timeline([clip("cloud", str(remote_manifest_file)),
                   clip("url", f"http://127.0.0.1:{listener.port}/clip.mp4"),
                   clip("url2", f"https://127.0.0.1:{listener.port}/clip.mp4")])
    prober = Prober(trust_anchors=anchors, jobs=1, cache_path=tmp_path / "c.sqlite3")
    cloud, url, url2 = prober.probe_many(clip_places(tl), save(tl, tmp_path))
    [ev] = cloud.evidence
    assert (ev["kind"], ev["state"]) == ("c2pa", "Remote")
    assert ev["remote_url"] == f"http://127.0.0.1:{listener.port}/manifests/ai.c2pa"
    assert [f.rule for f in cloud.findings] == ["media.c2pa_remote"]
    assert url.evidence[0]["detail"] == url2.evidence[0]["detail"] == "not probed: remote"
    assert not listener.connected(wait=0.5)


def test_in_process_probe_makes_no_socket_connection(tmp_path: Path, remote_manifest_file,
                                                     listener: Listener, monkeypatch):
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise AssertionError(f"network connect attempted: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    tl = timeline([clip("cloud", str(remote_manifest_file)),
                   clip("url", f"http://127.0.0.1:{listener.port}/x.mov"),
                   clip("s3", "s3://bucket/x.mov")])
    prober = Prober(jobs=0, use_cache=False)  # jobs=0: in this process, under the patch
    results = prober.probe_many(clip_places(tl), save(tl, tmp_path))
    assert attempts == []
    assert results[0].evidence[0]["state"] == "Remote"
    assert json.dumps([r.evidence for r in results])  # plain JSON, ready for the report
    assert not listener.connected(wait=0.3)
