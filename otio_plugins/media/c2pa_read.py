"""Content Credentials (C2PA) read with c2pa-python, offline.

Remote manifest fetch and OCSP fetch are off: a manifest that lives at a URL is reported,
never fetched. Every manifest in the store is walked (the active one and each ingredient's),
because AI use is often recorded only in an ingredient (a Firefly generation placed into a
Photoshop or NLE edit). Action templates are overlaid onto actions (C2PA 2.2 §18.14.6),
and ``softwareAgent`` is read in both shapes: a v1 string or a v2 generator-info map
(or an index into ``softwareAgents``).

Validation states: ``Trusted`` (chains to a configured trust anchor), ``Untrusted``
(intact, but the signer is not in the anchors: c2pa reports Valid plus
``signingCredential.untrusted``), ``Valid`` (intact, trust not evaluated), ``Invalid``.
"""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from aiclear.detect import sourcetype
from aiclear.model import JsonObject
from aiclear.safety import shape

if TYPE_CHECKING:  # imported where a file is read: a scan with no media on disk never needs it
    import c2pa

TRUSTED, VALID, UNTRUSTED, INVALID, REMOTE = "Trusted", "Valid", "Untrusted", "Invalid", "Remote"
UNTRUSTED_CODE = "signingCredential.untrusted"
_REMOTE_URL = re.compile(r"remote manifests? from url (\S+)", re.IGNORECASE)
_MAX_TEXT = 200  # manifest strings are attacker-chosen: keep what we repeat short
MAX_SIDECAR = 64 << 20  # manifests are kilobytes to a few MB (thumbnails)


@dataclass(frozen=True, slots=True)
class Claim:
    """One action that declares a digital source type."""

    manifest: str  # "active" | "ingredient"
    action: str
    source_type: str  # normalised http:// URI
    agent: str | None  # softwareAgent name
    agent_version: str | None
    signer: str | None
    relationship: str | None  # ingredient relationship: parentOf | componentOf | inputTo
    #: the action's "when" (ISO time), else the claim's signing time; not part of a claim's
    #: identity, so twin ingredients still collapse into one claim
    when: str | None = field(default=None, compare=False)

    @property
    def ai_class(self) -> str | None:
        return sourcetype.ai_class(self.source_type)


@dataclass(slots=True)
class C2paRead:
    """What the manifest store of one file says."""

    state: str
    signer: str | None = None
    generator: str | None = None
    codes: list[str] = field(default_factory=list)  # failure status codes
    claims: list[Claim] = field(default_factory=list)
    error: str | None = None
    remote_url: str | None = None
    sidecar: str | None = None  # file name of the .c2pa sidecar the manifest came from


def settings(trust_anchors_pem: str | None = None) -> JsonObject:
    """c2pa settings for an offline read; anchors are PEM text (a bundle of roots)."""
    conf: JsonObject = {
        "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False,
                   "verify_after_reading": True, "verify_trust": True},
    }
    if trust_anchors_pem:
        conf["trust"] = {"trust_anchors": trust_anchors_pem}
    return conf


def make_context(trust_anchors_pem: str | None = None) -> c2pa.Context:
    """One reusable context per process (building it parses the anchors)."""
    import c2pa

    return c2pa.Context(c2pa.Settings.from_dict(settings(trust_anchors_pem)))


def sidecar_for(path: str | Path) -> Path | None:
    """A ``.c2pa`` sidecar manifest beside the file (C2PA 2.2 §11.4): ``clip.c2pa`` or
    ``clip.mxf.c2pa``. It is how MXF and other formats without an embedding carry one."""
    media = Path(path)
    for candidate in (media.with_suffix(".c2pa"), media.with_name(media.name + ".c2pa")):
        if candidate != media and candidate.is_file():
            return candidate
    return None


def sidecar_signature(path: str | Path) -> str:
    """Name, size and mtime of the sidecar, "" without one: part of the cache key."""
    sidecar = sidecar_for(path)
    if sidecar is None:
        return ""
    try:
        st = sidecar.stat()
    except OSError:
        return ""
    return f"{sidecar.name}:{st.st_size}:{st.st_mtime_ns}"


def read(path: str, context: c2pa.Context) -> C2paRead | None:
    """The file's manifest store (embedded, else a sidecar), or None when there is none."""
    import c2pa

    try:
        reader = c2pa.Reader.try_create(path, context=context)
    except c2pa.C2paError.NotSupported:
        reader = None  # MXF, MKV ...: C2PA cannot be embedded there; a sidecar still can
    except c2pa.C2paError as err:
        return _failed(str(err))
    if reader is None:
        sidecar = sidecar_for(path)
        return _read_sidecar(path, sidecar, context) if sidecar else None
    return _interpret(reader)


def _read_sidecar(path: str, sidecar: Path, context: c2pa.Context) -> C2paRead | None:
    import c2pa

    if sidecar.stat().st_size > MAX_SIDECAR:
        return C2paRead(state=INVALID, error=f"sidecar {sidecar.name} is implausibly large")
    manifest = sidecar.read_bytes()
    mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
    for fmt in dict.fromkeys((mime, "application/octet-stream")):
        try:
            with open(path, "rb") as media:
                reader = c2pa.Reader(fmt, media, manifest_data=manifest, context=context)
                result = _interpret(reader)
        except c2pa.C2paError.NotSupported:
            continue
        except c2pa.C2paError as err:
            result = _failed(str(err))
        result.sidecar = sidecar.name
        return result
    return None


