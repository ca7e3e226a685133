"""Which roles may clear which uses: the profile's ``clearance:`` section.

    clearance:
      roles:                 # use -> roles whose approval clears it
        voice: [legal]
        background_element: [producer, legal]
      default: [legal]       # any use not listed (and clips with no use)

A profile's map is laid over ``DEFAULT_ROLES``. ``editor`` never clears, whatever a
profile says: the code drops it here and again in the view.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiclear.errors import ProfileError
from aiclear.ledger.keys import ROLES
from aiclear.model import JsonObject

NEVER_CLEARS = frozenset({"editor"})

DEFAULT_ROLES: dict[str, tuple[str, ...]] = {
    "likeness": ("legal",),
    "voice": ("legal",),
    "digital_replica": ("legal",),
    "archival_reconstruction": ("legal",),
    "background_element": ("producer", "legal"),
    "temp_placeholder": ("producer", "legal"),
    "vfx_element": ("producer", "legal"),
    "localization": ("producer", "legal"),
}
DEFAULT_FALLBACK: tuple[str, ...] = ("legal",)

#: The JSON-schema fragment for the ``clearance`` section of profile.schema.json.
CLEARANCE_SCHEMA: JsonObject = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "roles": {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": {"enum": [r for r in ROLES if r not in NEVER_CLEARS]},
                "uniqueItems": True,
            },
        },
        "default": {
            "type": "array",
            "items": {"enum": [r for r in ROLES if r not in NEVER_CLEARS]},
            "uniqueItems": True,
        },
    },
}


class RolePolicy:
    """``accepted(use)`` -> the roles whose approval clears a clip of that use."""

    def __init__(self, clearance: object = None, *, source: str = "") -> None:
        """``clearance`` is the section as the profile holds it: checked here."""
        section = clearance or {}
        if not isinstance(section, Mapping):
            raise ProfileError(source or None, "clearance must be a mapping",
                               place="clearance", expected="roles: and default:")
        self.roles = {use: frozenset(r) for use, r in DEFAULT_ROLES.items()}
        overrides = section.get("roles") or {}
        if not isinstance(overrides, Mapping):
            raise ProfileError(source or None, "clearance.roles must be a mapping",
                               place="clearance.roles", expected="use: [role, ...]")
        for use, roles in overrides.items():
            self.roles[str(use)] = _roles(roles, source, f"clearance.roles.{use}")
        default = section.get("default")
        self.default = (
            _roles(default, source, "clearance.default")
            if default is not None
            else frozenset(DEFAULT_FALLBACK)
        )

    @classmethod
    def from_profile(cls, profile_data: Mapping[str, object] | None, source: str = ""
                     ) -> RolePolicy:
        """From a merged profile dict (``Profile.data``); no section means the defaults."""
        return cls((profile_data or {}).get("clearance"), source=source)

    def accepted(self, use: str | None) -> frozenset[str]:
        roles = self.roles.get(use, self.default) if use else self.default
        return roles - NEVER_CLEARS


def accepted_roles(use: str | None, clearance: object = None) -> frozenset[str]:
    """Shortcut: the roles that may clear ``use`` under a ``clearance`` section."""
    return RolePolicy(clearance).accepted(use)


def _roles(value: object, source: str, place: str) -> frozenset[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ProfileError(source or None, "expected a list of role names", place=place,
                           expected=f"a list of {', '.join(ROLES)}")
    unknown = [v for v in value if v not in ROLES]
    if unknown:
        raise ProfileError(source or None, f"unknown role(s) {', '.join(unknown)}", place=place,
                           expected=f"roles from {', '.join(ROLES)}")
    return frozenset(value) - NEVER_CLEARS
