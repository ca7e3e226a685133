"""Content Credentials on the rendered master (c2pa-python's Builder), and reading them back.

One manifest per master: a ``c2pa.created`` action for the render itself (the
production's cut), then one action per enabled AI segment of the certificate -
``c2pa.placed`` with the AI asset as a ``componentOf`` ingredient when its bytes are at
hand (their own manifest travels with them), else ``c2pa.edited`` - each with the
segment's IPTC digital source type and a temporal region (npt seconds from the start of
the master). The certificate itself goes in a ``com.aiclear.clearance`` assertion with
its payload digest, so the master points at the proof and the proof at the timeline.

Offline: remote manifests and OCSP are never fetched, the signer has no TSA URL.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import IO, TYPE_CHECKING

from aiclear import __version__
from aiclear.errors import InputError, UsageError
from aiclear.media import hashing
from aiclear.model import JsonObject
from aiclear.provenance.payload import Certificate, SegmentBlock
from aiclear.safety import shape

if TYPE_CHECKING:
    import c2pa

ASSERTION = "com.aiclear.clearance"
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
#: masters c2pa embeds into; anything else gets a ``.c2pa`` sidecar
EMBED = {".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime",
         ".wav": "audio/wav", ".m4a": "audio/mp4"}
INGREDIENT_MIME = {**EMBED, ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
                   ".tif": "image/tiff", ".tiff": "image/tiff", ".webp": "image/webp",
                   ".mp3": "audio/mpeg", ".flac": "audio/flac", ".avi": "video/x-msvideo"}
MAX_KEY = 64 * 1024


@dataclass(frozen=True, slots=True)
class Ingredient:
    instance_id: str
    path: Path
    mime: str
    title: str


@dataclass(slots=True)
class Plan:
    """What goes into the manifest, before any signing."""

    manifest: JsonObject
    ingredients: list[Ingredient] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def npt(frames: int, rate: float) -> str:
    """Seconds as C2PA npt text, exact to the microsecond (rates like 23.976 are not)."""
    value = Fraction(frames) / Fraction(rate).limit_denominator(1001 * 1000)
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text or "0"


def regions(payload: Certificate) -> list[tuple[str, str, str, str]]:
    """(segment id, source type, start, end) of every enabled segment: what a master's
    manifest must show, derived from the certificate alone."""
    rate = float(payload["timeline"]["rate"])
    out = []
    for seg in payload["segments"]:
        if seg.get("enabled"):
            out.append((seg["segment_id"], seg["source_type"],
                        npt(seg["frames"]["start"], rate), npt(seg["frames"]["end"], rate)))
    return out


def plan(payload: Certificate, digest: str, envelope: Mapping[str, object],
         title: str, sources: Mapping[str, Path]) -> Plan:
    """The manifest for a master cut from the certified timeline. ``sources`` maps an
    asset id to a file whose bytes hash to it."""
    production = str(payload["root"]["production"]) or "unnamed production"
    out = Plan({
        "claim_generator_info": [{"name": production, "version": __version__,
                                  "org.aiclear.tool": f"aiclear {__version__}"}],
        "title": title,
        "assertions": [],
    })
    actions: list[JsonObject] = [{
        "action": "c2pa.created",
        "digitalSourceType": IPTC + ("compositeWithTrainedAlgorithmicMedia"
                                     if payload["segments"] else "digitalCapture"),
        "softwareAgent": {"name": "aiclear", "version": __version__},
        "description": f"the cut {payload['timeline']['name']!r}, cleared under "
                       f"{payload['policy']['name']}",
    }]
    ids: dict[str, str] = {}
    seg_by_id = {s["segment_id"]: s for s in payload["segments"]}
    for segment_id, dst, start, end in regions(payload):
        seg = seg_by_id[segment_id]
        source = sources.get(seg["asset_id"])
        if source is not None:
            if seg["asset_id"] not in ids:
                ids[seg["asset_id"]] = f"asset-{len(ids) + 1}"
                out.ingredients.append(Ingredient(ids[seg["asset_id"]], source,
                                                  _mime(source), seg.get("media") or source.name))
        else:
            out.notes.append(f"{segment_id}: no readable source for {seg['asset_id']}; "
                             "recorded as c2pa.edited without an ingredient")
        ingredient = ids[seg["asset_id"]] if source is not None else None
        actions.append(_action(seg, dst, start, end, ingredient))
    out.manifest["assertions"] = [
        {"label": "c2pa.actions.v2", "data": {"actions": actions}},
        {"label": ASSERTION, "data": {
            "payloadType": envelope["payloadType"],
            "payload_sha256": digest,
            "timeline_sha256": payload["timeline"]["sha256"],
            "root_fingerprint": payload["root"]["fingerprint"],
            "ledger_head": payload["ledger"]["head"],
            "certificate": dict(envelope),
        }},
    ]
    return out


def _action(seg: SegmentBlock, dst: str, start: str, end: str,
            ingredient: str | None) -> JsonObject:
    """One AI segment's action: ``c2pa.placed`` with its source as the ingredient when the
    bytes are at hand, else ``c2pa.edited``."""
    parameters: JsonObject = {"org.aiclear.asset_id": seg["asset_id"]}
    if ingredient is not None:
        parameters["ingredientIds"] = [ingredient]
    action: JsonObject = {
        "action": "c2pa.edited" if ingredient is None else "c2pa.placed",
        "digitalSourceType": dst,
        "changes": [{"region": [{"type": "temporal",
                                 "time": {"type": "npt", "start": start, "end": end}}],
                     "identifier": seg["segment_id"],
                     "description": f"{seg['track']['label']} {seg['timecode']['start']}-"
                                    f"{seg['timecode']['end']} {seg['ai_class']}"}],
        "parameters": parameters,
    }
    if seg.get("tool"):
        action["softwareAgent"] = {"name": str(seg["tool"])}
    return action


def _mime(path: Path) -> str:
    return INGREDIENT_MIME.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] \
        or "application/octet-stream"


# --------------------------------------------------------------------------- sources

def _content_id(path: Path, like: str) -> str:
    """The file's id in the form ``like`` uses (``blake3:`` today, ``sha256:`` in ledgers
    from before BLAKE3), hashed by the same code that made the id."""
    return hashing.legacy_id(path) if like.startswith("sha256:") else hashing.asset_id(path)


def find_sources(payload: Certificate, roots: Sequence[Path]) -> dict[str, Path]:
    """asset id -> a file under ``roots`` named as the certificate says and whose bytes
    hash to the asset id (identity from bytes: a same-named file is not the asset).
    UsageError for a hashed asset whose bytes are nowhere to be found."""
    found: dict[str, Path] = {}
    missing: list[str] = []
    for seg in payload["segments"]:
        asset = seg["asset_id"]
        if not seg.get("enabled") or asset in found or not hashing.is_content_id(asset):
            continue
        path = _locate(seg.get("media"), asset, roots)
        if path is None:
            missing.append(f"{seg['segment_id']} ({seg.get('media') or '?'})")
        else:
            found[asset] = path
    if missing:
        where = ", ".join(str(r) for r in roots) or "nowhere"
        raise UsageError(f"source media of {len(missing)} AI segment(s) not found under "
                         f"{where} with the certified bytes: {', '.join(missing[:5])} "
                         "(pass --media-root DIR)")
    return found


def _locate(name: str | None, asset: str, roots: Iterable[Path]) -> Path | None:
    if not name:
        return None
    for root in roots:
        candidate = root / Path(name).name
        if candidate.is_file() and _content_id(candidate, asset) == asset:
            return candidate
    return None


# --------------------------------------------------------------------------- signing

def signing_alg(key_pem: bytes, where: str) -> c2pa.C2paSigningAlg:
    """The c2pa algorithm for a PKCS#8 private key (ES256/384/512, Ed25519, PS256)."""
    import c2pa
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    try:
        key = serialization.load_pem_private_key(key_pem, None)
    except (ValueError, TypeError) as err:
        raise InputError(where, "unreadable private key",
                         expected="an unencrypted PKCS#8 PEM key") from err
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return c2pa.C2paSigningAlg.ED25519
    if isinstance(key, rsa.RSAPrivateKey):
        return c2pa.C2paSigningAlg.PS256
    if isinstance(key, ec.EllipticCurvePrivateKey):
        by_curve = {"secp256r1": c2pa.C2paSigningAlg.ES256, "secp384r1": c2pa.C2paSigningAlg.ES384,
                    "secp521r1": c2pa.C2paSigningAlg.ES512}
        if key.curve.name in by_curve:
            return by_curve[key.curve.name]
    raise InputError(where, "unsupported key type",
                     expected="an EC P-256/P-384/P-521, Ed25519 or RSA key")


