"""Evidence dicts, warn findings and record hints from what the readers found.

Evidence kinds produced here (every dict also carries ``"ai": bool``):
- ``c2pa``: detail, state (Trusted | Valid | Untrusted | Invalid | Remote), signer,
  manifest (active | ingredient), source_type, tool, action.
- ``xmp``: detail, source_type, tool (from IPTC AISystemUsed, when given).
- ``probe_tag``: detail, tag, value, tool.
- ``media``: status remote | missing | unreadable, detail starting with "not probed: remote",
  "missing" or "unreadable", and the target / path.
Findings are plain dicts ``{rule, severity, message}`` here so they cache and cross process
boundaries as JSON; the prober turns them into ``aiclear.model.Finding``.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiclear.detect import sourcetype
from aiclear.media.c2pa_read import INVALID, REMOTE, UNTRUSTED, C2paRead, Claim
from aiclear.media.tags import ToolList
from aiclear.model import Evidence, JsonObject

#: what the file is (ai_class, source_type) and the tool that made it: record fields the
#: scan layers under the record, cached and sent between processes as JSON
Hint = JsonObject
FindingDict = dict[str, str]

# a componentOf / inputTo AI ingredient makes the asset a composite that contains AI
CONTAINS_URI = sourcetype.normalise("compositeSynthetic")


def finding(rule: str, message: str) -> FindingDict:
    return {"rule": rule, "severity": "warn", "message": " ".join(message.split())}


def media_state(status: str, detail: str, *, target: str | None = None,
                path: str | None = None) -> Evidence:
    """Evidence about the file itself: remote, missing or unreadable."""
    ev: Evidence = {"kind": "media", "detail": detail, "status": status, "ai": False}
    if target is not None:
        ev["target"] = target
    if path is not None:
        ev["path"] = path
    return ev


def from_c2pa(
    read: C2paRead, name: str, tools: ToolList
) -> tuple[list[Evidence], list[FindingDict], Hint | None]:
    if read.state == REMOTE:
        ev: Evidence = {"kind": "c2pa", "detail": f"C2PA manifest stored remotely at {read.remote_url}; "
              "not fetched (aiclear never opens network URLs)", "state": REMOTE,
              "signer": None, "remote_url": read.remote_url, "ai": False}
        return [ev], [finding("media.c2pa_remote", f"{name}: its C2PA manifest is stored at "
                              f"{read.remote_url} and was not fetched; AI use cannot be "
                              "ruled out from the file")], None
    if read.error is not None:
        ev = {"kind": "c2pa", "detail": f"C2PA manifest unreadable: {read.error}",
              "state": INVALID, "signer": None, "ai": False}
        return [ev], [finding("media.c2pa_unreadable",
                              f"{name}: C2PA manifest unreadable ({read.error})")], None
    ai_claims = [c for c in read.claims if c.ai_class]
    if not ai_claims:
        return [_sidecar(read, _no_ai(read))], _invalid_findings(read, name, ai=False), None
    evidence = [_sidecar(read, _claim_evidence(read, c)) for c in ai_claims]
    return evidence, _invalid_findings(read, name, ai=True), _hint(ai_claims, tools)


def _sidecar(read: C2paRead, ev: Evidence) -> Evidence:
    if read.sidecar:
        ev["sidecar"] = read.sidecar
        ev["detail"] += f" [sidecar {read.sidecar}]"
    return ev


def _claim_evidence(read: C2paRead, claim: Claim) -> Evidence:
    tool = " ".join(p for p in (claim.agent, claim.agent_version) if p) or None
    by = f" by {tool}" if tool else ""
    return {
        "kind": "c2pa",
        "detail": f"C2PA {claim.manifest} manifest: {claim.action} "
                  f"{sourcetype.code(claim.source_type)}{by} "
                  f"(state {read.state}, signer {claim.signer or 'unknown'})",
        "state": read.state,
        "signer": claim.signer,
        "manifest": claim.manifest,
        "source_type": claim.source_type,
        "tool": tool,
        "action": claim.action,
        "when": claim.when,
        "ai": True,
    }


def _no_ai(read: C2paRead) -> Evidence:
    active = [c for c in read.claims if c.manifest == "active"]
    dst = active[0].source_type if active else None
    what = sourcetype.code(dst) if dst else "no digital source type"
    return {
        "kind": "c2pa",
        "detail": f"C2PA manifest without an AI action ({what}; state {read.state}, "
                  f"signer {read.signer or 'unknown'})",
        "state": read.state,
        "signer": read.signer,
        "manifest": "active",
        "source_type": dst,
        "tool": read.generator,
        "ai": False,
    }


def _invalid_findings(read: C2paRead, name: str, *, ai: bool) -> list[FindingDict]:
    claim = "claims AI use but " if ai else ""
    tail = "; still treated as AI" if ai else ""
    if read.state == INVALID:
        codes = ", ".join(c for c in read.codes if c != "signingCredential.untrusted")
        return [finding("media.c2pa_invalid", f"{name}: C2PA manifest {claim}fails validation "
                        f"({codes or 'invalid'}){tail}")]
    if read.state == UNTRUSTED and ai:
        return [finding("media.c2pa_untrusted", f"{name}: C2PA manifest {claim}is signed by "
                        f"{read.signer or 'an unknown signer'}, which is not in the trust "
                        f"anchors{tail}")]
    return []


def _hint(claims: Sequence[Claim], tools: ToolList) -> Hint:
    """What the file is, from its AI claims. The active manifest speaks for the file;
    an AI ingredient alone means the file was derived from AI media (parentOf: same class)
    or contains it (componentOf / inputTo: compositeSynthetic)."""
    active = [c for c in claims if c.manifest == "active"]
    uri: str | None
    if active:
        best = _strongest(active)
        ai_class, uri = best.ai_class, best.source_type
    else:
        best = _strongest(claims)
        if best.relationship == "parentOf":
            ai_class, uri = best.ai_class, best.source_type
        else:
            ai_class, uri = "contains", CONTAINS_URI
    hint: Hint = {"ai_class": ai_class, "source_type": uri}
    # the tool is the generator: the agent of the most generative claim (an NLE that only
    # placed a Sora shot is not the tool to disclose), the active manifest on ties
    with_agent = [c for c in claims if c.agent]
    if with_agent:
        agent = min(with_agent, key=lambda c: (_rank(c), c.manifest != "active"))
        hint["tool"] = tool_hint(agent.agent, agent.agent_version, tools)
    return hint


def _strongest(claims: Sequence[Claim]) -> Claim:
    return min(claims, key=_rank)


def _rank(claim: Claim) -> int:
    ranks = sourcetype.CLASS_RANK
    return ranks.index(claim.ai_class) if claim.ai_class in ranks else len(ranks)


def tool_hint(name: str | None, version: str | None, tools: ToolList) -> dict[str, str]:
    """The record's ``tool`` from a softwareAgent: its name as product, the vendor from
    the known-tools list when the name matches one."""
    hint: dict[str, str] = {"product": name or "unknown"}
    known = tools.match(name or "")
    if known and known.vendor:
        hint["vendor"] = known.vendor
    if version:
        hint["version"] = version
    return hint


def from_xmp(
    values: Sequence[str], where: str, system: tuple[str | None, str | None] = (None, None),
    tools: ToolList | None = None,
) -> tuple[list[Evidence], Hint | None]:
    """Evidence per DigitalSourceType; the hint names the AI system (IPTC 2025.1
    AISystemUsed / AISystemVersionUsed) as the tool when the packet gives one."""
    evidence: list[Evidence] = []
    hint: Hint | None = None
    strongest: str | None = None  # the hint's ai_class
    name, version = system
    for value in dict.fromkeys(values):
        uri = sourcetype.normalise(value)
        ai_class = sourcetype.ai_class(uri)
        ev: Evidence = {
            "kind": "xmp",
            "detail": f"XMP Iptc4xmpExt:DigitalSourceType {sourcetype.code(uri)} ({where}; "
                      "unsigned claim)",
            "source_type": uri,
            "ai": ai_class is not None,
        }
        if ai_class and name:
            ev["tool"] = " ".join(p for p in (name, version) if p)
        evidence.append(ev)
        if ai_class and (strongest is None or _outranks(ai_class, strongest)):
            strongest = ai_class
            hint = {"ai_class": ai_class, "source_type": uri}
    if hint is not None and name:
        hint["tool"] = tool_hint(name, version, tools or ToolList(()))
    return evidence, hint


def _outranks(a: str, b: str) -> bool:
    return sourcetype.CLASS_RANK.index(a) < sourcetype.CLASS_RANK.index(b)


def merge_hints(c2pa: Hint | None, xmp: Hint | None, tag_tool: dict[str, str] | None) -> Hint:
    """Signed C2PA speaks for the file when it claims AI (an edit that keeps the AI
    ingredient's stale XMP is "edited", not "generated"); XMP gives the class otherwise;
    a tag names the tool when nothing else did."""
    hint: Hint = dict(c2pa or xmp or {})
    if "tool" not in hint and tag_tool:
        hint["tool"] = dict(tag_tool)
    if hint and "ai_class" not in hint:
        hint["ai_class"] = "generated"  # a tag naming a generator, nothing more specific
    return hint
