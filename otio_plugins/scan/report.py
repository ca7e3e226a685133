"""Render a check report as text (people), JSON (machines) or JUnit XML (CI servers)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from aiclear.model import Finding, LedgerTrust, Report, Segment, TimelineResult

FORMATS = ("text", "json", "junit")


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "junit":
        return junit(report)
    return text(report)


def text(report: Report) -> str:
    blocks = [_timeline_text(t) for t in report.timelines]
    counts = {v: sum(t.verdict == v for t in report.timelines) for v in ("pass", "blocked", "error")}
    summary = (f"{len(report.timelines)} timeline(s), profile {report.profile}: "
               f"{counts['pass']} pass, {counts['blocked']} blocked, {counts['error']} error")
    return "\n".join([*blocks, summary]) + "\n"


def _timeline_text(t: TimelineResult) -> str:
    head = f"{t.verdict.upper():8} {t.path}" + (f" [{t.name}]" if t.name else "")
    if t.error:
        return f"{head}\n  error: {t.error}\n"
    lines = [head + f"  ({len(t.segments)} AI segment(s) @ {t.rate:g} fps)"]
    if t.segments:
        rows: list[tuple[str, ...]] = [("ID", "STATUS", "TRACK", "IN", "OUT", "CLIP", "TOOL", "EVIDENCE")]
        for s in t.segments:
            status = s.status_text if s.enabled else f"{s.status_text} (disabled)"
            kinds = ",".join(sorted(set(evidence_kinds(s))))
            rows.append((s.segment_id, status, s.track, s.start_tc, s.end_tc, _cut(s.clip, 32),
                         _cut(s.tool_name or "-", 24), kinds))
        lines.extend("  " + line for line in _table(rows))
    if t.ledger is not None:
        lines.append("  " + ledger_line(t.ledger))
    for severity, rule, message in finding_lines(t.findings):
        lines.append(f"  {severity.upper():5} {rule}: {message}")
    return "\n".join(lines) + "\n"


def ledger_line(trust: LedgerTrust) -> str:
    """The ledger state a timeline was judged against, on one line."""
    root = f"root {trust.root[:16]}…" if trust.root else "no root"
    return (f"LEDGER {trust.state} ({trust.pinned_by or 'not pinned'}): {trust.location}, "
            f"{root}, head entry {trust.head_seq} {trust.head_hash[:16]}…")


#: media findings whose message starts with the target: grouped per folder in text output
GROUPED_MEDIA = {"media.missing": "not found", "media.unreadable": "unreadable"}


def finding_lines(findings: Sequence[Finding]) -> list[tuple[str, str, str]]:
    """(severity, rule, message) to print: missing or unreadable media grouped into one
    line per folder with a count (at the first one's place), and the ``media.unprobed``
    summary left out when it only repeats those lines as a warning."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    out: list[tuple[str, ...]] = []  # (severity, rule, message), or ("group", *key)
    for f in findings:
        if f.rule in GROUPED_MEDIA and ": " in f.message:
            target = f.message.split(": ", 1)[0]
            folder, _, name = target.rpartition("/")
            key = (f.severity, f.rule, folder + "/" if folder else ".")
            if key not in groups:
                groups[key] = []
                out.append(("group", *key))
            if name not in groups[key]:
                groups[key].append(name)
            continue
        if f.rule == "media.unprobed" and f.severity != "block" and _repeats(f.message, groups):
            continue
        out.append((f.severity, f.rule, f.message))
    lines = []
    for item in out:
        if item[0] != "group":
            lines.append((item[0], item[1], item[2]))
            continue
        _, severity, rule, folder = item
        names = groups[(severity, rule, folder)]
        shown = ", ".join(names[:4]) + (f", … (+{len(names) - 4})" if len(names) > 4 else "")
        lines.append((severity, rule, f"{len(names)} file(s) {GROUPED_MEDIA[rule]} in {folder} "
                      f"({shown}); pass --media-root to relink"))
    return lines


def evidence_kinds(segment: Segment) -> list[str]:
    """The kinds of evidence on a segment, in order, once each; a ``media`` entry that only
    says the file is missing or unreadable is not evidence of anything and is left out."""
    kinds = (str(e.get("kind", "")) for e in segment.evidence
             if not (e.get("kind") == "media" and e.get("status")))
    return list(dict.fromkeys(kinds))


def _table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def _cut(value: str, width: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= width else value[: width - 1] + "…"


def _repeats(message: str, groups: dict[tuple[str, str, str], list[str]]) -> bool:
    """True when the unprobed summary counts no clip beyond the grouped media lines."""
    words = message.split()
    count = int(words[2]) if len(words) > 2 and words[2].isdigit() else -1
    return count == sum(len(names) for names in groups.values())


def junit(report: Report) -> str:
    """One test case per timeline: blocked is a failure, unreadable is an error."""
    import xml.etree.ElementTree as ET  # only for this format (~0.01 s of every check)

    suite = ET.Element("testsuite", name=f"aiclear ({report.profile})",
                       tests=str(len(report.timelines)),
                       failures=str(sum(t.verdict == "blocked" for t in report.timelines)),
                       errors=str(sum(t.verdict == "error" for t in report.timelines)))
    for t in report.timelines:
        case = ET.SubElement(suite, "testcase", classname=t.path, name=t.name or t.path)
        if t.verdict == "error":
            ET.SubElement(case, "error", message=t.error or "").text = t.error
        elif t.verdict == "blocked":
            lines = [f"{f.rule}: {f.message}" for f in t.blocking]
            ET.SubElement(case, "failure", message=f"{len(lines)} blocking finding(s)").text = (
                "\n".join(lines))
        warns = [f"{f.rule}: {f.message}" for f in t.findings if f.severity == "warn"]
        if warns:
            ET.SubElement(case, "system-out").text = "\n".join(warns)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
