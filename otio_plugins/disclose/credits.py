"""The end-credit block: AI tools grouped by tool, what each was used for, consent lines.

Grouped like music and archival credits (research/domain.md §7(c)): one entry per tool
(product, version, vendor) naming its uses, operators and the licensors of its source
material, then one consent line per real person whose consent is granted (a credit never
claims consent that the record does not show), then the programme statement.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from aiclear.disclose.events import events_for
from aiclear.disclose.settings import ProfileLike, settings
from aiclear.disclose.templates import Wording, wording
from aiclear.disclose.text import clean, join_names
from aiclear.model import JsonObject, Segment, TimelineResult


@dataclass(frozen=True, slots=True)
class ToolCredit:
    name: str  # "Gen-3 Alpha 2024.06 by Runway"
    vendor: str
    product: str
    version: str
    uses: tuple[str, ...]  # wording of each use, in order of first appearance
    operators: tuple[str, ...]
    sources: tuple[str, ...]  # rights holders of ingredients
    segments: int

    def detail_lines(self, words: Wording) -> list[str]:
        lines = []
        if self.uses:
            lines.append(words.text("credits", "used_for", uses=join_names(list(self.uses), words.lang)))
        if self.operators:
            lines.append(words.text("credits", "made_by", names=join_names(list(self.operators), words.lang)))
        if self.sources:
            lines.append(words.text("credits", "based_on", names=join_names(list(self.sources), words.lang)))
        return lines


@dataclass(frozen=True, slots=True)
class CreditBlock:
    lang: str
    title: str
    intro: str
    tools: tuple[ToolCredit, ...]
    consents: tuple[str, ...]
    statement: str
    words: Wording

    @property
    def empty(self) -> bool:
        return not self.tools

    def lines(self) -> list[str]:
        """The block as plain lines (blank lines between groups), for text and the card."""
        if self.empty:
            return []
        out = [self.title, "", self.intro]
        for tool in self.tools:
            out.append(tool.name)
            out.extend("  " + line for line in tool.detail_lines(self.words))
        if self.consents:
            out.append("")
            out.extend(self.consents)
        out.extend(["", self.statement])
        return out

    def to_json(self) -> JsonObject:
        return {
            "aiclear_credits": 1,
            "lang": self.lang,
            "title": self.title,
            "intro": self.intro,
            "tools": [
                {"name": t.name, "vendor": t.vendor, "product": t.product, "version": t.version,
                 "uses": list(t.uses), "operators": list(t.operators), "sources": list(t.sources),
                 "segments": t.segments}
                for t in self.tools
            ],
            "consents": list(self.consents),
            "statement": self.statement if not self.empty else "",
        }


def credit_block(result: TimelineResult, profile: ProfileLike = None, lang: str | None = None
                 ) -> CreditBlock:
    """The credit block of a scanned timeline in one language."""
    code = lang or settings(profile).language
    words = wording(code)
    credited = [s for s in sorted(result.segments, key=lambda s: (s.start_frame, s.track))
                if s.enabled and (s.record.get("disclosure") or {}).get("credit") is not False]
    groups: dict[tuple[str, str, str], list[Segment]] = {}
    for seg in credited:
        groups.setdefault(_tool_key(seg), []).append(seg)
    tools = tuple(_tool_credit(key, segs, words) for key, segs in groups.items())
    on_screen = bool(events_for(result, profile, code))
    return CreditBlock(
        lang=words.lang,
        title=words.text("credits", "title"),
        intro=words.text("credits", "intro"),
        tools=tools,
        consents=tuple(dict.fromkeys(line for s in credited for line in _consents(s, words))),
        statement=words.text("credits", "statement_on_screen" if on_screen else "statement"),
        words=words,
    )


def to_txt(block: CreditBlock) -> str:
    return "\n".join(block.lines()) + "\n" if not block.empty else ""


def to_markdown(block: CreditBlock) -> str:
    if block.empty:
        return ""
    out = [f"## {_md(block.title)}", "", _md(block.intro), ""]
    for tool in block.tools:
        out.append(f"- **{_md(tool.name)}**")
        out.extend(f"  - {_md(line)}" for line in tool.detail_lines(block.words))
    if block.consents:
        out.append("")
        out.extend(f"- {_md(line)}" for line in block.consents)
    out.extend(["", f"*{_md(block.statement)}*", ""])
    return "\n".join(out)


def to_json(block: CreditBlock) -> str:
    return json.dumps(block.to_json(), ensure_ascii=False, indent=2) + "\n"


def _tool_key(seg: Segment) -> tuple[str, str, str]:
    tool = seg.record.get("tool") or {}
    if not isinstance(tool, dict):
        tool = {}
    return (clean(tool.get("vendor")), clean(tool.get("product")), clean(tool.get("version")))


def _tool_credit(key: tuple[str, str, str], segs: list[Segment], words: Wording) -> ToolCredit:
    vendor, product, version = key
    if not product:
        name = words.text("credits", "unknown_tool")
    elif not vendor or vendor.casefold() == product.casefold():
        name = words.text("credits", "tool_no_vendor", product=product, version=version)
    elif not version:
        name = words.text("credits", "tool_no_version", product=product, vendor=vendor)
    else:
        name = words.text("credits", "tool", product=product, version=version, vendor=vendor)
    uses = dict.fromkeys(_use_word(s.record.get("use"), words) for s in segs)
    operators = dict.fromkeys(clean(s.record.get("operator")) for s in segs)
    sources = dict.fromkeys(
        clean(i.get("rights_holder")) for s in segs
        for i in s.record.get("ingredients") or [] if isinstance(i, dict))
    return ToolCredit(name, vendor, product, version, tuple(uses),
                      tuple(o for o in operators if o), tuple(x for x in sources if x), len(segs))


def _use_word(use: object, words: Wording) -> str:
    key = clean(use)
    return words.text("uses", key) if key and words.has("uses", key) else words.text("uses", "other")


def _consents(seg: Segment, words: Wording) -> list[str]:
    use = seg.record.get("use")
    key = ("consent_voice" if use == "voice" or seg.track_kind == "Audio"
           else "consent_replica" if use == "digital_replica" else "consent_likeness")
    lines = []
    for person in seg.record.get("people") or []:
        if not isinstance(person, dict) or not clean(person.get("name")):
            continue
        if (person.get("consent") or {}).get("status") == "granted":
            lines.append(words.text("credits", key, name=clean(person.get("name"))))
    return lines


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def _md(text: str) -> str:
    """Markdown-escape text from records so a name cannot become a link or an HTML tag."""
    return _MD_SPECIAL.sub(r"\\\1", text)
