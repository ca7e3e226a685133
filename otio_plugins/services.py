"""The seams between the scan and the parts that live in their own sub-packages.

The scan (aiclear.scan) asks a ``MediaProber`` for evidence read from media files
(aiclear.media) and a ``ClearanceView`` for the ledger's decisions (aiclear.ledger).
Both are optional: without them the scan uses the timeline, register and names only,
and every AI segment stays provisional.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from aiclear.model import Decision, Evidence, Finding
from aiclear.walk import ClipPlace


@dataclass(slots=True)
class MediaResult:
    """What the media files behind one clip say."""

    path: str | None = None  # the resolved local file, when there is one
    asset_id: str | None = None  # "blake3:<hex>" of the bytes aiclear read, when readable
    evidence: list[Evidence] = field(default_factory=list)  # c2pa / xmp / probe_tag / missing ...
    #: record fields inferred from the media: ai_class, source_type, tool{vendor,product,version}
    hints: dict[str, Any] = field(default_factory=dict)
    is_ai: bool = False  # True when any evidence says generative AI
    findings: list[Finding] = field(default_factory=list)  # e.g. warn: AI claim in an Invalid manifest
    #: the pre-BLAKE3 ``sha256:`` id of the same bytes, computed only when called (a ledger
    #: or register keyed by sha256) and then cached; ``legacy_id(True)`` hashes the bytes
    #: now. None for image sequences and unread media
    legacy_id: Callable[..., str | None] | None = field(default=None, repr=False, compare=False)
    #: when ``asset_id`` came from the cache: hash the bytes now (None: unreadable). The
    #: scan calls it before anything clears, so a cache never clears on its own say-so
    recheck: Callable[[], str | None] | None = field(default=None, repr=False, compare=False)


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

    def integrity_findings(self) -> list[Finding]:
        """Block findings for tampering: bad signature, broken chain, unknown key ..."""
        ...
