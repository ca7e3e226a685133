"""Editorial signals on a clip: its names, reel, markers and the comment fields that
each NLE format keeps (EDL ``*`` comments, FCP7 comments and logging info, AAF
UserComments, ALE columns, FCPX notes and keywords)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from urllib.parse import unquote, urlparse

import opentimelineio as otio

from aiclear.detect.markers import marker_texts
from aiclear.detect.terms import MatchFn
from aiclear.model import Evidence
from aiclear.timeline.metaview import elements, entries

MAX_TEXT = 4096  # longer strings are cut before matching: names are short, hostile ones not

#: (metadata namespace, keys) whose string values are editorial comments
_FCP7_KEYS = (("comments", None), ("logginginfo", ("description", "lognote", "scene", "shottake")),
              ("labels", None))  # Premiere label names can be renamed ("AI")


_FCPX_KEYS = (("note", "FCPX note"), ("keywords", "FCPX keyword"), ("markers", "FCPX marker"),
              ("metadata", "FCPX metadata"))


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
    return _reference_name(clip.media_reference)


def _reference_name(ref: otio.core.MediaReference | None) -> str | None:
    if isinstance(ref, otio.schema.ExternalReference) and ref.target_url:
        return _url_file_name(ref.target_url)  # == media_path(clip).rsplit("/", 1)[-1]
    if isinstance(ref, otio.schema.ImageSequenceReference):
        return f"{ref.name_prefix}{ref.name_suffix}" or None
    return (ref.name if ref is not None else None) or None


def _url_file_name(url: str) -> str:
    """Last path part of a URL, unquoted."""
    if url.startswith(("file:///", "/")) and not any(c in url for c in "?#;%\\"):
        return url.rsplit("/", 1)[-1]  # what urlparse + unquote give here, at a tenth of the cost
    return _parsed_file_name(url)


@lru_cache(maxsize=16384)
def _parsed_file_name(url: str) -> str:
    return unquote(urlparse(url).path or url).rsplit("/", 1)[-1]


def reel(clip: otio.schema.Clip) -> str | None:
    """The EDL reel name."""
    return _reel(_section(entries(clip.metadata), "cmx_3600"))


def _reel(cmx: Mapping[str, object]) -> str | None:
    value = cmx.get("reel")
    return str(value) if value else None


def _section(md: Mapping[str, object], key: str) -> dict[str, object]:
    """Entries of one NLE's metadata dictionary (empty when absent or not a dictionary)."""
    value = md.get(key)
    return entries(value) if value is not None and hasattr(value, "get") else {}


def texts(clip: otio.schema.Clip, sources: set[str], metadata: Mapping[str, object] | None = None
          ) -> Iterator[tuple[str, str, str, bool]]:
    """(evidence kind, field, text, is_file_name) for every string worth matching.

    ``metadata`` is ``metaview.entries(clip.metadata)`` when the caller already has it.
    Each OTIO attribute is read once: every read builds a Python wrapper (~1-3 µs).
    """
    ref = clip.media_reference
    if "name" in sources and clip.name:
        yield "name", "clip name", clip.name, True
    if "media_name" in sources and (name := _reference_name(ref)):
        yield "name", "media file", name, True
    md = metadata if metadata is not None else entries(clip.metadata)
    cmx = _section(md, "cmx_3600")
    if "reel" in sources and (tape := _reel(cmx)):
        yield "name", "reel", tape, True
    if "marker" in sources:
        for marker in elements(clip.markers):
            for where, text in marker_texts(marker):
                field = "marker" if where in ("name", "comment") else f"marker {where}"
                yield "marker", field, text, False
    if "comment" in sources:
        for field, text in _comments(ref, md, cmx):
            yield "comment", field, text, False


def _comments(ref: otio.core.MediaReference | None, md: Mapping[str, object],
              cmx: Mapping[str, object]) -> Iterator[tuple[str, str]]:
    """Comment strings from each NLE's metadata (``md`` the clip's, ``cmx`` its EDL part)."""
    for text in _elements_or_empty(cmx.get("comments")):
        yield "EDL comment", str(text)
    fcp = md.get("fcp_xml")
    if fcp is not None and hasattr(fcp, "get"):
        fcp_entries = entries(fcp)
        for key, wanted in _FCP7_KEYS:
            yield from (("FCP7 " + key, t) for t in _strings(fcp_entries.get(key), wanted))
    aaf = md.get("AAF")
    if aaf is not None and hasattr(aaf, "get"):
        yield from (("AAF UserComments", t) for t in _strings(entries(aaf).get("UserComments"), None))
    ale = md.get("ALE")
    if ale is not None and hasattr(ale, "items"):
        yield from (("ALE column", t) for t in _strings(ale, None))
    fcpx_clip = md.get("fcpx")  # what aiclear.timeline.fcpxml read from the FCPXML itself
    if fcpx_clip is not None and hasattr(fcpx_clip, "get"):
        for key, field in _FCPX_KEYS:
            yield from ((field, t) for t in _strings(entries(fcpx_clip).get(key), None))
    ref_md = getattr(ref, "metadata", None)
    fcpx = entries(ref_md).get("fcpx") if ref_md is not None else None
    if fcpx is not None and hasattr(fcpx, "get"):
        yield from (("FCPX note", t) for t in _strings(fcpx, ("note", "keywords")))


def _elements_or_empty(value: object) -> list[object]:
    """``value or []`` as a list, read by index when it is an OTIO vector; a value that
    holds no items (a number) raises, as listing it always did: the scan blocks on it."""
    if not value:
        return []
    if not isinstance(value, Iterable):
        raise TypeError(f"{type(value).__name__!r} object is not iterable")
    return elements(value)


def _strings(value: object, wanted: tuple[str, ...] | None) -> Iterator[str]:
    """String leaves of a metadata value (only under ``wanted`` keys at the top)."""
    if value is None:
        return
    if isinstance(value, str):
        yield value
    elif hasattr(value, "items"):
        for key, item in entries(value).items():
            if wanted is None or key in wanted:
                yield from _strings(item, None)
    elif hasattr(value, "__iter__") and not isinstance(value, bytes):
        for item in elements(value) if hasattr(value, "__getitem__") else value:
            yield from _strings(item, None)


def evidence(clip: otio.schema.Clip, match: MatchFn, sources: set[str],
             metadata: Mapping[str, object] | None = None) -> tuple[list[Evidence], dict[str, str] | None]:
    """AI evidence from the clip's editorial signals, and a tool when one was named."""
    found: list[Evidence] = []
    tool: dict[str, str] | None = None
    for kind, field, text, filename in texts(clip, sources, metadata):
        hit = match(text[:MAX_TEXT], filename=filename)
        if hit is None:
            continue
        shown = text if len(text) <= 80 else text[:77] + "..."
        found.append({"kind": kind, "detail": f"{field} {shown!r} has AI term {hit.term!r}",
                      "field": field})
        tool = tool or hit.tool
    return found, tool
