"""Give the FCP7, FCPX, AAF, EDL and ALE writers what real cuts lack, on aiclear's copy.

Real cuts hold offline clips (``MissingReference`` without an available range), title
cards and slugs (``GeneratorReference``), image sequences, clips whose media has no
available range, EDL record offsets (a negative track start) and plain transitions
without Avid metadata. The writers crash on each of those (``'NoneType' object has no
attribute 'start_time'``, ``url_path`` unbound, ``AAFValidationError`` ...). Refusing
such a cut would make ``tag`` and the gate's own exports useless, so the copy being
written gets:

- every media reference without an available range: the clip's source range, and
  every clip without a source range: its media's available range;
- generator and image-sequence references (FCP7, FCPX, AAF, EDL): a reference the
  writer can hold, keeping name, range and metadata (an image sequence becomes its
  frame-pattern URL);
- EDL record offsets (FCP7, FCPX, AAF): a leading gap and the timeline's start time;
- a clip or gap directly inside a nested stack (FCP7, FCPX): a track of its own; a track
  straight inside a track: a stack around it;
- AAF: media ranges at the timeline's rate, transitions a linear dissolve's metadata, an
  AI clip that shares its source's MobID a mob of its own (UserComments are per mob);
- EDL: a reel without spaces where the writer would make one with them.

What a format cannot hold at all is refused with one line (``unfit``): an EDL holds
one video track and no nesting.
"""

from __future__ import annotations

import opentimelineio as otio

from aiclear.errors import TimelineError

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange

#: writers that crash on a reference without an available range
NEEDS_RANGE = frozenset({".xml", ".fcpxml", ".fcpxmld", ".aaf", ".edl", ".ale"})
#: writers that cannot hold generator or image-sequence references
PLAIN_REFS = frozenset({".xml", ".fcpxml", ".fcpxmld", ".aaf", ".edl"})
#: writers that want every child of a nested stack to be a track
TRACKS_IN_STACKS = frozenset({".xml", ".fcpxml", ".fcpxmld"})
#: writers that mis-handle the CMX reader's negative track start
NO_RECORD_OFFSET = frozenset({".xml", ".fcpxml", ".fcpxmld", ".aaf"})


def needs_fit(obj: otio.core.SerializableObject, suffix: str) -> bool:
    """Whether ``fit`` would change anything on a copy of ``obj`` for ``suffix``."""
    if suffix not in NEEDS_RANGE | PLAIN_REFS | NO_RECORD_OFFSET:
        return False
    if suffix == ".edl" and any(_edl_reel_fix(c) is not None for c in _clips(obj)):
        return True
    if suffix == ".aaf" and _has_bare_transition(obj):
        return True
    if suffix in NO_RECORD_OFFSET and any(
            _record_offset(t) is not None for tl in _timelines(obj) for t in tl.tracks):
        return True
    if suffix in TRACKS_IN_STACKS and (any(_bare_children(s) for s in _stacks(obj))
                                       or _tracks_in_tracks(obj) or _stacks(obj)):
        return True
    for clip in _clips(obj):
        ref = clip.media_reference
        if ref is None:
            return True
        if ref.available_range is None or clip.source_range is None:
            return True
        if suffix in PLAIN_REFS and isinstance(
                ref, (otio.schema.GeneratorReference, otio.schema.ImageSequenceReference)):
            return True
        if suffix == ".aaf" and _off_rate(clip):
            return True
    return False


def fit(obj: otio.core.SerializableObject, suffix: str) -> None:
    """Change ``obj`` (aiclear's own copy) so the ``suffix`` writer can hold it."""
    for timeline in _timelines(obj):
        if suffix in NO_RECORD_OFFSET:
            _drop_record_offset(timeline)
    if suffix in TRACKS_IN_STACKS:
        for track in _tracks_in_tracks(obj):
            _stack_around(track)
        for stack in _stacks(obj):
            _wrap_bare_children(stack)
        for comp in _children(obj):  # the writers read a nested item's source_range
            if isinstance(comp, otio.core.Composition) and comp.source_range is None \
                    and comp.parent() is not None and comp.parent().parent() is not None:
                comp.source_range = comp.trimmed_range()
    for clip in _clips(obj):
        if suffix in PLAIN_REFS:
            _plain_reference(clip)
        if suffix in NEEDS_RANGE:
            _fill_range(clip, suffix)
        if suffix == ".aaf":
            _at_clip_rate(clip)
        if suffix == ".edl":
            _edl_reel(clip)
    if suffix == ".aaf":
        _own_mobs_for_carriers(_clips(obj))
        for item in _children(obj):
            if isinstance(item, otio.schema.Transition) and not _aaf_ready(item):
                _dissolve_metadata(item)


