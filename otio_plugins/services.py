"""The seams between the scan and the parts that live in their own sub-packages.

The scan (aiclear.scan) asks a ``MediaProber`` for evidence read from media files
(aiclear.media) and a ``ClearanceView`` for the ledger's decisions (aiclear.ledger).
Both are optional: without them the scan uses the timeline, register and names only,
and every AI segment stays provisional.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from aiclear.model import Decision, Evidence, Finding
from aiclear.walk import ClipPlace


@dataclass(slots=True)
class MediaResult:
    """What the media files behind one clip say."""

    path: str | None = None  # the resolved local file, when there is one
    asset_id: str | None = None  # "sha256:<hex>" of the file bytes, when readable
    evidence: list[Evidence] = field(default_factory=list)  # c2pa / xmp / probe_tag / missing ...
    #: record fields inferred from the media: ai_class, source_type, tool{vendor,product,version}
    hints: dict[str, Any] = field(default_factory=dict)
    is_ai: bool = False  # True when any evidence says generative AI
    findings: list[Finding] = field(default_factory=list)  # e.g. warn: AI claim in an Invalid manifest


class MediaProber(Protocol):
    def probe_many(
        self, clips: Sequence[ClipPlace], timeline_path: Path | None
    ) -> list[MediaResult | None]:
        """One result per clip (None when the clip has no media reference at all)."""
        ...


@dataclass(frozen=True, slots=True)
class Declared:
    """Record fields a trusted person declared for an asset, signed into the ledger."""

    fields: dict[str, Any]
    detail: str  # who, when and which entry: the ``manual`` evidence's text


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
        """Block findings for tampering: bad signature, broken chain, unknown key ..."""
        ...
