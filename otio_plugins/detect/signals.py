"""Editorial signals on a clip: its names, reel, markers and the comment fields that
each NLE format keeps (EDL ``*`` comments, FCP7 comments and logging info, AAF
UserComments, ALE columns, FCPX notes and keywords)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlparse

import opentimelineio as otio

from aiclear import metaview
from aiclear.detect.terms import TermMatch
from aiclear.model import Evidence

MAX_TEXT = 4096  # longer strings are cut before matching: names are short, hostile ones not

#: (metadata namespace, keys) whose string values are editorial comments
_FCP7_KEYS = (("comments", None), ("logginginfo", ("description", "lognote", "scene", "shottake")))


def media_path(clip: otio.schema.Clip) -> str | None:
    """The path (or URL path) the clip's external reference points at, as text."""
    ref = clip.media_reference
    if isinstance(ref, otio.schema.ExternalReference) and ref.target_url:
        return _url_path(ref.target_url)
    return None


@lru_cache(maxsize=65536)
def _url_path(url: str) -> str:
    """Cached: a scan asks for each clip's media path several times."""
    return unquote(urlparse(url).path or url)


def media_name(clip: otio.schema.Clip) -> str | None:
    """File name of the clip's media, from whatever kind of reference it has."""
    ref = clip.media_reference
    if (path := media_path(clip)) is not None:
        return path.rsplit("/", 1)[-1]
    if isinstance(ref, otio.schema.ImageSequenceReference):
        return f"{ref.name_prefix}{ref.name_suffix}" or None
    return (ref.name if ref is not None else None) or None


def reel(clip: otio.schema.Clip) -> str | None:
    value = metaview.get(metaview.get(clip.metadata, "cmx_3600"), "reel")
    return str(value) if value else None


def texts(clip: otio.schema.Clip, sources: set[str]) -> Iterator[tuple[str, str, str, bool]]:
    """(evidence kind, field, text, is_file_name) for every string worth matching."""
    if "name" in sources and clip.name:
        yield "name", "clip name", clip.name, True
    if "media_name" in sources and (name := media_name(clip)):
        yield "name", "media file", name, True
    if "reel" in sources and (tape := reel(clip)):
        yield "name", "reel", tape, True
    if "marker" in sources:
        markers = clip.markers
        for marker in (markers[i] for i in range(len(markers))):  # see aiclear.metaview
            for text in (marker.name, marker.comment):
                if text:
                    yield "marker", "marker", text, False
    if "comment" in sources:
        for field, text in _comments(clip):
            yield "comment", field, text, False


def _comments(clip: otio.schema.Clip) -> Iterator[tuple[str, str]]:
    md = _present(clip.metadata, ("cmx_3600", "fcp_xml", "AAF", "ALE"))
    cmx = md.get("cmx_3600")
    if cmx is not None and hasattr(cmx, "get"):
        for text in cmx.get("comments") or []:
            yield "EDL comment", str(text)
    fcp = md.get("fcp_xml")
    if fcp is not None and hasattr(fcp, "get"):
        for key, wanted in _FCP7_KEYS:
            yield from (("FCP7 " + key, t) for t in _strings(fcp.get(key), wanted))
    aaf = md.get("AAF")
    if aaf is not None and hasattr(aaf, "get"):
        yield from (("AAF UserComments", t) for t in _strings(aaf.get("UserComments"), None))
    ale = md.get("ALE")
    if ale is not None and hasattr(ale, "items"):
        yield from (("ALE column", t) for t in _strings(ale, None))
    ref_md = _present(getattr(clip.media_reference, "metadata", None), ("fcpx",))
    fcpx = ref_md.get("fcpx")
    if fcpx is not None and hasattr(fcpx, "get"):
        yield from (("FCPX note", t) for t in _strings(fcpx, ("note", "keywords")))


def _present(md: Any, namespaces: tuple[str, ...]) -> dict[str, Any]:
    """The metadata namespaces that are there, as plain dicts (a miss costs ~30 µs in OTIO)."""
    if md is None or not len(md):
        return {}
    present = metaview.keys(md)
    return {ns: metaview.plain(md[ns]) for ns in namespaces if ns in present}


def _strings(value: Any, wanted: tuple[str, ...] | None) -> Iterator[str]:
    """String leaves of a metadata value (only under ``wanted`` keys at the top)."""
    if value is None:
        return
    if isinstance(value, str):
        yield value
    elif hasattr(value, "items"):
        for key, item in value.items():
            if wanted is None or key in wanted:
                yield from _strings(item, None)
    elif hasattr(value, "__iter__") and not isinstance(value, bytes):
        for item in value:
            yield from _strings(item, None)


MatchFn = Callable[..., TermMatch | None]  # (text, filename=bool) -> match


def evidence(clip: otio.schema.Clip, match: MatchFn,
             sources: set[str]) -> tuple[list[Evidence], dict[str, str] | None]:
    """AI evidence from the clip's editorial signals, and a tool when one was named."""
    found: list[Evidence] = []
    tool: dict[str, str] | None = None
    for kind, field, text, filename in texts(clip, sources):
        hit = match(text[:MAX_TEXT], filename=filename)
        if hit is None:
            continue
        shown = text if len(text) <= 80 else text[:77] + "..."
        found.append({"kind": kind, "detail": f"{field} {shown!r} has AI term {hit.term!r}",
                      "field": field})
        tool = tool or hit.tool
    return found, tool
