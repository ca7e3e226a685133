"""Per-language disclosure wording: ``resources/templates/<lang>.yaml``.

Every language file carries the same keys as ``en.yaml``; a key missing from another
language falls back to English rather than failing a delivery (the test suite checks
that none are missing). Values are ``str.format`` templates with named fields only.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from aiclear.errors import UsageError
from aiclear.model import JsonObject
from aiclear.safety import shape

FALLBACK = "en"


@dataclass(frozen=True)
class Wording:
    """The wording of one language, with English behind it for missing keys."""

    lang: str
    data: JsonObject
    fallback: JsonObject

    def text(self, section: str, key: str, **fields: str) -> str:
        """The template ``section.key`` filled with ``fields``; missing fields stay empty."""
        template = self._lookup(section, key)
        return _fill(template, fields)

    def has(self, section: str, key: str) -> bool:
        return isinstance(_entry(self.data, section, key), str) or isinstance(
            _entry(self.fallback, section, key), str)

    def number(self, key: str, default: float) -> float:
        value = self.data.get(key, self.fallback.get(key, default))
        return float(value) if isinstance(value, (int, float)) else default

    def _lookup(self, section: str, key: str) -> str:
        for source in (self.data, self.fallback):
            value = _entry(source, section, key)
            if isinstance(value, str):
                return " ".join(value.split())
        raise KeyError(f"{section}.{key}")


def languages() -> list[str]:
    folder = resources.files("aiclear.resources") / "templates"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def wording(lang: str | None = None) -> Wording:
    """The wording for ``lang`` (a code such as ``en`` or ``ja``; ``ja-JP`` uses ``ja``)."""
    code = (lang or FALLBACK).strip().lower().replace("_", "-")
    base = code.split("-")[0]
    available = languages()
    if base not in available:
        raise UsageError(
            f"no disclosure templates for language {lang!r} (expected one of {', '.join(available)})")
    return Wording(base, _load(base), _load(FALLBACK))


@cache
def _load(lang: str) -> JsonObject:
    source = resources.files("aiclear.resources") / "templates" / f"{lang}.yaml"
    return shape.mapping(yaml.safe_load(source.read_text(encoding="utf-8")))


def _entry(source: JsonObject, section: str, key: str) -> object:
    """``source[section][key]``, or None when either is missing."""
    part = source.get(section)
    return part.get(key) if isinstance(part, dict) else None


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, fields: dict[str, str]) -> str:
    # format_map on named fields only: a template can never reach attributes or indexes
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    if any(not n.isidentifier() for n in names):
        raise ValueError(f"template field names must be plain words: {template!r}")
    return " ".join(template.format_map(_Blank(fields)).split())
