"""The usage record: the only code that reads or writes ``metadata["aiclear"]``.

A record is a plain dict (portable to OTIO consumers without our plugin)::

    {"schema": 1, "ai_class": "generated", "source_type": "http://cv.iptc.org/...",
     "tool": {"vendor", "product", "version"}, "use": "background_element",
     "lifecycle": "temp", "people": [...], "ingredients": [...],
     "evidence": [{"kind", "detail", ...}], "status": "provisional",
     "disclosure": {"on_screen": bool, "credit": bool, "text": {...}},
     "asset_id": "blake3:..." | "ref:..."}

The ``status`` in a file is only a cache for display: the ledger is the authority.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, cast

from aiclear import NAMESPACE
from aiclear.model import Evidence, JsonObject, LedgerTrust, UsageRecord
from aiclear.timeline import metaview

if TYPE_CHECKING:  # annotations only: importing OTIO here is not needed at run time
    import opentimelineio as otio

SCHEMA_VERSION = 1
LEDGER_KEY = "aiclear_ledger"  # on the timeline, beside the records on its clips
#: on aiclear's own disclosure overlay (track, label clips, markers): not a usage record
DISCLOSURE_KEY = "aiclear_disclosure"

#: fields a record may carry; anything else found in a file is kept but ignored
FIELDS = (
    "schema", "ai_class", "source_type", "tool", "use", "lifecycle", "people",
    "ingredients", "evidence", "status", "disclosure", "asset_id", "description",
    "prompt_ref", "operator", "presented_as", "depicts_real", "fact_check",
    "register", "production", "created", "principles", "catalogue", "escalation",
)


def new_record() -> UsageRecord:
    return {
        "schema": SCHEMA_VERSION,
        "ai_class": None,
        "source_type": None,
        "tool": {},
        "use": None,
        "lifecycle": None,
        "people": [],
        "ingredients": [],
        "evidence": [],
        "status": "provisional",
        "disclosure": {},
        "asset_id": None,
    }


def read(obj: otio.core.SerializableObject, metadata: Mapping[str, object] | None = None
         ) -> UsageRecord | None:
    """The record stored on an OTIO object, as a plain dict copy, or None.

    ``metadata`` is ``metaview.entries(obj.metadata)`` when the caller already has it.
    """
    raw: object
    if metadata is not None:
        raw = metadata.get(NAMESPACE)
    else:
        try:
            raw = metaview.get(obj.metadata, NAMESPACE)  # a plain .get miss costs ~30 µs
        except AttributeError:
            return None
    if raw is None:
        return None
    data = _plain(raw)
    # a boundary: whatever a file holds; each reader checks the field types it relies on
    return cast(UsageRecord, data) if isinstance(data, dict) else None


def write(obj: otio.core.SerializableObject, record: UsageRecord) -> None:
    """Store ``record`` on an OTIO object (replacing any earlier one)."""
    obj.metadata[NAMESPACE] = _jsonable(record)


def write_judged(obj: otio.core.SerializableObject, record: UsageRecord, status: str) -> None:
    """Store a scanned segment's record with its status: a cache for display only, since
    the signed ledger decides (a status edited into a file clears nothing)."""
    write(obj, {**record, "status": status})


def write_ledger_state(timeline: otio.core.SerializableObject, trust: LedgerTrust) -> None:
    """``timeline.metadata["aiclear_ledger"]``: the ledger state (root, head) a tagged or
    exported copy was judged against, the evidence ``aiclear ledger verify --against`` reads."""
    timeline.metadata[LEDGER_KEY] = trust.to_json()


def remove(obj: otio.core.SerializableObject) -> None:
    if NAMESPACE in metaview.keys(obj.metadata):
        del obj.metadata[NAMESPACE]


def add_evidence(record: UsageRecord, evidence: Evidence) -> None:
    """Append evidence unless the same kind+detail is already there."""
    seen = {(e.get("kind"), e.get("detail")) for e in record.setdefault("evidence", [])}
    if (evidence.get("kind"), evidence.get("detail")) not in seen:
        record["evidence"].append(evidence.copy())


def merge(base: UsageRecord, extra: Mapping[str, object]) -> UsageRecord:
    """Fill empty fields of ``base`` from ``extra`` (declared values win over inferred).

    ``extra`` is a layer of record fields (a register entry, a record found on the clip,
    the media's hints). A ``tool`` or ``evidence`` of the wrong type raises what reading
    it as a dict or list raises, so the scan blocks on it with the same line as ever."""
    out: JsonObject = copy.deepcopy(dict(base))  # fields by name: a plain dict here
    record = cast(UsageRecord, out)  # the same dict, returned as the record it is
    for key, value in extra.items():
        if key == "evidence":
            for ev in _evidence(value or []):
                add_evidence(record, ev)
        elif key == "tool":
            out["tool"] = _fill(out.setdefault("tool", {}) or {}, value or {})
        elif value not in (None, "", [], {}) and out.get(key) in (None, "", [], {}):
            out[key] = copy.deepcopy(value)
    return record


def _evidence(value: object) -> list[Evidence]:
    """The evidence entries of a layer (see ``merge``)."""
    if not isinstance(value, Iterable):
        raise TypeError(f"{type(value).__name__!r} object is not iterable")
    found: list[Evidence] = []
    for ev in value:
        if not isinstance(ev, dict):
            raise AttributeError(f"{type(ev).__name__!r} object has no attribute 'get'")
        found.append(cast(Evidence, ev))  # kind and detail are read as given
    return found


def _fill(tool: object, extra: object) -> object:
    """``tool`` with its empty keys filled from ``extra`` (see ``merge``)."""
    if not isinstance(extra, Mapping):
        raise AttributeError(f"{type(extra).__name__!r} object has no attribute 'items'")
    if not extra:
        return tool
    if not isinstance(tool, dict):
        raise AttributeError(f"{type(tool).__name__!r} object has no attribute 'get'")
    for k, v in extra.items():
        if not tool.get(k):
            tool[k] = v
    return tool


def _plain(value: object) -> object:
    """Convert OTIO's metadata dictionaries and vectors into plain Python containers."""
    return metaview.plain(value)


def _jsonable(value: object) -> object:
    """Drop values OTIO metadata cannot hold (None inside lists is fine; sets are not)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


#: record fields a person may declare (in the panel or a signed ledger declaration)
DECLARABLE = ("use", "lifecycle", "presented_as", "people", "fact_check", "principles")


def declare(record: UsageRecord, fields: Mapping[str, object], detail: str) -> None:
    """Lay declared ``fields`` over a record, with a ``manual`` evidence entry.

    The evidence keeps the use the declaration replaced (``replaces_use``): a declaration
    may raise what clearing needs, never lower it, so a judge takes every use the record
    has carried into account (``declared_uses``)."""
    old_use = record.get("use")
    named = cast(JsonObject, record)  # declarable fields by name
    for key, value in fields.items():
        if key in DECLARABLE:
            named[key] = copy.deepcopy(value)
    entry: Evidence = {"kind": "manual", "detail": detail}
    if "use" in fields and old_use and old_use != fields.get("use"):
        entry["replaces_use"] = old_use
    add_evidence(record, entry)


def declared_uses(record: UsageRecord) -> list[str | None]:
    """The record's use and every use a declaration replaced (see ``declare``)."""
    uses: list[str | None] = [record.get("use")]
    for ev in record.get("evidence") or []:
        replaced = ev.get("replaces_use") if isinstance(ev, dict) else None
        if replaced and replaced not in uses:
            uses.append(str(replaced))
    return uses