def unfit(obj: otio.core.SerializableObject, suffix: str) -> str | None:
    """Why the ``suffix`` format cannot hold ``obj`` (one line), or None."""
    if suffix == ".ale" and not _clips(obj):
        return "an ALE is a list of clips and this timeline has none (write .otio instead)"
    if suffix in (".fcpxml", ".fcpxmld"):
        for timeline in _timelines(obj):
            if not any(t.kind == otio.schema.TrackKind.Video and len(t) for t in timeline.tracks
                       if isinstance(t, otio.schema.Track)):
                return (f"the FCPX writer needs a video track (its audio hangs off video "
                        f"clips); timeline {timeline.name!r:.60} has none (write .otio, .xml "
                        "or .aaf instead)")
    if suffix != ".edl":
        return None
    for timeline in _timelines(obj):
        video = [t for t in timeline.tracks if isinstance(t, otio.schema.Track)
                 and t.kind == otio.schema.TrackKind.Video]
        if len(video) != 1:
            return (f"an EDL holds exactly one video track; timeline {timeline.name!r:.60} has "
                    f"{len(video)} (write .otio, .xml, .fcpxml or .aaf instead)")
        opening = next((c for c in video[0] if not isinstance(c, otio.schema.Gap)), None)
        if isinstance(opening, otio.schema.Transition):  # its reader refuses what it writes
            return (f"an EDL cannot open a track with a transition (a fade from black); timeline "
                    f"{timeline.name!r:.60} does (write .otio, .xml or .aaf instead)")
        nested = video[0].find_children(descended_from_type=otio.core.Composition)
        if nested:
            return (f"an EDL cannot hold nested compositions; timeline {timeline.name!r:.60} "
                    f"has {len(nested)} on its video track (write .otio, .xml or .aaf instead)")
    return None


# --------------------------------------------------------------------------- helpers

def _timelines(obj: otio.core.SerializableObject) -> list[otio.schema.Timeline]:
    if isinstance(obj, otio.schema.Timeline):
        return [obj]
    finder = getattr(obj, "find_children", None)
    if finder is None:
        return []
    return [t for t in finder() if isinstance(t, otio.schema.Timeline)] + (
        [] if not isinstance(obj, otio.schema.SerializableCollection) else
        [t for t in obj if isinstance(t, otio.schema.Timeline)])


def _children(obj: otio.core.SerializableObject) -> list[otio.core.Composable]:
    finder = getattr(obj, "find_children", None)
    return list(finder()) if finder is not None else []


def _clips(obj: otio.core.SerializableObject) -> list[otio.schema.Clip]:
    if isinstance(obj, otio.schema.Clip):
        return [obj]
    finder = getattr(obj, "find_clips", None)
    return list(finder()) if finder is not None else []


def _stacks(obj: otio.core.SerializableObject) -> list[otio.schema.Stack]:
    """Nested stacks (not a timeline's top-level one)."""
    return [s for s in _children(obj) if isinstance(s, otio.schema.Stack)]


def _tracks_in_tracks(obj: otio.core.SerializableObject) -> list[otio.schema.Track]:
    return [t for t in _children(obj) if isinstance(t, otio.schema.Track)
            and isinstance(t.parent(), otio.schema.Track)]


def _stack_around(track: otio.schema.Track) -> None:
    """A track nested straight in a track becomes a one-track stack (same picture)."""
    parent = track.parent()
    index = list(parent).index(track)
    del parent[index]
    stack = otio.schema.Stack(name=track.name or "")
    stack.append(track)
    parent.insert(index, stack)


def _bare_children(stack: otio.schema.Stack) -> bool:
    return any(not isinstance(c, otio.schema.Track) for c in stack)


