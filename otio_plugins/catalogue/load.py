"""Load and validate an approved-tools catalogue (YAML, ``catalogue.schema.json``).

Errors name the file, the line and what was expected, like the register's. Every
entry is indexed under the normalised spellings of its product, its aliases and
"vendor product", so matching a segment's tool evidence is one dict lookup per name.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Required, TypedDict, cast

from aiclear.catalogue.dates import iso_dates
from aiclear.catalogue.names import norm
from aiclear.errors import CatalogueError
from aiclear.model import JsonObject
from aiclear.safety import guard, shape, yamlio

if TYPE_CHECKING:
    import yaml


class Agreement(TypedDict, total=False):
    ref: str
    expires: str  # ISO date


class DataTerms(TypedDict, total=False):
    trains_on_inputs: bool | str  # true, false or "unknown"
    retains_inputs: bool | str
    retention: str
    agreement: Agreement


class ApprovedFor(TypedDict, total=False):
    uses: list[str]
    lifecycles: list[str]  # temp | final


class ToolEntry(TypedDict, total=False):
    """One ``tools:`` entry, as ``catalogue.schema.json`` shapes it (validated on load)."""

    id: Required[str]
    vendor: str
    product: Required[str]
    aliases: list[str]
    versions: list[str]
    approved: bool
    reason: str
    deployment: Required[str]
    data_terms: DataTerms
    approved_for: ApprovedFor
    notes: str


class CatalogueFile(TypedDict, total=False):
    aiclear_catalogue: Required[int]
    production: str
    tools: Required[list[ToolEntry]]


class ProfileView(Protocol):
    """What ``profile_catalogue`` reads of a profile (aiclear.policy.profile.Profile, a
    layer above this one)."""

    @property
    def data(self) -> Mapping[str, object]: ...

    @property
    def sources(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Tool:
    """One catalogue entry."""

    id: str
    product: str
    vendor: str
    deployment: str  # enterprise | consumer | self-hosted
    data: ToolEntry
    line: int | None = None

    @property
    def approved(self) -> bool:
        return self.data.get("approved", True) is not False

    @property
    def names(self) -> list[str]:
        spellings = [self.product, *self.data.get("aliases", [])]
        if self.vendor:
            spellings.append(f"{self.vendor} {self.product}")
        return spellings

    @property
    def versions(self) -> list[str]:
        return list(self.data.get("versions") or [])

    @property
    def terms(self) -> DataTerms:
        return (self.data.get("data_terms") or {}).copy()

    @property
    def agreement(self) -> Agreement:
        return (self.terms.get("agreement") or {}).copy()

    @property
    def uses(self) -> list[str] | None:
        """Approved uses; None when the catalogue does not restrict them."""
        uses = (self.data.get("approved_for") or {}).get("uses")
        return list(uses) if uses is not None else None

    @property
    def lifecycles(self) -> list[str] | None:
        found = (self.data.get("approved_for") or {}).get("lifecycles")
        return list(found) if found is not None else None

    def summary(self) -> JsonObject:
        """Plain data for records, reports and the panel."""
        terms = self.terms
        return {
            "id": self.id, "product": self.product, "vendor": self.vendor,
            "deployment": self.deployment, "approved": self.approved,
            "trains_on_inputs": terms.get("trains_on_inputs", "unknown"),
            "retains_inputs": terms.get("retains_inputs", "unknown"),
            "retention": terms.get("retention"),
            "agreement": self.agreement.get("ref"),
            "agreement_expires": self.agreement.get("expires"),
            "uses": self.uses, "lifecycles": self.lifecycles,
        }


@dataclass
class Catalogue:
    path: str
    production: str | None = None
    tools: list[Tool] = field(default_factory=list)
    _by_name: dict[str, Tool] = field(default_factory=dict)
    #: the file as parsed and validated (dates as ISO text): what a production root pins by
    #: the hash of its canonical JSON (aiclear.ledger.root.catalogue_digest), so layout and
    #: comments do not change it
    data: Mapping[str, object] = field(default_factory=dict)

    def add(self, tool: Tool) -> None:
        self.tools.append(tool)
        for name in tool.names:
            self._by_name.setdefault(norm(name), tool)

    def lookup(self, name: str) -> Tool | None:
        return self._by_name.get(norm(name))

    @property
    def label(self) -> str:
        return Path(self.path).name


def load_catalogue(path: str | Path) -> Catalogue:
    path = Path(path)
    guard.regular_file(path, CatalogueError, "a .yaml approved-tools catalogue")
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise CatalogueError(path, f"unknown catalogue format {path.suffix or '(none)'}",
                             expected="a .yaml or .yml file")
    raw, node = yamlio.load(path, CatalogueError, "approved-tools catalogue")
    data = _validate(iso_dates(raw), path, node)
    catalogue = Catalogue(str(path), production=data.get("production"), data=data)
    seen: dict[str, int] = {}
    for i, item in enumerate(data["tools"]):
        line = yamlio.line_of(node, ("tools", i))
        if item["id"] in seen:
            raise CatalogueError(path, f"tools.{i}.id: {item['id']!r} is used twice", place=line,
                                 expected="a unique id per tool")
        seen[item["id"]] = i
        _check_uses(item, path, node, i)
        catalogue.add(Tool(id=item["id"], product=item["product"], vendor=item.get("vendor", ""),
                           deployment=item["deployment"], data=item, line=line))
    return catalogue


def profile_catalogue(profile: ProfileView) -> Path | None:
    """The ``catalogue:`` a profile names, relative to the profile file that names it
    (a child's overrides its parent's); None when no file in its chain names one."""
    if not profile.data.get("catalogue"):
        return None
    for source in profile.sources:  # child first, as the merge gave precedence
        data, _ = yamlio.load(Path(source), CatalogueError, "policy profile")
        if isinstance(data, dict) and isinstance(data.get("catalogue"), str):
            given = Path(data["catalogue"])
            return given if given.is_absolute() else Path(source).parent / given
    return None


@cache
def _schema(name: str) -> JsonObject:
    text = (resources.files("aiclear.resources") / "schemas" / name).read_text()
    return shape.mapping(json.loads(text))


def known_uses() -> list[str]:
    """The uses a register may declare (its schema is the one list of them)."""
    defs = shape.mapping(_schema("register.schema.json").get("$defs"))
    return shape.strings(shape.mapping(defs.get("use")).get("enum"))


def _check_uses(item: ToolEntry, path: Path, node: yaml.Node | None, index: int) -> None:
    uses = (item.get("approved_for") or {}).get("uses") or []
    for j, use in enumerate(uses):
        if use not in known_uses():
            raise CatalogueError(path, f"tools.{index}.approved_for.uses.{j}: unknown use {use!r}",
                                 place=yamlio.line_of(node, ("tools", index, "approved_for", "uses", j)),
                                 expected="one of: " + ", ".join(known_uses()))


def _validate(data: object, path: Path, node: yaml.Node | None) -> CatalogueFile:
    """``data`` as the catalogue it is once ``catalogue.schema.json`` accepts it; else the
    first error, one line with its place."""
    if not isinstance(data, dict):
        raise CatalogueError(path, "top level is not a mapping", place=1,
                             expected="aiclear_catalogue: 1 and tools: [...]")
    import jsonschema  # here: a check without a catalogue never pays its import (~0.06 s)

    errors = sorted(jsonschema.Draft202012Validator(_schema("catalogue.schema.json"))
                    .iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return cast(CatalogueFile, data)  # the schema above describes exactly this shape
    err = errors[0]
    where = tuple(err.absolute_path)
    dotted = ".".join(str(p) for p in where) or "(top level)"
    schema = err.schema if isinstance(err.schema, dict) else {}
    expected = ("one of: " + ", ".join(map(str, schema["enum"]))) if "enum" in schema else None
    if err.validator == "additionalProperties" and "properties" in schema:
        expected = "keys among: " + ", ".join(sorted(schema["properties"]))
        extra = sorted(set(err.instance) - set(schema["properties"]))
        if extra:  # point at the unexpected key itself, not the mapping holding it
            where = (*where, extra[0])
    if err.validator == "required":
        expected = "keys " + ", ".join(schema.get("required", []))
    raise CatalogueError(path, f"{dotted}: {err.message[:150]}", place=yamlio.line_of(node, where),
                         expected=expected or "an entry matching catalogue.schema.json")
