"""The production-wide GenAI use report for the studio (issue 17): every distinct AI
asset once, across many timelines, with where it is used, the tool and its data terms,
use, risk tier, guiding-principle answers, people and consent, rights, decisions and
who signed them; open escalations first; totals by tool, use and tier.

Built from a batch ``Report`` (the same scan as ``aiclear check``). JSON for machines,
CSV for spreadsheets (cells escaped against formula injection like the cue sheet) and
printable HTML through a Jinja2 template with autoescaping.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from importlib import resources

import jinja2

from aiclear import __version__
from aiclear.disclose.cuesheet import safe_cell
from aiclear.disclose.text import clean
from aiclear.model import Ingredient, JsonObject, Person, Report, Segment, TimelineResult, UsageRecord
from aiclear.policy.risk import PRINCIPLES
from aiclear.safety import shape

FORMATS = ("html", "json", "csv")
STATUS_ORDER = ("rejected", "provisional", "cleared")
CSV_COLUMNS = ("asset_id", "clips", "used_in", "description", "tool", "catalogue_status",
               "deployment", "data_terms", "agreement", "use", "lifecycle", "tier",
               "escalation", "principles", "people", "rights", "status", "decision",
               "blocking")


@dataclass
class Use:
    """One place an asset is used."""

    timeline: str
    path: str
    segment_id: str
    track: str
    start_tc: str
    end_tc: str
    status: str
    enabled: bool


@dataclass
class AssetRow:
    """One distinct AI asset and everything the studio asks about it."""

    asset_id: str
    clips: list[str]
    media: str
    description: str
    tool: str
    catalogue_status: str
    catalogue_problems: list[str]
    deployment: str
    data_terms: str
    agreement: str
    use: str
    lifecycle: str
    tier: str
    escalation_required: bool
    escalation_reasons: list[str]
    escalation_roles: list[str]
    principles: dict[str, dict[str, str]]
    people: list[str]
    rights: list[str]
    status: str
    decision: str
    decision_detail: dict[str, str] | None
    blocking: list[str]
    warnings: list[str]
    uses: list[Use] = field(default_factory=list)

    @property
    def open_escalation(self) -> bool:
        return self.escalation_required and self.status != "cleared"


@dataclass
class UseReport:
    production: str
    date: str
    profile: str
    catalogue: str
    timelines: list[dict[str, str]]
    assets: list[AssetRow]
    totals: dict[str, dict[str, int]]

    @property
    def open_escalations(self) -> int:
        return sum(a.open_escalation for a in self.assets)


def build(report: Report, *, production: str, date: str, catalogue: str = "") -> UseReport:
    """Group the batch report's segments by asset and summarise them."""
    rows: dict[str, AssetRow] = {}
    for timeline in report.timelines:
        for seg in timeline.segments:
            row = rows.get(seg.asset_id)
            if row is None:
                row = rows[seg.asset_id] = _row(seg)
            _add_use(row, seg, timeline)
    assets = sorted(rows.values(), key=_order)
    return UseReport(
        production=clean(production) or "(production not named)", date=clean(date),
        profile=clean(report.profile), catalogue=clean(catalogue) or "none given",
        timelines=[{"name": clean(t.name), "path": clean(t.path), "verdict": t.verdict,
                    "error": clean(t.error)} for t in report.timelines],
        assets=assets, totals=_totals(assets))


def _order(row: AssetRow) -> tuple[int, int, int, str]:
    return (not row.open_escalation, not row.blocking, STATUS_ORDER.index(row.status),
            row.clips[0].casefold() if row.clips else "")


def _row(seg: Segment) -> AssetRow:
    record = seg.record
    # records come from files: each part is read through shape, the wrong type reads as absent
    status = shape.mapping(record.get("catalogue"))
    tools = shape.records(status.get("tools"))
    esc = shape.mapping(record.get("escalation"))
    decision = seg.decision
    return AssetRow(
        asset_id=seg.asset_id, clips=[], media=clean(seg.media),
        description=clean(record.get("description")), tool=_tool(record),
        catalogue_status=clean(status.get("status") or "no_catalogue"),
        catalogue_problems=[clean(p.get("message")) for p in shape.records(status.get("problems"))],
        deployment=", ".join(clean(t.get("deployment")) for t in tools),
        data_terms="; ".join(_terms(t) for t in tools),
        agreement="; ".join(_agreement(t) for t in tools if t.get("agreement")),
        use=clean(record.get("use")),
        lifecycle=clean(record.get("lifecycle")) or "undeclared (counted as final)",
        tier=clean(esc.get("tier") or "not triaged"),
        escalation_required=bool(esc.get("required")),
        escalation_reasons=[clean(r) for r in shape.items(esc.get("reasons"))],
        escalation_roles=[clean(r) for r in shape.items(esc.get("roles"))],
        principles=_principles(shape.mapping(esc.get("principles"))),
        people=[_person(p) for p in record.get("people") or [] if isinstance(p, dict)],
        rights=[_rights(i) for i in record.get("ingredients") or [] if isinstance(i, dict)],
        status=seg.status,
        decision=(f"{seg.status} by {clean(decision.approver)} ({clean(decision.role)}) "
                  f"on {clean(decision.time)}, ledger entry {clean(decision.entry)}"
                  if decision else "no decision signed"),
        decision_detail=({"status": decision.status, "approver": clean(decision.approver),
                          "role": clean(decision.role), "time": clean(decision.time),
                          "entry": clean(decision.entry),
                          "conditions": clean(decision.conditions)} if decision else None),
        blocking=[], warnings=[])


