"""A segment's tool evidence matched against the catalogue, as plain data.

Every tool name the evidence gives is looked up: the record's tool (register, a record
on the clip, the media's hints, names), each C2PA ``softwareAgent``, XMP ``AISystemUsed``
and container tag. Evidence that disagrees is not resolved in the tool's favour: every
named tool must be approved (a register saying "Firefly" does not hide a manifest
saying "Midjourney").
"""

from __future__ import annotations

from aiclear.catalogue.load import Catalogue, Tool
from aiclear.catalogue.names import norm, split_version, version_allowed
from aiclear.model import CatalogueProblem, CatalogueVerdict, JsonObject, UsageRecord

#: ``record["catalogue"]["status"]`` values, strongest problem first
STATUSES = ("no_catalogue", "unknown_tool", "unlisted", "refused", "version", "approved")


def named_tools(record: UsageRecord) -> list[tuple[str, str | None, str]]:
    """(name, version, where) for every tool the record and its evidence name."""
    found: list[tuple[str, str | None, str]] = []
    tool = record.get("tool") or {}
    if isinstance(tool, dict) and tool.get("product"):
        found.append((str(tool["product"]), _text(tool.get("version")), "record"))
    for ev in record.get("evidence") or []:
        name = ev.get("tool") if isinstance(ev, dict) else None
        if isinstance(name, str) and name.strip():
            found.append((name.strip(), None, str(ev.get("kind", "evidence"))))
    unique: dict[str, tuple[str, str | None, str]] = {}
    for name, version, where in found:
        unique.setdefault(norm(name) + "\0" + (version or ""), (name, version, where))
    return list(unique.values())


def tool_status(record: UsageRecord, catalogue: Catalogue | None) -> CatalogueVerdict:
    """What the catalogue says about the tools that made this segment."""
    if catalogue is None:
        return {"status": "no_catalogue", "catalogue": None, "tools": [], "problems": []}
    names = named_tools(record)
    tools: list[JsonObject] = []
    problems: list[CatalogueProblem] = []
    if not names:
        problems.append({"status": "unknown_tool",
                         "message": "no tool is named by the register, the media or the names "
                                    "(declare tool: in its register entry)"})
    for name, version, where in names:
        entry, version = _lookup(catalogue, name, version, record)
        if entry is None:
            problems.append({"status": "unlisted", "name": name,
                             "message": f"{name} ({where}) is not in the catalogue {catalogue.label} "
                                        "(replace the shot, or add the tool once it is approved)"})
            continue
        if any(t["id"] == entry.id for t in tools):
            continue
        tools.append({**entry.summary(), "named": name, "version": version})
        problem = _entry_problem(entry, version)
        if problem:
            problems.append(problem)
    status = min((p["status"] for p in problems), key=STATUSES.index, default="approved")
    return {"status": status, "catalogue": catalogue.label, "tools": tools, "problems": problems}


def _lookup(catalogue: Catalogue, name: str, version: str | None,
            record: UsageRecord) -> tuple[Tool | None, str | None]:
    entry = catalogue.lookup(name)
    if entry is None:
        vendor = (record.get("tool") or {}).get("vendor")
        if vendor:
            entry = catalogue.lookup(f"{vendor} {name}")
    if entry is None:  # "Midjourney 7": the last word is a version
        base, split = split_version(name)
        if split is not None:
            entry = catalogue.lookup(base)
            version = version or split
    return entry, version


def _entry_problem(entry: Tool, version: str | None) -> CatalogueProblem | None:
    if not entry.approved:
        reason = entry.data.get("reason")
        return {"status": "refused", "name": entry.product,
                "message": f"{entry.product} is listed as not approved"
                           + (f": {reason}" if reason else "")}
    if version and entry.versions and not version_allowed(version, entry.versions):
        return {"status": "version", "name": entry.product,
                "message": f"{entry.product} version {version} is not approved "
                           f"(approved: {', '.join(entry.versions)})"}
    return None


def _text(value: object) -> str | None:
    return str(value).strip() or None if value not in (None, "") else None
