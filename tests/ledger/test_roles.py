from __future__ import annotations

import pytest

from aiclear.errors import ProfileError
from aiclear.ledger.roles import DEFAULT_ROLES, RolePolicy, accepted_roles


def test_defaults() -> None:
    for use in ("likeness", "voice", "digital_replica", "archival_reconstruction"):
        assert accepted_roles(use) == {"legal"}
    for use in ("background_element", "temp_placeholder", "vfx_element", "localization"):
        assert accepted_roles(use) == {"producer", "legal"}
    assert accepted_roles("key_creative_element") == {"legal"}
    assert accepted_roles(None) == {"legal"}
    assert all("editor" not in roles for roles in DEFAULT_ROLES.values())


def test_profile_overrides_and_editor_never_clears() -> None:
    policy = RolePolicy.from_profile({"clearance": {
        "roles": {"voice": ["legal", "editor"], "vfx_element": ["legal"]},
        "default": ["producer", "legal"]}})
    assert policy.accepted("voice") == {"legal"}
    assert policy.accepted("vfx_element") == {"legal"}
    assert policy.accepted("key_creative_element") == {"producer", "legal"}
    assert policy.accepted("likeness") == {"legal"}  # untouched default
    assert RolePolicy.from_profile({}).accepted("voice") == {"legal"}


@pytest.mark.parametrize("section", [
    {"roles": {"voice": "legal"}},
    {"roles": {"voice": ["lawyer"]}},
    {"default": "legal"},
    {"roles": ["voice"]},
    "legal",
])
def test_bad_sections_name_the_place(section: object) -> None:
    with pytest.raises(ProfileError, match="clearance") as info:
        RolePolicy.from_profile({"clearance": section}, source="studio.yaml")
    assert str(info.value).startswith("studio.yaml:clearance")
