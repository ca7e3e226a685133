"""Container and stream tags that name a known AI tool (resources/media/ai_tools.yaml).

Tags are unsigned and easy to strip or forge, so a hit is evidence ("probe_tag"), not
proof; it still marks the clip AI, because the cost of a false "AI" is a review while the
cost of a missed one is an uncleared deliverable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

import yaml

from aiclear.model import Evidence, JsonObject
from aiclear.safety import shape


@dataclass(frozen=True, slots=True)
class Tool:
    vendor: str | None
    product: str
    pattern: re.Pattern[str]

    def as_hint(self) -> dict[str, str]:
        hint = {"product": self.product}
        if self.vendor:
            hint["vendor"] = self.vendor
        return hint


@dataclass(frozen=True, slots=True)
class ToolList:
    tools: tuple[Tool, ...]
    tag_keys: frozenset[str] = field(default_factory=frozenset)  # lower-case

    def match(self, text: str) -> Tool | None:
        """The first tool whose pattern occurs in ``text`` as whole words."""
        for tool in self.tools:
            if tool.pattern.search(text):
                return tool
        return None


@lru_cache(maxsize=1)
def _builtin() -> JsonObject:
    text = files("aiclear.resources.media").joinpath("ai_tools.yaml").read_text("utf-8")
    return shape.mapping(yaml.safe_load(text))


def load_tools(media_section: Mapping[str, object] | None = None) -> ToolList:
    """The built-in list, extended by a profile's ``media: {ai_tools, tag_keys}`` (checked
    by the profile schema: lists of words, tools with a product and patterns)."""
    base = _builtin()
    extra = media_section or {}
    keys = shape.strings(base.get("tag_keys")) + shape.strings(extra.get("tag_keys"))
    # profile entries first: a production's own names win over the generic list
    ordered = shape.records(extra.get("ai_tools")) + shape.records(base.get("tools"))
    return ToolList(
        tools=tuple(_tool(e) for e in ordered),
        tag_keys=frozenset(k.lower() for k in keys),
    )


def _tool(entry: Mapping[str, object]) -> Tool:
    given = shape.items(entry.get("patterns")) or [entry.get("product", "")]
    patterns = [str(p) for p in given if str(p)]
    alternatives = "|".join(re.escape(p) for p in sorted(patterns, key=len, reverse=True))
    # whole words: no letter or digit may touch the match on either side
    regex = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    vendor = entry.get("vendor")
    return Tool(str(vendor) if vendor else None, str(entry.get("product", "")), regex)


def tag_evidence(
    format_tags: Mapping[str, str], stream_tags: Iterable[tuple[str, Mapping[str, str]]],
    tools: ToolList,
) -> tuple[list[Evidence], dict[str, str] | None]:
    """Evidence for every watched tag naming a tool, and the first tool's hint."""
    evidence: list[Evidence] = []
    hint: dict[str, str] | None = None
    scopes = [("format", format_tags), *stream_tags]
    for scope, tags in scopes:
        for key, value in tags.items():
            if str(key).lower() not in tools.tag_keys:
                continue
            text = str(value)[:4096]  # a hostile tag may be huge; tool names are short
            tool = tools.match(text)
            if tool is None:
                continue
            evidence.append({
                "kind": "probe_tag",
                "detail": f"{scope} tag {key}={text[:120]!r} names {tool.product}",
                "tag": f"{scope}:{key}",
                "value": text[:500],
                "tool": tool.product,
                "ai": True,
            })
            hint = hint or tool.as_hint()
    return evidence, hint