def builder_context() -> c2pa.Context:
    import c2pa

    return c2pa.Context(c2pa.Settings.from_dict({
        "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
        "builder": {"thumbnail": {"enabled": False}},
    }))


def sign(made: Plan, master: Path, out_stream: IO[bytes], chain_pem: bytes, key_pem: bytes,
         key_where: str, *, sidecar: bool) -> bytes:
    """Sign ``master`` into ``out_stream`` (the signed copy), or return the detached
    manifest bytes for a sidecar (``out_stream`` then receives nothing useful)."""
    import c2pa

    info = c2pa.C2paSignerInfo(alg=signing_alg(key_pem, key_where), sign_cert=chain_pem,
                               private_key=key_pem, ta_url=None)  # no TSA: no network
    mime = EMBED.get(master.suffix.lower()) or _mime(master)
    try:
        with c2pa.Signer.from_info(info) as signer, \
                c2pa.Builder(made.manifest, builder_context()) as builder:
            for ing in made.ingredients:
                with open(ing.path, "rb") as fh:
                    builder.add_ingredient({"title": ing.title, "relationship": "componentOf",
                                            "instance_id": ing.instance_id}, ing.mime, fh)
            if sidecar:
                builder.set_no_embed()
            with open(master, "rb") as src:
                data: bytes = builder.sign(signer, mime, src, out_stream)
                return data
    except c2pa.C2paError as err:
        text = " ".join(str(err).split())[:300]
        raise InputError(master, f"C2PA signing failed: {text}",
                         expected="a certificate chain and key c2pa accepts (leaf first)") from err


