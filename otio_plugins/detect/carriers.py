"""Round-trip carriers: pointers to a usage record that survive EDL, FCP7, FCPX, AAF and ALE.

Those adapters drop ``metadata["aiclear"]`` (research/otio.md §5), so before such a write
each AI clip gets a token ``AICLEAR <ID> CLASS=<AI_CLASS> [USE=<USE>]`` in

- a marker named with the token (kept by EDL, upper-cased; by FCP7 and FCPX; AAF 2.0.0
  reads markers but does not write them), and
- the format's own comment field: EDL ``cmx_3600.comments`` (``*`` lines), FCP7
  ``fcp_xml.comments.mastercomment1..4``, AAF ``AAF.UserComments``, ALE column
  ``AICLEAR``, FCPX ``media_reference.metadata.fcpx.note``.

``<ID>`` is the asset id upper-cased with ``-`` for ``:`` (``REF-…`` / ``BLAKE3-…`` /
``SHA256-…``), so an EDL's upper-casing loses nothing. Reading accepts any case. A token
*finds* AI (its class and use fill the record) but never *identifies* an asset for
clearance: anyone can type one into a comment. The scan takes the asset id only from media
bytes it hashed itself (aiclear.timeline.ids).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field

import opentimelineio as otio

from aiclear.model import Evidence, JsonObject
from aiclear.timeline import metaview

TOKEN = "AICLEAR"
MARKER_COLOR = otio.schema.MarkerColor.PURPLE
ALE_COLUMN = "AICLEAR"
AAF_KEY = "AICLEAR"
FCP7_SLOTS = ("mastercomment4", "mastercomment3", "mastercomment2", "mastercomment1")

_HEX = {"blake3": 64, "sha256": 64, "ref": 32}
_PATTERN = re.compile(
    r"\bAICLEAR\s+(BLAKE3|SHA256|REF)-([0-9A-F]+)\b((?:[ \t]+[A-Z_]+=[A-Z0-9_]+)*)", re.IGNORECASE)
_WORD = re.compile(r"[^A-Za-z0-9_]+")

#: carrier families per target suffix; ``.otio`` keeps metadata and needs none
FORMATS: dict[str, frozenset[str]] = {
    ".edl": frozenset({"marker", "edl"}),
    ".xml": frozenset({"marker", "fcp7"}),
    ".fcpxml": frozenset({"marker", "fcpx"}),
    ".fcpxmld": frozenset({"marker", "fcpx"}),
    ".aaf": frozenset({"marker", "aaf"}),
    ".ale": frozenset({"ale"}),
}
ALL = frozenset({"marker", "edl", "fcp7", "fcpx", "aaf", "ale"})


@dataclass(frozen=True, slots=True)
class Carried:
    """What the carriers on one clip say."""

    asset_id: str
    ai_class: str | None = None
    use: str | None = None
    where: tuple[str, ...] = field(default=())  # which carriers held it, e.g. ("marker", "EDL comment")

    def evidence(self) -> Evidence:
        """``claimed_asset_id``: what the file says, shown to people, never used to clear."""
        return {"kind": "carrier", "detail": "aiclear token in " + ", ".join(self.where),
                "claimed_asset_id": self.asset_id}

    def layer(self) -> JsonObject:
        """Record fields the token carries (merged under declared ones by the scan); not
        the asset id, which only media bytes give."""
        out: JsonObject = {}
        if self.ai_class:
            out["ai_class"] = self.ai_class
        if self.use:
            out["use"] = self.use
        return out


def formats_for(suffix: str) -> frozenset[str]:
    return FORMATS.get(suffix.lower(), frozenset())


def token(asset_id: str, ai_class: str | None = None, use: str | None = None) -> str:
    """``AICLEAR REF-0123… CLASS=GENERATED USE=VOICE`` (upper case, no spaces inside values)."""
    kind, _, digest = asset_id.partition(":")
    if kind not in _HEX or not digest:
        raise ValueError(f"not an aiclear asset id: {asset_id!r}")
    parts = [TOKEN, f"{kind}-{digest}".upper()]
    for key, value in (("CLASS", ai_class), ("USE", use)):
        if value:
            parts.append(f"{key}={_WORD.sub('_', str(value)).upper()}")
    return " ".join(parts)


def parse(text: str) -> Carried | None:
    """The first well-formed token in ``text`` (any case), or None."""
    for match in _PATTERN.finditer(text[:4096]):
        kind, digest = match.group(1).lower(), match.group(2).lower()
        if len(digest) != _HEX[kind]:
            continue
        fields = dict(pair.split("=", 1) for pair in match.group(3).split())
        return Carried(asset_id=f"{kind}:{digest}",
                       ai_class=_lower(fields.get("CLASS") or fields.get("class")),
                       use=_lower(fields.get("USE") or fields.get("use")))
    return None


def _lower(value: str | None) -> str | None:
    return value.lower() if value else None


# --------------------------------------------------------------------------- reading

def read(clip: otio.schema.Clip, metadata: Mapping[str, object] | None = None) -> Carried | None:
    """The record pointer the clip's carriers hold, or None. The first carrier found wins;
    every carrier holding the same asset id is named in ``where``.

    ``metadata`` is ``metaview.entries(clip.metadata)`` when the caller already has it.
    """
    first: Carried | None = None
    where: list[str] = []
    for place, text in _texts(clip, metadata):
        found = parse(text)
        if found is None:
            continue
        if first is None:
            first = found
        if found.asset_id == first.asset_id and place not in where:
            where.append(place)
    if first is None:
        return None
    return Carried(first.asset_id, first.ai_class, first.use, tuple(where))


#: the metadata each carrier family is read from: namespace -> keys inside it
_CLIP_CARRIERS: dict[str, tuple[str, ...]] = {
    "cmx_3600": ("comments",), "fcp_xml": ("comments", "logginginfo"),
    "AAF": ("UserComments",), "ALE": (ALE_COLUMN,), "fcpx": ("note",)}
_REF_CARRIERS: dict[str, tuple[str, ...]] = {"fcpx": ("note",), "AAF": ("UserComments",)}


def _texts(clip: otio.schema.Clip, metadata: Mapping[str, object] | None = None
           ) -> Iterator[tuple[str, str]]:
    markers = clip.markers
    for index in range(len(markers)):  # bounded: see aiclear.timeline.metaview
        marker = markers[index]
        for text in (marker.name, marker.comment):
            if text and TOKEN in text.upper():
                yield "marker", text
    md = _ours(clip.metadata if metadata is None else metadata, _CLIP_CARRIERS)
    ref = clip.media_reference
    ref_md = _ours(ref.metadata, _REF_CARRIERS) if ref is not None else {}
    if not md and not ref_md:
        return
    yield from (("EDL comment", t) for t in _strings(_ns(md, "cmx_3600").get("comments")))
    fcp = _ns(md, "fcp_xml")
    for key in ("comments", "logginginfo"):
        yield from (("FCP7 " + key, t) for t in _strings(fcp.get(key)))
    yield from (("AAF UserComments", t) for t in _strings(_ns(_ns(md, "AAF"), "UserComments")))
    yield from (("ALE column", t) for t in _strings(_ns(md, "ALE").get(ALE_COLUMN)))
    yield from (("FCPX note", t) for t in _strings(_ns(md, "fcpx").get("note")))  # detect.fcpxml
    yield from (("FCPX note", t) for t in _strings(_ns(ref_md, "fcpx").get("note")))
    yield from (("AAF UserComments", t) for t in _strings(_ns(_ns(ref_md, "AAF"), "UserComments")))


def _ours(md: Mapping[str, object], wanted: dict[str, tuple[str, ...]]) -> dict[str, JsonObject]:
    """The namespaces we read, as plain dicts of just the keys we read (only the ones
    present: misses are slow; converting whole namespaces to plain dicts costs more than
    the rest of the read on a timeline whose clips all carry EDL metadata)."""
    if not len(md):
        return {}
    present = metaview.entries(md)
    out: dict[str, JsonObject] = {}
    for ns, keys in wanted.items():
        value = present.get(ns)
        if value is None:
            continue
        if not isinstance(value, Mapping):  # not a mapping: _ns() would give {} for it
            continue
        names = metaview.keys(value)
        found = {k: metaview.plain(value[k]) for k in keys if k in names}
        if found:  # an empty one reads as nothing, and the caller stops early when all are
            out[ns] = found
    return out


def _ns(md: Mapping[str, object], key: str) -> JsonObject:
    """A plain sub-dictionary, or an empty dict when it is missing or not a mapping."""
    value = md.get(key) if isinstance(md, dict) else None
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        if TOKEN in value.upper():
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


# --------------------------------------------------------------------------- stamping

def stamp(clip: otio.schema.Clip, text: str, families: Iterable[str] = ALL) -> None:
    """Put ``text`` (a token) into the carriers of ``families`` on ``clip``, replacing any
    earlier aiclear token so stamping twice leaves one of each."""
    wanted = set(families)
    if "marker" in wanted:
        _stamp_marker(clip, text)
    if "edl" in wanted:
        _stamp_edl(clip, text)
    if "fcp7" in wanted:
        _stamp_fcp7(clip, text)
    if "aaf" in wanted:
        _sub(_sub(clip.metadata, "AAF"), "UserComments")[AAF_KEY] = text
    if "ale" in wanted:
        _sub(clip.metadata, "ALE")[ALE_COLUMN] = text
    if "fcpx" in wanted:
        _stamp_fcpx(clip, text)


def _sub(md: MutableMapping[str, object], key: str) -> MutableMapping[str, object]:
    """``md[key]`` as a mutable metadata dictionary, created when missing (OTIO registers
    its metadata dictionary class as a ``MutableMapping``)."""
    if key not in metaview.keys(md) or not hasattr(md[key], "keys"):
        md[key] = {}
    value = md[key]
    if not isinstance(value, MutableMapping):  # something with keys() that is no dictionary
        raise TypeError(f"metadata {key!r} is not a dictionary")
    return value


def _stamp_marker(clip: otio.schema.Clip, text: str) -> None:
    for index in reversed(range(len(clip.markers))):
        if _is_ours(clip.markers[index].name):
            del clip.markers[index]
    start = clip.trimmed_range().start_time
    marked = otio.opentime.TimeRange(start, otio.opentime.RationalTime(0, start.rate))
    clip.markers.append(otio.schema.Marker(name=text, marked_range=marked, color=MARKER_COLOR))


def _stamp_edl(clip: otio.schema.Clip, text: str) -> None:
    cmx = _sub(clip.metadata, "cmx_3600")
    old = metaview.plain(metaview.get(cmx, "comments"))
    comments = [str(c) for c in (old if isinstance(old, (list, dict)) else [])
                if not _is_ours(str(c))]
    cmx["comments"] = [*comments, text]


def _stamp_fcp7(clip: otio.schema.Clip, text: str) -> None:
    """The last free (or already ours) master comment; a full set keeps its text and the
    marker carries the token alone."""
    comments = _sub(_sub(clip.metadata, "fcp_xml"), "comments")
    for slot in FCP7_SLOTS:
        current = metaview.get(comments, slot)
        if not current or _is_ours(str(current)):
            comments[slot] = text
            return


def _stamp_fcpx(clip: otio.schema.Clip, text: str) -> None:
    ref = clip.media_reference
    if ref is None:
        return
    fcpx = _sub(ref.metadata, "fcpx")
    note = str(metaview.get(fcpx, "note") or "")
    kept = "\n".join(line for line in note.split("\n") if line and not _is_ours(line))
    fcpx["note"] = f"{kept}\n{text}" if kept else text


def _is_ours(text: str | None) -> bool:
    return bool(text) and parse(str(text)) is not None
