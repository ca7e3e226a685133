"""sign-master never fetches: an AI source whose Content Credentials live at a URL is
certified, placed as an ingredient and signed, and the URL's server never hears from us."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.media import media_gen as g
from tests.media.test_network import Listener
from tests.provenance.conftest import Production, render_master, video
from tests.provenance.test_certify import approve_ai, certify


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.sock.close()


def test_remote_manifest_source_is_never_fetched(production: Production,
                                                 listener: Listener) -> None:
    url = f"http://127.0.0.1:{listener.port}/manifests/plate.c2pa"
    plain = video(production.folder / "plain.mp4", 1)
    remote = g.sign(production.sources.pki, plain, production.folder / "remote.mp4",
                    g.actions(g.created(g.TRAINED, "Hidden Model")), remote_url=url)
    shutil.move(remote, production.sources.ai)  # the plate the cut uses (declared by name)
    approve_ai(production)
    code, _, err, cert = certify(production)
    assert code == 0, err
    master = render_master(production.sources.camera, production.sources.ai,
                           production.folder / "master.mp4")
    out = production.folder / "master.signed.mp4"
    code, stdout, err = production.aiclear(
        "sign-master", master, "--certificate", cert, "--cert", production.sources.pki.chain_pem,
        "--key", production.sources.pki.key_pem, "-o", out)
    assert code == 0, err
    assert "1 ingredient(s)" in stdout
    assert not listener.connected(wait=1.0)
