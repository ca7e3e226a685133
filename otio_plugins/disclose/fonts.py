"""A font file that covers every character of a text, found through fontconfig.

Labels mix a template language with names from records (a Japanese name in an English
label), so the font is chosen per text, not per language: fontconfig's ``charset``
filter lists the faces that hold every character, and ``fc-match -s`` orders them by
preference for the language. Only face 0 of a collection is used, because drawtext
cannot pick another face of a ``.ttc`` file. Japanese needs ``fonts-noto-cjk`` (Debian)
or any CJK font; scripts/setup.sh installs it.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

from aiclear.errors import RenderError

TIMEOUT = 30


def font_for(text: str, lang: str = "en", bold: bool = True) -> str:
    """The path of an installed font covering ``text`` (preferring one made for ``lang``)."""
    chars = sorted({ord(ch) for ch in text if not ch.isspace() and ord(ch) >= 0x20})
    return _font(" ".join(f"{c:x}" for c in chars), lang, bold)


@cache
def _font(charset: str, lang: str, bold: bool) -> str:
    cover = f":charset={charset}" if charset else ""
    covering = set(_lines("fc-list", "--format", "%{file}|%{index}\n", cover or ":"))
    weights = (":weight=bold", "") if bold else ("",)
    for weight in weights:
        for line in _lines("fc-match", "-s", "-f", "%{file}|%{index}\n",
                           f"sans-serif:lang={lang}{weight}{cover}"):
            path, _, index = line.partition("|")
            if index == "0" and line in covering:
                return path
    raise RenderError(
        f"no installed font covers the {lang!r} label text (install fonts-noto-cjk and "
        "fonts-dejavu-core, or pass a font file)")


def _lines(*cmd: str) -> list[str]:
    if shutil.which(cmd[0]) is None:
        raise RenderError(f"{cmd[0]} (fontconfig) not found on PATH: install fontconfig, "
                          "or pass a font file")
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RenderError(f"{cmd[0]} failed: {err}") from err
    return [line for line in done.stdout.splitlines() if line.strip()]