def _wrap_bare_children(stack: otio.schema.Stack) -> None:
    """A clip or gap directly in a nested stack becomes the one item of its own track
    (the same picture: a stack's children all start at its start)."""
    for index, child in enumerate(list(stack)):
        if isinstance(child, otio.schema.Track):
            continue
        kind = otio.schema.TrackKind.Video
        track = otio.schema.Track(name=child.name or "", kind=kind)
        del stack[index]
        track.append(child)
        stack.insert(index, track)


def _fill_range(clip: otio.schema.Clip, suffix: str) -> None:
    ref = clip.media_reference
    if clip.source_range is None and (ref is None or ref.available_range is None):
        raise TimelineError(None, f"clip {clip.name!r:.80} has neither a source range nor "
                            f"media with an available range, which {suffix} needs",
                            expected="a clip with a source range")
    if ref is None:
        ref = clip.media_reference = otio.schema.MissingReference()
    if ref.available_range is None and clip.source_range is not None:
        ref.available_range = clip.source_range
    elif clip.source_range is None and ref.available_range is not None:
        clip.source_range = ref.available_range  # the writers read source_range directly


def _plain_reference(clip: otio.schema.Clip) -> None:
    ref = clip.media_reference
    if isinstance(ref, otio.schema.GeneratorReference):
        name = ref.name or ref.generator_kind or "generator"
        md = {k: ref.metadata[k] for k in ref.metadata}
        md["generator"] = {"kind": ref.generator_kind or ""}
        clip.media_reference = otio.schema.MissingReference(
            name=name, available_range=ref.available_range, metadata=md)
    elif isinstance(ref, otio.schema.ImageSequenceReference):
        try:
            url = ref.abstract_target_url("#" * max(1, ref.frame_zero_padding))
        except Exception:  # noqa: BLE001 - an odd sequence: keep at least its name
            url = f"{ref.target_url_base}{ref.name_prefix}{ref.name_suffix}"
        md = {k: ref.metadata[k] for k in ref.metadata}
        clip.media_reference = otio.schema.ExternalReference(
            target_url=url, available_range=ref.available_range, metadata=md)


def _edl_reel_fix(clip: otio.schema.Clip) -> str | None:
    """The reel to give a clip whose reel the CMX writer would build with spaces (its
    own reader then rejects "UNC Path") or empty (a line of 7 fields), else None."""
    md = clip.metadata
    cmx = md.get("cmx_3600") if len(md) else None
    if cmx is not None and hasattr(cmx, "keys") and cmx.get("reel"):
        return None
    try:
        from otio_cmx3600_adapter.cmx_3600 import _reel_from_clip

        reel = str(_reel_from_clip(clip, 8))
    except Exception:  # noqa: BLE001 - another CMX adapter version: leave it to the writer
        return None
    if reel.strip() and not any(c.isspace() for c in reel):
        return None
    return "_".join(reel.split()) or "AX"


def _edl_reel(clip: otio.schema.Clip) -> None:
    reel = _edl_reel_fix(clip)
    if reel is None:
        return
    md = clip.metadata
    if "cmx_3600" not in md or not hasattr(md["cmx_3600"], "keys"):
        md["cmx_3600"] = {}
    md["cmx_3600"]["reel"] = reel


def _own_mobs_for_carriers(clips: list[otio.schema.Clip]) -> None:
    """The AAF writer makes one master mob per MobID and writes only the first clip's
    UserComments onto it: an AI clip sharing its source's MobID with other clips would
    lose its aiclear token (a false pass on re-read). Such a clip gets a mob of its own
    (the writer makes a new MobID for a clip without one: ``use_empty_mob_ids``)."""
    def mob(clip: otio.schema.Clip) -> str | None:
        for md in (clip.metadata, getattr(clip.media_reference, "metadata", None)):
            aaf = md["AAF"] if md is not None and "AAF" in md else None
            if aaf is not None and hasattr(aaf, "keys"):
                for key in ("MobID", "SourceID"):
                    if key in aaf and aaf[key]:
                        return str(aaf[key])
        return None

    uses: dict[str, int] = {}
    ids = [mob(c) for c in clips]
    for found in ids:
        if found:
            uses[found] = uses.get(found, 0) + 1
    for clip, found in zip(clips, ids, strict=True):
        if not found or uses[found] < 2 or not _carries_token(clip):
            continue
        for md in (clip.metadata, getattr(clip.media_reference, "metadata", None)):
            if md is not None and "AAF" in md and hasattr(md["AAF"], "keys"):
                aaf = md["AAF"]
                md["AAF"] = {k: aaf[k] for k in aaf if k not in ("MobID", "SourceID")}


