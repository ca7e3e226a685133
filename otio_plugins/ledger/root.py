"""The production root: entry 1 of a schema-2 ledger, and what a machine pins.

It names the production (a random id every entry's signature covers, and a display
name), its admin keys, the policy profile the production is judged by (name and the
SHA-256 of the merged profile's canonical JSON), optionally the approved-tools catalogue
(file name and the SHA-256 of the parsed file's canonical JSON), the deliverable formats
and where the ledger lives. Its fingerprint is the SHA-256 of its canonical JSON
(``aiclear.ledger.keyring.fingerprint``). An admin-signed ``policy`` or ``catalogue``
entry re-pins the policy or the catalogue later.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from aiclear.ledger.keys import SigningKey
from aiclear.ledger.statement import canonical, root_statement
from aiclear.model import JsonObject
from aiclear.safety import shape

if TYPE_CHECKING:
    from aiclear.catalogue.load import Catalogue
    from aiclear.policy.profile import Profile


def content_digest(data: object) -> str:
    """SHA-256 of parsed data's canonical JSON: a hash that layout and comments of the
    file it came from do not change."""
    return hashlib.sha256(canonical(data)).hexdigest()


def profile_digest(profile: Profile) -> str:
    """SHA-256 of a composed profile's canonical JSON: what a root pins."""
    return content_digest(profile.data)


def catalogue_digest(catalogue: Catalogue) -> str:
    """SHA-256 of an approved-tools catalogue's canonical JSON: what a root pins."""
    return content_digest(catalogue.data)


def policy_pin(profile_spec: str) -> tuple[dict[str, str], list[str]]:
    """({name, sha256}, deliverables) of a profile as a check applies it (a file combined
    over its built-in, ``policy.combine``), so the check's own hash can match the pin."""
    from aiclear.policy.combine import effective_profile

    profile = effective_profile(profile_spec)
    deliverables = [str(d) for d in shape.items(profile.section("gate").get("deliverables"))]
    return {"name": profile.name, "sha256": profile_digest(profile)}, deliverables


def catalogue_pin(path: str | Path) -> dict[str, str]:
    """{name, sha256} of a catalogue file, read and validated as every check reads it."""
    from aiclear.catalogue.load import load_catalogue

    catalogue = load_catalogue(path)
    return {"name": catalogue.label, "sha256": catalogue_digest(catalogue)}


def new_root(admin: SigningKey, *, production: str, profile: str, ledger: str,
             more_admins: Sequence[tuple[str, str]] = (), production_id: str | None = None,
             catalogue: str | Path | None = None) -> JsonObject:
    """A root statement signed (later, into entry 1) by ``admin``; ``more_admins`` are
    (public key, name) of further admin keys listed in it; ``catalogue`` a catalogue file
    to pin (None: the root pins none)."""
    policy, deliverables = policy_pin(profile)
    admins = [{"key": admin.public_text, "name": admin.name}]
    admins += [{"key": k, "name": n} for k, n in more_admins if k != admin.public_text]
    return root_statement(admin, production_id=production_id or uuid.uuid4().hex,
                          production=production, admins=admins, policy=policy,
                          deliverables=deliverables, ledger=ledger,
                          catalogue=catalogue_pin(catalogue) if catalogue else None)
