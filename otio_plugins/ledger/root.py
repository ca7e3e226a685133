"""The production root: entry 1 of a schema-2 ledger, and what a machine pins.

It names the production (a random id every entry's signature covers, and a display
name), its admin keys, the policy profile the production is judged by (name and the
SHA-256 of the merged profile's canonical JSON), the deliverable formats and where the
ledger lives. Its fingerprint is the SHA-256 of its canonical JSON
(``aiclear.ledger.keyring.fingerprint``).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from aiclear.ledger.keys import SigningKey
from aiclear.ledger.statement import canonical, root_statement
from aiclear.model import JsonObject
from aiclear.safety import shape

if TYPE_CHECKING:
    from aiclear.policy.profile import Profile


def profile_digest(profile: Profile) -> str:
    """SHA-256 of a composed profile's canonical JSON: what a root pins."""
    return hashlib.sha256(canonical(profile.data)).hexdigest()


def policy_pin(profile_spec: str) -> tuple[dict[str, str], list[str]]:
    """({name, sha256}, deliverables) of a profile as ``load_profile`` composes it."""
    from aiclear.policy.profile import load_profile

    profile = load_profile(profile_spec)
    deliverables = [str(d) for d in shape.items(profile.section("gate").get("deliverables"))]
    return {"name": profile.name, "sha256": profile_digest(profile)}, deliverables


def new_root(admin: SigningKey, *, production: str, profile: str, ledger: str,
             more_admins: Sequence[tuple[str, str]] = (), production_id: str | None = None,
             ) -> JsonObject:
    """A root statement signed (later, into entry 1) by ``admin``; ``more_admins`` are
    (public key, name) of further admin keys listed in it."""
    policy, deliverables = policy_pin(profile)
    admins = [{"key": admin.public_text, "name": admin.name}]
    admins += [{"key": k, "name": n} for k, n in more_admins if k != admin.public_text]
    return root_statement(admin, production_id=production_id or uuid.uuid4().hex,
                          production=production, admins=admins, policy=policy,
                          deliverables=deliverables, ledger=ledger)