# --------------------------------------------------------------------------- reading back

@dataclass(slots=True)
class MasterRead:
    state: str  # Trusted | Untrusted | Valid | Invalid | none
    codes: list[str]
    assertion: JsonObject | None
    regions: list[tuple[str, str, str, str]]
    error: str | None = None


def read_master(path: Path, anchors_pem: str | None) -> MasterRead:
    """The master's active manifest (embedded or a ``.c2pa`` sidecar), read offline."""
    import c2pa

    from aiclear.media import c2pa_read

    context = c2pa_read.make_context(anchors_pem)
    try:
        reader = c2pa.Reader.try_create(str(path), context=context)
    except c2pa.C2paError.NotSupported:
        reader = None
    except c2pa.C2paError as err:
        return MasterRead("Invalid", [], None, [], " ".join(str(err).split())[:200])
    if reader is None:
        reader = _sidecar_reader(path, context)
    if reader is None:
        return MasterRead("none", [], None, [])
    try:
        with reader:
            store = shape.mapping(json.loads(reader.json()))
            state = str(reader.get_validation_state())
    except (c2pa.C2paError, ValueError) as err:
        return MasterRead("Invalid", [], None, [], " ".join(str(err).split())[:200])
    interpreted = c2pa_read.from_store(store, state)
    label = store.get("active_manifest")
    active = shape.mapping(shape.mapping(store.get("manifests")).get(label)) \
        if isinstance(label, str) else {}
    return MasterRead(interpreted.state, interpreted.codes, _assertion(active),
                      _regions(active))


def _sidecar_reader(path: Path, context: c2pa.Context) -> c2pa.Reader | None:
    import c2pa

    from aiclear.media import c2pa_read

    sidecar = c2pa_read.sidecar_for(path)
    if sidecar is None or sidecar.stat().st_size > c2pa_read.MAX_SIDECAR:
        return None
    with open(path, "rb") as media:
        return c2pa.Reader(_mime(path), media, manifest_data=sidecar.read_bytes(),
                           context=context)


def _assertion(active: Mapping[str, object]) -> JsonObject | None:
    for item in shape.records(active.get("assertions")):
        if item.get("label") == ASSERTION:
            data = item.get("data")
            return shape.mapping(data) if isinstance(data, Mapping) else None
    return None


def _regions(active: Mapping[str, object]) -> list[tuple[str, str, str, str]]:
    """(identifier, source type, start, end) of every temporal region the manifest's actions
    state; what is not of the C2PA shape reads as absent."""
    out = []
    for item in shape.records(active.get("assertions")):
        if not str(item.get("label", "")).startswith("c2pa.actions"):
            continue
        for act in shape.records(shape.mapping(item.get("data")).get("actions")):
            for change in shape.records(act.get("changes")):
                for rng in shape.records(change.get("region")):
                    time = shape.mapping(rng.get("time"))
                    if rng.get("type") == "temporal":
                        out.append((str(change.get("identifier")),
                                    str(act.get("digitalSourceType")),
                                    str(time.get("start")), str(time.get("end"))))
    return out
