"""Media evidence: what the files a timeline references say about AI use.

C2PA Content Credentials (active and ingredient manifests, validation state, signer),
XMP ``Iptc4xmpExt:DigitalSourceType``, and container tags naming known AI tools; an
``asset_id`` from the file bytes; a shared SQLite cache; a parallel, time-limited probe.
Local files only: a network URL is reported, never opened.

The lead wires it in with ``aiclear.media.cli_args``::

    add_media_arguments(parser)
    prober = prober_from_args(args, profile.data)   # an aiclear.scan.ports.MediaProber
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiclear.media.prober import Prober

__all__ = ["Prober"]


def __getattr__(name: str) -> type[Prober]:
    # c2pa and PyAV load when something probes, not when a command builds its options
    if name == "Prober":
        from aiclear.media.prober import Prober

        return Prober
    raise AttributeError(f"module 'aiclear.media' has no attribute {name!r}")
