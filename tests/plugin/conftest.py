from __future__ import annotations

from collections.abc import Iterator

import opentimelineio as otio
import pytest


@pytest.fixture(autouse=True)
def _fresh_manifest(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts from OTIO's manifest as installed (tests may edit hook lists)."""
    for var in ("AICLEAR_PROFILE", "AICLEAR_REGISTER", "OTIO_PLUGIN_MANIFEST_PATH",
                "OTIO_DISABLE_ENTRYPOINTS_PLUGINS"):
        monkeypatch.delenv(var, raising=False)
    otio.plugins.ActiveManifest(force_reload=True)
    yield
    otio.plugins.ActiveManifest(force_reload=True)
