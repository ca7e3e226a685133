"""IPTC / C2PA digital source types and the aiclear AI class derived from them."""

from __future__ import annotations

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
C2PA = "http://c2pa.org/digitalsourcetype/"

#: source type code -> aiclear ai_class. Codes absent here are not AI.
AI_CLASS = {
    "trainedAlgorithmicMedia": "generated",
    "compositeWithTrainedAlgorithmicMedia": "edited",
    "compositeSynthetic": "contains",
    "algorithmicallyEnhanced": "enhanced",
}

#: strongest first: when several signals disagree, the most "AI" class wins.
CLASS_RANK = ["generated", "edited", "contains", "enhanced"]


def normalise(value: str | None) -> str | None:
    """Return the canonical ``http://`` URI for a source type given as URI or bare code."""
    if not value:
        return None
    text = str(value).strip()
    if text.startswith("https://"):
        text = "http://" + text[len("https://") :]
    if "/" not in text:
        return IPTC + text
    return text


def code(value: str | None) -> str | None:
    """The bare code (``trainedAlgorithmicMedia``) of a source type URI or code."""
    uri = normalise(value)
    return uri.rstrip("/").rsplit("/", 1)[-1] if uri else None


def ai_class(value: str | None) -> str | None:
    """The aiclear class for a source type, or None when it does not mean generative AI."""
    return AI_CLASS.get(code(value) or "")


def strongest(classes: list[str]) -> str | None:
    ranked = [c for c in CLASS_RANK if c in classes]
    return ranked[0] if ranked else None
