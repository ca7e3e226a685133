"""How tool names compare: case, spaces and punctuation do not matter
("Runway Gen-4" = "runway gen4" = "RUNWAY_GEN_4"); versions compare the same way,
without a leading "v"."""

from __future__ import annotations

import fnmatch
import re

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def norm(name: str) -> str:
    return _NOT_WORD.sub("", str(name).casefold())


def norm_version(version: str) -> str:
    text = str(version).strip().casefold().removeprefix("version").strip().removeprefix("v")
    return re.sub(r"\s+", "", text)


def version_allowed(version: str, approved: list[str]) -> bool:
    """True when ``version`` matches one approved version or glob (``4.*``)."""
    wanted = norm_version(version)
    return any(fnmatch.fnmatchcase(wanted, norm_version(a)) for a in approved)


def split_version(text: str) -> tuple[str, str | None]:
    """"Midjourney 7" -> ("Midjourney", "7"): a last word holding a digit is a version."""
    words = str(text).split()
    if len(words) > 1 and any(c.isdigit() for c in words[-1]):
        return " ".join(words[:-1]), words[-1]
    return str(text), None