def _interpret(reader: c2pa.Reader) -> C2paRead:
    import c2pa

    with reader:
        try:
            store = json.loads(reader.json())
            state = str(reader.get_validation_state())
        except (c2pa.C2paError, ValueError) as err:
            return _failed(str(err))
    return from_store(store, state)


def _failed(message: str) -> C2paRead:
    text = " ".join(message.split())[:_MAX_TEXT]
    remote = _REMOTE_URL.search(message)
    if remote:
        return C2paRead(state=REMOTE, error=text, remote_url=remote.group(1)[:_MAX_TEXT])
    return C2paRead(state=INVALID, error=text)


def from_store(store: object, reported_state: str) -> C2paRead:
    """Interpret a manifest store (``Reader.json()`` parsed) and the reader's validation
    state. The store is untrusted JSON: a value of the wrong type reads as absent."""
    data = shape.mapping(store)
    manifests = shape.mapping(data.get("manifests"))
    active_label = data.get("active_manifest")
    active = shape.mapping(manifests.get(active_label)) if isinstance(active_label, str) else {}
    codes = _failure_codes(data)
    state = reported_state if reported_state in (TRUSTED, VALID, INVALID) else INVALID
    if state == VALID and UNTRUSTED_CODE in codes:
        state = UNTRUSTED
    relationships = _relationships(manifests)
    claims: list[Claim] = []
    for label, manifest in manifests.items():
        if not isinstance(manifest, Mapping):
            continue
        where = "active" if label == active_label else "ingredient"
        claims.extend(_claims(manifest, where, relationships.get(label)))
    return C2paRead(
        state=state,
        signer=_signer(active),
        generator=_generator(active),
        codes=codes,
        claims=list(dict.fromkeys(claims)),  # identical claims from twin ingredients
    )


def _failure_codes(store: Mapping[str, object]) -> list[str]:
    codes = [str(s.get("code")) for s in shape.records(store.get("validation_status"))]
    results = shape.mapping(shape.mapping(store.get("validation_results")).get("activeManifest"))
    codes += [str(s.get("code")) for s in shape.records(results.get("failure"))]
    return list(dict.fromkeys(codes))


def _relationships(manifests: Mapping[str, object]) -> dict[str, str]:
    """Ingredient manifest label -> how it was used by the manifest that lists it."""
    out: dict[str, str] = {}
    for manifest in manifests.values():
        if not isinstance(manifest, Mapping):
            continue
        for ingredient in shape.records(manifest.get("ingredients")):
            if ingredient.get("active_manifest"):
                out[str(ingredient["active_manifest"])] = str(ingredient.get("relationship", ""))
    return out


def _claims(manifest: Mapping[str, object], where: str, relationship: str | None
            ) -> Iterator[Claim]:
    signer = _signer(manifest)
    for assertion in shape.records(manifest.get("assertions")):
        if not str(assertion.get("label", "")).startswith("c2pa.actions"):
            continue  # c2pa.actions (v1) and c2pa.actions.v2 both count
        data = assertion.get("data")
        if not isinstance(data, Mapping):
            continue
        for action in effective_actions(data):
            dst = sourcetype.normalise(_text(action.get("digitalSourceType")))
            if not dst:
                continue
            name, version = _agent(action.get("softwareAgent"))
            yield Claim(where, _text(action.get("action")) or "?", dst, name, version, signer,
                        relationship if where == "ingredient" else None,
                        _text(action.get("when")) or _signed_time(manifest))


def effective_actions(data: Mapping[str, object]) -> Iterator[JsonObject]:
    """Each action with its templates overlaid (``*`` first, then the action's own name,
    then the action itself) and a ``softwareAgentIndex`` turned into the agent it names."""
    templates: dict[str, JsonObject] = {}
    for template in shape.records(data.get("templates")):
        templates[str(template.get("action", "*"))] = template
    agents = shape.items(data.get("softwareAgents"))
    for action in shape.records(data.get("actions")):
        merged: JsonObject = {}
        merged.update(templates.get("*", {}))
        merged.update(templates.get(str(action.get("action")), {}))
        merged.update(action)
        index = merged.get("softwareAgentIndex")
        if "softwareAgent" not in merged and isinstance(index, int) and 0 <= index < len(agents):
            merged["softwareAgent"] = agents[index]
        yield merged


def _agent(value: object) -> tuple[str | None, str | None]:
    """softwareAgent as (name, version): v1 is a string, v2 a generator-info map."""
    if isinstance(value, Mapping):
        return _text(value.get("name")), _text(value.get("version"))
    return _text(value), None


def _signed_time(manifest: Mapping[str, object]) -> str | None:
    """The claim's signing time: media is made no later than its manifest is signed."""
    return _text(shape.mapping(manifest.get("signature_info")).get("time"))


def _signer(manifest: Mapping[str, object]) -> str | None:
    info = shape.mapping(manifest.get("signature_info"))
    return _text(info.get("issuer")) or _text(info.get("common_name"))


def _generator(manifest: Mapping[str, object]) -> str | None:
    infos = manifest.get("claim_generator_info")
    if isinstance(infos, list) and infos and isinstance(infos[0], Mapping):
        name, version = _text(infos[0].get("name")), _text(infos[0].get("version"))
        return " ".join(p for p in (name, version) if p) or None
    return _text(manifest.get("claim_generator"))


def _text(value: object) -> str | None:
    """Manifest text on one line and cut short (attacker-chosen: a report repeats it)."""
    text = shape.text(value)
    return " ".join(text.split())[:_MAX_TEXT] if text else None
