"""Load, compose (``extends:``) and validate policy profiles.

A profile is a YAML file: a name from ``resources/profiles/`` or a path. Profiles
compose: a child's mappings merge into its parent's, a child's lists replace the
parent's. The merged result is validated against ``resources/schemas/profile.schema.json``
and any error names the file, the line and what was expected.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypedDict, overload

from aiclear.detect.terms import DetectConfig
from aiclear.errors import ProfileError
from aiclear.model import JsonObject
from aiclear.safety import guard, shape, yamlio

if TYPE_CHECKING:  # imported to validate a profile file that is not built in (~0.06 s)
    import jsonschema
    import yaml

DEFAULT_PROFILE = "baseline"
NEVER_CLEARS = frozenset({"editor"})

# The sections of a profile that code reads, as ``profile.schema.json`` shapes them: a
# profile is validated before it is used (``_validate``; the built-in ones by tests/policy),
# and ``combine`` keeps that shape.
RuleSeverity = Literal["block", "warn", "off"]
Tier = Literal["notify", "written_approval"]


class Tiers(TypedDict, total=False):
    temp: Tier
    final: Tier


class DefaultsSection(TypedDict, total=False):
    rate: float


class RiskSection(TypedDict, total=False):
    approver: list[str]  # roles that give written approval
    default: Tiers  # every use not listed in uses
    uses: dict[str, Tiers]


class ClearanceSection(TypedDict, total=False):
    default: list[str]  # roles that clear a use not listed in roles
    roles: dict[str, list[str]]  # use -> roles
    allow_reference_approvals: bool


class DisclosureSection(TypedDict, total=False):
    on_screen: str  # all | deepfakes | classes | none
    on_screen_classes: list[str]
    limited_style: str
    merge_gap_seconds: float
    min_display_seconds: float
    max_line_chars: int
    max_lines: int
    reading_speed_cps: float
    position: str
    language: str
    programme_evidently_artistic: bool


class GateSection(TypedDict, total=False):
    deliverables: list[str]  # target suffixes the export gate blocks
    tag_on_read: bool


@dataclass(frozen=True)
class Profile:
    name: str
    data: JsonObject  # the merged profile, as validated (read it through ``section``)
    sources: tuple[str, ...] = field(default=())  # the files it was composed from, child first
    #: what a local profile tried to weaken and was ignored (aiclear.policy.combine)
    notices: tuple[str, ...] = field(default=())

    @overload
    def section(self, key: Literal["defaults"]) -> DefaultsSection: ...
    @overload
    def section(self, key: Literal["detect"]) -> DetectConfig: ...
    @overload
    def section(self, key: Literal["rules"]) -> dict[str, RuleSeverity]: ...
    @overload
    def section(self, key: Literal["clearance"]) -> ClearanceSection: ...
    @overload
    def section(self, key: Literal["risk"]) -> RiskSection: ...
    @overload
    def section(self, key: Literal["disclosure"]) -> DisclosureSection: ...
    @overload
    def section(self, key: Literal["gate"]) -> GateSection: ...

    def section(self, key: str) -> Mapping[str, object]:
        """One top-level section, shaped as its overload says (the schema validated it);
        ``{}`` when the profile has none."""
        value = self.data.get(key) or {}
        return value if isinstance(value, dict) else {}

    @property
    def default_rate(self) -> float:
        return float(self.section("defaults").get("rate", 24))

    def severity(self, rule: str) -> str:
        """``block``, ``warn`` or ``off`` for a rule id (``off`` when the profile omits it)."""
        return str(self.section("rules").get(rule, "off"))

    def accepted_roles(self, use: str | None) -> frozenset[str]:
        """Roles whose approval clears an asset of this use; never ``editor``."""
        clearance = self.section("clearance")
        roles = clearance.get("roles", {}).get(use or "", clearance.get("default", ["legal"]))
        return frozenset(roles) - NEVER_CLEARS


def builtin_folder() -> Path:
    """Where the built-in profiles live (resolved), to tell them from users' files."""
    return Path(str(resources.files("aiclear.resources") / "profiles")).resolve()


def builtin_names() -> list[str]:
    folder = resources.files("aiclear.resources") / "profiles"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")
                  and not p.name.startswith("_"))


def load_profile(spec: str | Path | None = None) -> Profile:
    """A built-in profile by name, or a profile file by path."""
    return _load(str(spec or DEFAULT_PROFILE))


@cache
def _load(spec: str) -> Profile:
    chain = _chain(spec, base_dir=None, seen=())
    merged: JsonObject = {}
    for _, data, _ in reversed(chain):
        merged = _merge(merged, data)
    merged.pop("extends", None)
    child_path, _, child_node = chain[0]
    _validate(merged, child_path, child_node, builtin=all(_is_builtin(p) for p, _, _ in chain))
    name = str(merged.get("name", spec))
    return Profile(name=name, data=merged, sources=tuple(str(p) for p, _, _ in chain))


