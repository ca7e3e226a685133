"""Allowed values of the record fields a person may declare (use, lifecycle, presented_as,
consent status), read from the production register's JSON schema so the panel and the
register never disagree."""

from __future__ import annotations

import json
from importlib import resources

from aiclear.catalogue.load import known_uses


def field_choices() -> dict[str, list[str]]:
    """Allowed values of the editable fields, from the register's JSON schema."""
    text = (resources.files("aiclear.resources") / "schemas" / "register.schema.json").read_text()
    schema: object = json.loads(text)
    return {"use": known_uses(),
            "lifecycle": _enum(schema, "lifecycle"), "presented_as": _enum(schema, "presented_as"),
            "consent": _enum(schema, "consent", "status"),
            "fact_check": _enum(schema, "fact_check"), "union": ["", "sag_aftra", "equity", "other"]}


def _enum(node: object, *keys: str) -> list[str]:
    """The first ``enum`` found under the key path ``keys`` anywhere in a JSON schema."""
    if isinstance(node, dict):
        found = node.get(keys[0]) if keys[0] in node else None
        if isinstance(found, dict):
            inner = found if len(keys) == 1 else found.get("properties", {})
            if len(keys) == 1 and "enum" in inner:
                return [str(v) for v in inner["enum"]]
            if len(keys) > 1:
                value = _enum(inner, *keys[1:])
                if value:
                    return value
        for child in node.values():
            value = _enum(child, *keys)
            if value:
                return value
    elif isinstance(node, list):
        for child in node:
            value = _enum(child, *keys)
            if value:
                return value
    return []