def _carries_token(clip: otio.schema.Clip) -> bool:
    from aiclear.detect.carriers import AAF_KEY

    md = clip.metadata
    aaf = md.get("AAF", None)
    comments = aaf["UserComments"] if aaf is not None and hasattr(aaf, "keys") \
        and "UserComments" in aaf else None
    return comments is not None and hasattr(comments, "keys") and AAF_KEY in comments


def _off_rate(clip: otio.schema.Clip) -> bool:
    ref, rng = clip.media_reference, clip.source_range
    if ref is None or ref.available_range is None or rng is None:
        return False
    avail = ref.available_range
    return avail.duration.rate != rng.duration.rate or avail.start_time.rate != rng.duration.rate


def _at_clip_rate(clip: otio.schema.Clip) -> None:
    """The AAF writer wants every media range at the edit rate."""
    ref, rng = clip.media_reference, clip.source_range
    if not _off_rate(clip) or ref is None or rng is None:
        return
    rate = rng.duration.rate
    avail = ref.available_range
    ref.available_range = TR(avail.start_time.rescaled_to(rate), avail.duration.rescaled_to(rate))


def _record_offset(track: object) -> otio.opentime.RationalTime | None:
    if not isinstance(track, otio.schema.Track) or not len(track) or track.source_range is None:
        return None
    start = track.source_range.start_time
    return -start if start.value < 0 else None


def _drop_record_offset(timeline: otio.schema.Timeline) -> None:
    """CMX reader: ``track.source_range.start = -record_in``. Make it the timeline's
    start time plus a leading gap per track, which every writer understands."""
    offsets = [o for t in timeline.tracks if (o := _record_offset(t)) is not None]
    if not offsets:
        return
    base = min(offsets)
    if timeline.global_start_time is None:
        timeline.global_start_time = base
    for track in timeline.tracks:
        offset = _record_offset(track)
        if offset is None:
            continue
        track.source_range = None
        lead = offset - base
        if lead.value > 0:
            track.insert(0, otio.schema.Gap(source_range=TR(RT(0, lead.rate), lead)))


def _has_bare_transition(obj: otio.core.SerializableObject) -> bool:
    return any(isinstance(i, otio.schema.Transition) and not _aaf_ready(i) for i in _children(obj))


def _aaf_ready(transition: otio.schema.Transition) -> bool:
    md = transition.metadata
    if "AAF" not in md or not hasattr(md["AAF"], "keys"):
        return False
    aaf = md["AAF"]
    return all(k in aaf for k in ("PointList", "OperationGroup", "CutPoint"))


_PICTURE = {"ClassName": "DataDef", "Description": "Picture Essence",
            "Identification": "01030202-0100-0000-060e-2b3404010101", "Name": "Picture"}
_SOUND = {"ClassName": "DataDef", "Description": "Sound Essence",
          "Identification": "01030202-0200-0000-060e-2b3404010101", "Name": "Sound"}


def _dissolve_metadata(transition: otio.schema.Transition) -> None:
    """A linear dissolve as the AAF writer expects it (Avid's VideoDissolve_2 /
    mono audio dissolve), over the transition's length with the cut at its in offset."""
    parent = transition.parent()
    audio = parent is not None and getattr(parent, "kind", "") == otio.schema.TrackKind.Audio
    data_def = _SOUND if audio else _PICTURE
    length = round((transition.in_offset + transition.out_offset).value)
    operation = {
        "ClassName": "OperationDef", "DataDefinition": data_def, "Description": "",
        "Identification": ("0c864774-e428-3b2d-8115-1c736806191a" if audio
                           else "89d9b67e-5584-302d-9abd-8bd330c46841"),
        "IsTimeWarp": False, "Name": "Audio Dissolve" if audio else "VideoDissolve_2",
        "NumberInputs": 2, "OperationCategory": "OperationCategory_Effect", "Bypass": 1,
    }
    transition.metadata["AAF"] = {
        "PointList": [{"Value": 0.0, "Time": 0.0}, {"Value": 1.0, "Time": 1.0}],
        "OperationGroup": {"Operation": operation, "Length": length},
        "CutPoint": round(transition.in_offset.value),
    }