def _chain(spec: str, base_dir: Path | None, seen: tuple[str, ...]
           ) -> list[tuple[Path, JsonObject, yaml.Node | None]]:
    path = _locate(spec, base_dir)
    key = str(path.resolve())
    if key in seen:
        raise ProfileError(path, "profile extends itself (cycle: "
                           + " -> ".join([*seen, key]) + ")", expected="an acyclic extends:")
    data: object
    data, node = _builtin(path) if _is_builtin(path) else yamlio.load(path, ProfileError,
                                                                        "policy profile")
    if not isinstance(data, dict):
        raise ProfileError(path, "top level is not a mapping", place=1,
                           expected="a mapping with aiclear_profile: 1 and name:")
    parent = data.get("extends")
    here: list[tuple[Path, JsonObject, yaml.Node | None]] = [(path, data, node)]
    if parent in (None, ""):
        return here
    if not isinstance(parent, str):
        raise ProfileError(path, "extends: is not a profile name or path",
                           place=yamlio.line_of(node, ("extends",)), expected="a string")
    return here + _chain(parent, path.parent, (*seen, key))


def _locate(spec: str, base_dir: Path | None) -> Path:
    looks_like_path = spec.endswith((".yaml", ".yml")) or "/" in spec or "\\" in spec
    if looks_like_path:
        path = Path(spec)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        guard.regular_file(path, ProfileError,
                           "a YAML profile, or one of: " + ", ".join(builtin_names()))
        return path
    folder = resources.files("aiclear.resources") / "profiles"
    candidate = folder / f"{spec}.yaml"
    if not candidate.is_file():
        raise ProfileError(spec, "unknown profile",
                           expected="one of: " + ", ".join(builtin_names()) + ", or a path to a .yaml file")
    return Path(str(candidate))


def _merge(base: JsonObject, child: JsonObject) -> JsonObject:
    out = copy.deepcopy(base)
    for key, value in child.items():
        have = out.get(key)
        if isinstance(value, dict) and isinstance(have, dict):
            out[key] = _merge(have, value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@cache
def _schema() -> JsonObject:
    text = (resources.files("aiclear.resources") / "schemas" / "profile.schema.json").read_text()
    return shape.mapping(json.loads(text))


def _builtin(path: Path) -> tuple[object, None]:
    """A built-in profile, parsed with libyaml when present (~1 ms instead of ~20 ms for
    the hostile-input loader with its node tree): it is the package's own file."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader), None  # noqa: S506


def _is_builtin(path: Path) -> bool:
    """A profile shipped in the package (tests/policy validate every one against the schema)."""
    folder = Path(str(resources.files("aiclear.resources") / "profiles"))
    return path.parent.resolve() == folder.resolve() and path.name.endswith(".yaml")


def _validate(data: JsonObject, path: Path, node: yaml.Node | None, builtin: bool = False) -> None:
    """Schema, then rule names. A chain of built-in profiles skips the schema: they are
    validated by the test suite, and jsonschema's import is half of ``check``'s start-up."""
    errors: list[jsonschema.ValidationError] = []
    if not builtin:
        import jsonschema

        validator = jsonschema.Draft202012Validator(_schema())
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        _check_rules(data, path, node)
        return
    err = errors[0]
    where = tuple(err.absolute_path)
    dotted = ".".join(str(p) for p in where) or "(top level)"
    raise ProfileError(path, f"{dotted}: {_short(err)}", place=yamlio.line_of(node, where),
                       expected=_expected(err))


def _check_rules(data: JsonObject, path: Path, node: yaml.Node | None) -> None:
    from aiclear.policy.rules import RULES  # local: rules import this module

    for rule in shape.mapping(data.get("rules")):
        if rule not in RULES:
            raise ProfileError(path, f"rules.{rule}: unknown rule",
                               place=yamlio.line_of(node, ("rules", rule)),
                               expected="one of: " + ", ".join(sorted(RULES)))


def _short(err: jsonschema.ValidationError) -> str:
    message = err.message
    return message if len(message) <= 120 else message[:117] + "..."


def _expected(err: jsonschema.ValidationError) -> str:
    schema = err.schema if isinstance(err.schema, dict) else {}
    if "enum" in schema:
        return "one of: " + ", ".join(map(str, schema["enum"]))
    if "const" in schema:
        return f"{schema['const']!r}"
    bounds = {"exclusiveMinimum": "above", "minimum": "at least", "maximum": "at most"}
    if err.validator in bounds:
        return f"a number {bounds[str(err.validator)]} {err.validator_value}"
    if err.validator == "additionalProperties" and "properties" in schema:
        return "keys among: " + ", ".join(sorted(schema["properties"]))
    if "type" in schema:
        return f"a value of type {schema['type']}"
    return "a value matching the profile schema"
