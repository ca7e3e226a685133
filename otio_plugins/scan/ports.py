"""The seams between the scan and the parts that live in their own sub-packages.

The scan (aiclear.scan.core) asks a ``MediaProber`` for evidence read from media files
(aiclear.media) and a ``ClearanceView`` for the ledger's decisions (aiclear.ledger).
Both are optional: without them the scan uses the timeline, register and names only,
and every AI segment stays provisional.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from aiclear.model import Decision, Declared, Finding, LedgerTrust, MediaResult
from aiclear.timeline.walk import ClipPlace


class MediaProber(Protocol):
    def probe_many(
        self, clips: Sequence[ClipPlace], timeline_path: Path | None
    ) -> list[MediaResult | None]:
        """One result per clip (None when the clip has no media reference at all)."""
        ...


class ClearanceView(Protocol):
    def decision(self, asset_id: str, accepted_roles: frozenset[str]) -> Decision | None:
        """The ledger's standing decision on an asset, counting only approvals signed by a
        trusted, unrevoked key with one of ``accepted_roles``, unexpired and unrevoked;
        rejections count from any trusted key. None when nothing valid applies."""
        ...

    def declarations(self, asset_id: str) -> list[Declared]:
        """The signed record declarations on an asset that count, oldest first."""
        ...

    def integrity_findings(self) -> list[Finding]:
        """Block findings for tampering: bad signature, broken chain, unknown key ...,
        and ``ledger.unverified`` / ``ledger.rollback`` when its root is not pinned here or
        it went backwards (then ``decision`` clears nothing)."""
        ...

    @property
    def trust(self) -> LedgerTrust:
        """Pinned or unverified, why, the root fingerprint, production and head judged."""
        ...
