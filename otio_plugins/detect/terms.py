"""Word-bounded AI terms in names, markers and comments.

Names are split into tokens on separators, case changes and letter/digit boundaries,
so ``GENAI_skyline_v2`` and ``AiGen`` hold AI tokens while ``Hawaii``, ``Aidan``,
``MAIN_TITLE`` and ``RAIN`` do not, and a trailing file extension (``logo.ai``) is never
read as a word. Tool names that are also ordinary words (Firefly, Luma, Sora ...) count
only beside a number or an AI term (``SORA2``, ``firefly_gen``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, TypedDict

_CHUNKS = re.compile(r"[^\W_]+", re.UNICODE)
_PARTS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\W\d_]+", re.UNICODE)
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,5})$")


@dataclass(frozen=True, slots=True)
class TermMatch:
    term: str  # the words that matched, as written in the text
    tool: dict[str, str] | None = None  # {"product", "vendor"} when a tool name matched


class MatchFn(Protocol):
    """What the signal and marker readers call per text: a ``TermMatcher.match`` (or the
    scan's cached wrapper of one)."""

    def __call__(self, text: str | None, *, filename: bool = ...) -> TermMatch | None: ...


class DetectConfig(TypedDict, total=False):
    """A profile's ``detect:`` section, as ``profile.schema.json`` shapes it (the profile
    is validated before anything reads it: aiclear.policy.profile)."""

    ai_tokens: list[str]
    ai_phrases: list[list[str]]
    tools: dict[str, dict[str, str]]  # tool name -> {"product", "vendor"}
    qualified_tools: dict[str, dict[str, str]]
    qualifiers: list[str]
    negations: list[str]
    ignore_extensions: list[str]
    sources: list[str]  # record | register | name | media_name | reel | marker | comment | media


class TermMatcher:
    """Built once per profile from its ``detect:`` section; ``match(text)`` per string."""

    def __init__(self, detect: DetectConfig) -> None:
        self.ai_tokens = {w.lower() for w in detect.get("ai_tokens", [])}
        self.phrases = [tuple(w.lower() for w in p) for p in detect.get("ai_phrases", [])]
        self.tools = _tool_keys(detect.get("tools", {}))
        self.qualified = _tool_keys(detect.get("qualified_tools", {}))
        self.qualifiers = {w.lower() for w in detect.get("qualifiers", [])}
        self.negations = {w.lower() for w in detect.get("negations", [])}
        self.extensions = {w.lower().lstrip(".") for w in detect.get("ignore_extensions", [])}
        self._quick = self._quick_filter()

    def _quick_filter(self) -> re.Pattern[str] | None:
        """One regex for "could this text match at all?", or None when that is not exact.

        Every match needs a lowered token equal to the first word of an AI token, phrase
        or tool, or a lowered chunk equal to a joined tool name; each is a substring of
        ``text.lower()``. Lowering is per character in CPython except the Greek final
        sigma, so the filter is used only when no term holds a sigma.
        """
        firsts = (self.ai_tokens | {p[0] for p in self.phrases if p}
                  | {k[0] for k in self.tools} | {k[0] for k in self.qualified}
                  | {"".join(k) for k in self.tools})
        if not firsts or any(not p for p in self.phrases) or any(
                "σ" in w or "ς" in w or not w for w in firsts):
            return None
        return re.compile("|".join(re.escape(w) for w in sorted(firsts, key=len, reverse=True)))

    def could_match(self, text: str) -> bool:
        """False when ``text`` surely holds no term (one regex, no tokenising)."""
        return self._quick is None or self._quick.search(text.lower()) is not None

    def match(self, text: str | None, *, filename: bool = False) -> TermMatch | None:
        if not text or not self.could_match(text):
            return None  # most names hold no candidate word: skip tokenising
        if filename:
            text = self._strip_extension(text)
        words = tokens(text)
        lowered = [w.lower() for w in words]
        chunks = [c.lower() for c in _CHUNKS.findall(text)]
        return (self._tool(lowered, chunks, words, self.tools, qualified=False)
                or self._tool(lowered, chunks, words, self.qualified, qualified=True)
                or self._ai_term(lowered, words))

    def _strip_extension(self, text: str) -> str:
        """A name that may end in a file extension, read as text: a slash in it is a
        character (``TAKE 1/2``), never a path separator - callers hand over the last
        part of a media path or URL themselves (aiclear.detect.signals.media_name)."""
        found = _EXTENSION.search(text)
        if found and found.group(1).lower() in self.extensions:
            return text[: found.start()]
        return text

    def _ai_term(self, lowered: list[str], words: list[str]) -> TermMatch | None:
        for i, word in enumerate(lowered):
            if word in self.ai_tokens and not self._negated(lowered, i):
                return TermMatch(words[i])
        for phrase in self.phrases:
            at = _find(lowered, phrase)
            if at is not None and not self._negated(lowered, at):
                return TermMatch(" ".join(words[at : at + len(phrase)]))
        return None

    def _tool(self, lowered: list[str], chunks: list[str], words: list[str],
              table: dict[tuple[str, ...], dict[str, str]], *, qualified: bool) -> TermMatch | None:
        for key, tool in table.items():
            at = _find(lowered, key)
            if at is not None:
                if qualified and not self._qualified(lowered, at, len(key)):
                    continue
                return TermMatch(" ".join(words[at : at + len(key)]), tool)
            if not qualified and "".join(key) in chunks:
                return TermMatch("".join(key), tool)
        return None

    def _qualified(self, lowered: list[str], i: int, n: int) -> bool:
        near = lowered[max(0, i - 1) : i] + lowered[i + n : i + n + 2]
        return any(w.isdigit() or w in self.qualifiers or w in self.ai_tokens for w in near)

    def _negated(self, lowered: list[str], i: int) -> bool:
        return i > 0 and lowered[i - 1] in self.negations


def tokens(text: str) -> list[str]:
    """Words of ``text``: split on separators, case changes and digit boundaries."""
    return [part for chunk in _CHUNKS.findall(text) for part in _PARTS.findall(chunk)]


def _tool_keys(table: Mapping[str, Mapping[str, str]]) -> dict[tuple[str, ...], dict[str, str]]:
    out: dict[tuple[str, ...], dict[str, str]] = {}
    for key, info in table.items():
        words = tuple(w.lower() for w in tokens(key))
        if words:
            out[words] = {k: str(v) for k, v in dict(info).items()}
    return out


def _find(words: list[str], phrase: tuple[str, ...]) -> int | None:
    n = len(phrase)
    for i in range(len(words) - n + 1):
        if tuple(words[i : i + n]) == phrase:
            return i
    return None
