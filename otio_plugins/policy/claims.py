"""The clearance claims of a usage record: what an approval is bound to.

An approval signed by legal clears an asset, but the rules that decide whether the clip
may be delivered read record fields the editor types (the production register, the record
on the clip): consent, fact-check, lifecycle, use, presented-as, principle answers. An
approval therefore carries ``record: {sha256, fields}``, the claims it was signed for
(``aiclear approve SEGMENT --timeline``, the panel's sign-off), and the scan counts it only
while the segment's claims hash the same (aiclear.scan.core). ``fields`` is kept so a
mismatch can say what changed (``changes``).

Only fields a rule, the risk matrix or the clearance routing reads are claims; evidence,
the status cache and what every scan recomputes (catalogue verdict, escalation) are not.
The claims are taken from the record as the register and the clip make it, before signed
ledger declarations are laid over it: those are signed, and screened on every scan
(aiclear.policy.relax), so they need no binding and signing one never voids an approval.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from aiclear.model import JsonObject, UsageRecord
from aiclear.safety import shape

#: the top-level claims, in the order a change is reported
FIELDS = ("ai_class", "use", "lifecycle", "people", "fact_check", "presented_as",
          "depicts_real", "principles", "tool", "ingredients")
_PERSON = ("name", "union", "replica_type")
_CONSENT = ("status", "ref")
_FACT_CHECK = ("status", "ref")
_DEPICTS = ("resembles_existing", "would_appear_authentic", "evidently_artistic")
_TOOL = ("vendor", "product", "version")
_INGREDIENT = ("description", "rights")
#: at most this many changes are named in a finding (then "and N more")
SHOWN = 4


def claims(record: UsageRecord) -> JsonObject:
    """The record's clearance claims as plain JSON (absent and empty read as null)."""
    from aiclear.policy.risk import answers  # the one reading of principle answers

    people = [{**_pick(p, _PERSON), "consent": _pick(shape.mapping(p).get("consent"),
                                                      _CONSENT)}
              for p in shape.items(record.get("people"))]
    return {
        "ai_class": _scalar(record.get("ai_class")),
        "use": _scalar(record.get("use")),
        "lifecycle": _scalar(record.get("lifecycle")),
        "people": people,
        "fact_check": _pick(record.get("fact_check"), _FACT_CHECK),
        "presented_as": _scalar(record.get("presented_as")),
        "depicts_real": _pick(record.get("depicts_real"), _DEPICTS),
        "principles": {key: given["answer"] for key, given in sorted(answers(record).items())},
        "tool": _pick(record.get("tool"), _TOOL),
        "ingredients": [_pick(i, _INGREDIENT) for i in shape.items(record.get("ingredients"))],
    }


def digest(fields: Mapping[str, object]) -> str:
    """SHA-256 (hex) of the claims' canonical JSON (sorted keys, no whitespace, UTF-8: the
    byte form aiclear.ledger.statement.canonical signs)."""
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def binding_of(fields: JsonObject) -> JsonObject:
    """``{sha256, fields}`` of claims (``claims``): what a decision statement carries as
    ``record``."""
    return {"sha256": digest(fields), "fields": fields}


def changes(before: Mapping[str, object], now: Mapping[str, object]) -> list[str]:
    """``field: old -> new`` for every claim that differs, in ``FIELDS`` order."""
    found: list[str] = []
    for key in (*FIELDS, *sorted(set(before) - set(FIELDS))):
        _diff(key, before.get(key), now.get(key), found)
    return found


def summary(before: Mapping[str, object], now: Mapping[str, object]) -> str:
    """The changes in one line, the first ``SHOWN`` named."""
    found = changes(before, now) or ["the record's claims"]
    more = f", and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    return ", ".join(found[:SHOWN]) + more


def _diff(path: str, old: object, new: object, found: list[str]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in dict.fromkeys([*new, *old]):  # the claims' own order (stored ones are sorted)
            _diff(f"{path}.{key}", old.get(key), new.get(key), found)
        return
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            _diff(f"{path}[{_label(a, b, index)}]", a, b, found)
        return
    found.append(f"{path}: {_show(old)} -> {_show(new)}")


def _label(old: object, new: object, index: int) -> str:
    """A person or ingredient by its name where both sides agree on it, else its place."""
    names = {shape.text(shape.mapping(v).get("name") or shape.mapping(v).get("description"))
             for v in (old, new)}
    name = names.pop() if len(names) == 1 else None
    return name or str(index)


def _show(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return value if value.strip() else json.dumps(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _pick(value: object, keys: tuple[str, ...]) -> JsonObject:
    given = shape.mapping(value)
    return {key: _scalar(given.get(key)) for key in keys}


def _scalar(value: object) -> object:
    """A claim's value as JSON: text, numbers and booleans as they are, empty as null,
    anything else (a YAML date, a list where text belongs) as its JSON text."""
    if value in (None, "", [], {}):
        return None
    if isinstance(value, (str, bool, int, float)):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