def _add_use(row: AssetRow, seg: Segment, timeline: TimelineResult) -> None:
    name = clean(seg.clip)
    if name not in row.clips:
        row.clips.append(name)
    row.uses.append(Use(timeline=clean(timeline.name), path=clean(timeline.path),
                        segment_id=seg.segment_id, track=f"{seg.track_kind[:1]}{seg.track_index}",
                        start_tc=seg.start_tc, end_tc=seg.end_tc, status=seg.status,
                        enabled=seg.enabled))
    # the worst status of any use stands for the asset (a rejection anywhere shows)
    if STATUS_ORDER.index(seg.status) < STATUS_ORDER.index(row.status):
        row.status = seg.status
    for f in seg.findings:  # one line per rule: the same rule on each use says the same
        target = row.blocking if f.severity == "block" else row.warnings
        if not any(line.startswith(f"{f.rule}: ") for line in target):
            target.append(f"{f.rule}: {clean(f.message)}")


def _tool(record: UsageRecord) -> str:
    tool = shape.mapping(record.get("tool"))
    name = " ".join(clean(tool.get(k)) for k in ("product", "version") if clean(tool.get(k)))
    vendor = clean(tool.get("vendor"))
    return (f"{name} ({vendor})" if name and vendor else name or vendor) or "unknown"


def _terms(tool: JsonObject) -> str:
    def word(value: object) -> str:
        return "yes" if value is True else "no" if value is False else "unknown"
    text = (f"{clean(tool.get('product'))}: trains on inputs {word(tool.get('trains_on_inputs'))}, "
            f"retains inputs {word(tool.get('retains_inputs'))}")
    return text + (f", retention {clean(tool.get('retention'))}" if tool.get("retention") else "")


def _agreement(tool: JsonObject) -> str:
    expires = clean(tool.get("agreement_expires"))
    return clean(tool.get("agreement")) + (f" (expires {expires})" if expires else "")


def _principles(given: JsonObject) -> dict[str, dict[str, str]]:
    out = {}
    for key in PRINCIPLES:
        answer = shape.mapping(given.get(key))
        out[key] = {"answer": clean(answer.get("answer")) or "unanswered",
                    "note": clean(answer.get("note"))}
    return out


def _person(person: Person) -> str:
    consent = shape.mapping(person.get("consent"))
    ref = clean(consent.get("ref"))
    return (f"{clean(person.get('name'))}: consent {clean(consent.get('status')) or 'unknown'}"
            + (f" ({ref})" if ref else ""))


def _rights(item: Ingredient) -> str:
    rights = clean(item.get("rights")) or "rights unknown"
    holder = clean(item.get("rights_holder"))
    return f"{clean(item.get('description'))}: {rights}" + (f", {holder}" if holder else "")


def _totals(assets: list[AssetRow]) -> dict[str, dict[str, int]]:
    def count(key: str) -> dict[str, int]:
        return dict(sorted(Counter(getattr(a, key) or "undeclared" for a in assets).items()))
    return {"tool": count("tool"), "use": count("use"), "tier": count("tier"),
            "status": count("status")}


# -- writers ----------------------------------------------------------------------------

def to_json(report: UseReport) -> str:
    data = asdict(report)
    data = {"aiclear_genai_use_report": 1, **data, "open_escalations": report.open_escalations,
            "principles": PRINCIPLES}
    for row, asset in zip(data["assets"], report.assets, strict=True):
        row["open_escalation"] = asset.open_escalation
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_csv(report: UseReport) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for a in report.assets:
        cells = {
            "asset_id": a.asset_id, "clips": "; ".join(a.clips),
            "used_in": "; ".join(f"{u.timeline} {u.track} {u.start_tc}-{u.end_tc}" for u in a.uses),
            "description": a.description, "tool": a.tool, "catalogue_status": a.catalogue_status,
            "deployment": a.deployment, "data_terms": a.data_terms, "agreement": a.agreement,
            "use": a.use, "lifecycle": a.lifecycle, "tier": a.tier,
            "escalation": ("open: " if a.open_escalation else "")
                          + "; ".join(a.escalation_reasons),
            "principles": "; ".join(f"{k}={v['answer']}" for k, v in a.principles.items()),
            "people": "; ".join(a.people), "rights": "; ".join(a.rights),
            "status": a.status, "decision": a.decision, "blocking": "; ".join(a.blocking),
        }
        writer.writerow([safe_cell(clean(cells[k])) for k in CSV_COLUMNS])
    return buf.getvalue()


def to_html(report: UseReport) -> str:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    source = resources.files("aiclear.resources") / "templates" / "genai_use.html"
    template = env.from_string(source.read_text(encoding="utf-8"))
    return template.render(report=report, principles=PRINCIPLES, version=__version__)


def render(report: UseReport, fmt: str) -> str:
    return {"html": to_html, "json": to_json, "csv": to_csv}[fmt](report)
