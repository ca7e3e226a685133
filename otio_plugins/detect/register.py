"""The production AI register: how a production declares its AI assets (YAML or CSV).

YAML::

    aiclear_register: 1
    assets:
      - match: {file: plate_0420.mov}     # or glob:, sha256:, reel:, clip:
        tool: Runway Gen-4
        vendor: Runway
        use: background_element
        source_type: trainedAlgorithmicMedia

CSV: one row per asset; the columns are the match keys (file, glob, sha256, reel, clip)
and the entry fields (tool, vendor, version, use, source_type, lifecycle, description,
prompt_ref, operator, presented_as). Both forms are validated against
``resources/schemas/register.schema.json``.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Required, TypedDict, cast

from aiclear.catalogue.dates import iso_dates
from aiclear.detect import sourcetype
from aiclear.errors import RegisterError
from aiclear.model import DepictsReal, Disclosure, Ingredient, JsonObject, Person
from aiclear.safety import guard, shape, yamlio

if TYPE_CHECKING:
    import yaml

MATCH_KEYS = ("file", "glob", "sha256", "reel", "clip")
CSV_FIELDS = ("tool", "vendor", "version", "use", "source_type", "lifecycle", "description",
              "prompt_ref", "operator", "presented_as", "id", "created")


class RegisterEntry(TypedDict, total=False):
    """One ``assets:`` entry, as ``register.schema.json`` shapes it (validated on load)."""

    id: str
    match: Required[dict[str, str]]  # file | glob | sha256 | reel | clip -> value
    tool: str
    vendor: str
    version: str
    use: str
    source_type: str
    lifecycle: str
    description: str
    prompt_ref: str
    operator: str
    presented_as: str
    depicts_real: DepictsReal
    fact_check: str  # n_a | pending | verified | failed
    created: str
    principles: dict[str, object]  # key -> yes/no/unsure/bool or {answer, note}
    people: list[Person]
    ingredients: list[Ingredient]
    disclosure: Disclosure


class RegisterFile(TypedDict, total=False):
    aiclear_register: Required[int]
    production: str
    assets: Required[list[RegisterEntry]]


@dataclass(frozen=True)
class Entry:
    path: str
    line: int | None
    data: RegisterEntry

    @property
    def label(self) -> str:
        return f"{Path(self.path).name}:{self.line}" if self.line else Path(self.path).name

    def record_fields(self) -> JsonObject:
        """The usage-record fields this entry declares."""
        d = self.data
        tool = {k: v for k, v in (("product", d.get("tool")), ("vendor", d.get("vendor")),
                                  ("version", d.get("version"))) if v}
        source = sourcetype.normalise(d.get("source_type"))
        fields: JsonObject = {
            "ai_class": sourcetype.ai_class(source) if source else "generated",
            "source_type": source,
            "tool": tool,
            "register": {"entry": d.get("id") or self.label, "path": self.path},
        }
        for key in ("use", "lifecycle", "description", "prompt_ref", "operator", "presented_as",
                    "depicts_real", "people", "ingredients", "disclosure", "created",
                    "principles"):
            value = d.get(key)
            if value not in (None, "", [], {}):
                fields[key] = value
        if d.get("fact_check"):
            fields["fact_check"] = {"status": d["fact_check"]}
        return fields


@dataclass
class Register:
    """Entries indexed for matching by every kind of key."""

    path: str
    production: str | None = None
    entries: list[Entry] = field(default_factory=list)
    _exact: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)
    _globs: list[tuple[str, Entry]] = field(default_factory=list)

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        for key, value in entry.data["match"].items():
            if key == "glob":
                self._globs.append((value.lower(), entry))
            else:
                self._exact.setdefault((key, _norm(key, value)), []).append(entry)

    def uses(self, key: str) -> bool:
        """True when some entry matches by ``key`` (e.g. ``sha256``: then the scan hashes)."""
        return any(k == key for k, _ in self._exact)

    def match(self, *, file: str | None = None, path: str | None = None,
              sha256: str | None = None, reel: str | None = None,
              clip: str | None = None) -> list[tuple[Entry, str]]:
        """Entries matching any of the given identities, with what matched."""
        found: list[tuple[Entry, str]] = []
        for key, value in (("file", file), ("sha256", sha256), ("reel", reel), ("clip", clip)):
            if value:
                for entry in self._exact.get((key, _norm(key, value)), []):
                    found.append((entry, f"{key} {value}"))
        for pattern, entry in self._globs:
            for candidate in (file, path):
                if candidate and fnmatch.fnmatchcase(candidate.lower(), pattern):
                    found.append((entry, f"glob {pattern}"))
                    break
        unique: dict[int, tuple[Entry, str]] = {}
        for entry, why in found:
            unique.setdefault(id(entry), (entry, why))
        return list(unique.values())


def _norm(key: str, value: str) -> str:
    value = str(value).strip()
    if key == "sha256":
        return value.lower().removeprefix("sha256:")
    return value.lower()


def load_register(path: str | Path) -> Register:
    path = Path(path)
    guard.regular_file(path, RegisterError, "a .yaml or .csv register")
    raw: object
    if path.suffix.lower() == ".csv":
        raw, lines = _read_csv(path)
        node = None
    elif path.suffix.lower() in (".yaml", ".yml"):
        loaded, node = yamlio.load(path, RegisterError, "AI register")
        raw, lines = iso_dates(loaded), None  # YAML dates (created:) as ISO strings
    else:
        raise RegisterError(path, f"unknown register format {path.suffix or '(none)'}",
                            expected="a .yaml, .yml or .csv file")
    data = _validate(raw, path, node, lines)
    register = Register(str(path), production=data.get("production"))
    for i, item in enumerate(data["assets"]):
        line = lines[i] if lines else yamlio.line_of(node, ("assets", i))
        register.add(Entry(str(path), line, item))
    return register


def _read_csv(path: Path) -> tuple[JsonObject, list[int]]:
    text = yamlio.read_text(path, RegisterError, "CSV register")
    try:
        reader = csv.DictReader(io.StringIO(text))
        assets: list[JsonObject] = []
        lines: list[int] = []
        for row in reader:
            clean = {str(k).strip().lower(): (v or "").strip() for k, v in row.items() if k}
            match = {k: clean[k] for k in MATCH_KEYS if clean.get(k)}
            entry: JsonObject = {"match": match}
            entry.update({k: clean[k] for k in CSV_FIELDS if clean.get(k)})
            unknown = sorted(set(clean) - set(MATCH_KEYS) - set(CSV_FIELDS))
            if unknown:
                raise RegisterError(path, f"unknown column {unknown[0]!r}", place=1,
                                    expected="columns among: " + ", ".join(MATCH_KEYS + CSV_FIELDS))
            assets.append(entry)
            lines.append(reader.line_num)
    except csv.Error as err:
        raise RegisterError(path, f"not valid CSV: {err}", expected="a CSV register") from err
    return {"aiclear_register": 1, "assets": assets}, lines


@cache
def _schema() -> JsonObject:
    text = (resources.files("aiclear.resources") / "schemas" / "register.schema.json").read_text()
    return shape.mapping(json.loads(text))


def _validate(data: object, path: Path, node: yaml.Node | None, lines: list[int] | None
              ) -> RegisterFile:
    """``data`` as the register it is once ``register.schema.json`` accepts it; else the
    first error, one line with its place."""
    if not isinstance(data, dict):
        raise RegisterError(path, "top level is not a mapping", place=1,
                            expected="aiclear_register: 1 and assets: [...]")
    import jsonschema  # here: a check without --register never pays its import (~0.06 s)

    errors = sorted(jsonschema.Draft202012Validator(_schema()).iter_errors(data),
                    key=lambda e: list(e.absolute_path))
    if not errors:
        return cast(RegisterFile, data)  # the schema above describes exactly this shape
    err = errors[0]
    where = tuple(err.absolute_path)
    if lines is not None and len(where) >= 2 and isinstance(where[1], int):
        place: int | None = lines[where[1]]
    else:
        place = yamlio.line_of(node, where)
    dotted = ".".join(str(p) for p in where) or "(top level)"
    schema = err.schema if isinstance(err.schema, dict) else {}
    expected = ("one of: " + ", ".join(map(str, schema["enum"]))) if "enum" in schema else None
    if err.validator == "additionalProperties" and "properties" in schema:
        expected = "keys among: " + ", ".join(sorted(schema["properties"]))
    raise RegisterError(path, f"{dotted}: {err.message[:150]}", place=place,
                        expected=expected or "an entry matching register.schema.json")
