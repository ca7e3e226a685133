"""Text hygiene for anything that came from a timeline or a record.

Clip names and record fields are hostile input: control characters, newlines (which
would end an SRT cue), tabs (which would split an Avid locator row) and runs of spaces
are folded into single spaces before any writer sees them. Wrapping counts East Asian
wide characters as two columns, so ``max_line_chars`` means the same width in every
language.
"""

from __future__ import annotations

import unicodedata


def clean(value: object) -> str:
    """One line of printable text; control and format characters become spaces."""
    if value is None:
        return ""
    text = str(value)
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        out.append(" " if cat.startswith("C") or cat in ("Zl", "Zp") else ch)
    return " ".join("".join(out).split())


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def wrap(text: str, limit: int) -> list[str]:
    """Break ``text`` into lines of at most ``limit`` columns, at spaces where possible."""
    limit = max(limit, 4)
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if width(candidate) <= limit:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for ch in word:  # a word wider than a line (or CJK text without spaces)
            if width(current + ch) > limit:
                lines.append(current)
                current = ""
            current += ch
    if current:
        lines.append(current)
    return lines


def join_names(names: list[str], lang: str) -> str:
    sep = "、" if lang == "ja" else ", "
    return sep.join(dict.fromkeys(n for n in names if n))
