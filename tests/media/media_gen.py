"""Make test media at test time: ffmpeg lavfi sources, c2pa-python signing with the test
PKI (media_pki), XMP written by exiftool, and the damage tests need (tamper, truncate)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import c2pa
import pytest

from tests.media.media_pki import Pki

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED = IPTC + "trainedAlgorithmicMedia"
COMPOSITE_AI = IPTC + "compositeWithTrainedAlgorithmicMedia"
CAPTURE = IPTC + "digitalCapture"
ALGORITHMIC = IPTC + "algorithmicMedia"

MIME = {".mp4": "video/mp4", ".mov": "video/quicktime", ".wav": "audio/wav",
        ".png": "image/png", ".jpg": "image/jpeg"}


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (scripts/setup.sh installs it)")
    return path


def ffmpeg(*args: str) -> None:
    subprocess.run([need("ffmpeg"), "-v", "error", "-y", "-nostdin", *args], check=True)


def make_video(path: Path, *, seconds: float = 0.4, metadata: dict[str, str] | None = None,
               source: str = "testsrc") -> Path:
    tags = [a for k, v in (metadata or {}).items() for a in ("-metadata", f"{k}={v}")]
    ffmpeg("-f", "lavfi", "-i", f"{source}=size=64x48:rate=10:duration={seconds}",
           "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
           "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
           *tags, str(path))
    return path


def make_wav(path: Path, seconds: float = 0.3) -> Path:
    ffmpeg("-f", "lavfi", "-i", f"sine=frequency=220:duration={seconds}", str(path))
    return path


def make_still(path: Path) -> Path:
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=1", "-frames:v", "1", str(path))
    return path


def actions(*acts: dict[str, Any], templates: list[dict[str, Any]] | None = None,
            label: str = "c2pa.actions.v2") -> dict[str, Any]:
    data: dict[str, Any] = {"actions": list(acts)}
    if templates:
        data["templates"] = templates
    return {"claim_generator_info": [{"name": "aiclear-tests", "version": "1"}],
            "assertions": [{"label": label, "data": data}]}


def created(dst: str, agent: Any = None) -> dict[str, Any]:
    act: dict[str, Any] = {"action": "c2pa.created", "digitalSourceType": dst}
    if agent is not None:
        act["softwareAgent"] = agent
    return act


_BUILD_CTX = None


def _context() -> c2pa.Context:
    global _BUILD_CTX
    if _BUILD_CTX is None:
        _BUILD_CTX = c2pa.Context(c2pa.Settings.from_dict({
            "verify": {"remote_manifest_fetch": False},
            "builder": {"thumbnail": {"enabled": False}}}))
    return _BUILD_CTX


def _signer(pki: Pki) -> c2pa.Signer:
    info = c2pa.C2paSignerInfo(alg=c2pa.C2paSigningAlg.ES256,
                               sign_cert=pki.chain_pem.read_bytes(),
                               private_key=pki.key_pem.read_bytes(), ta_url=None)
    return c2pa.Signer.from_info(info)


def sign(pki: Pki, src: Path, dst: Path, manifest: dict[str, Any], *,
         ingredients: Sequence[tuple[dict[str, Any], Path]] = (),
         remote_url: str | None = None) -> Path:
    """Sign ``src`` into ``dst`` with the test PKI (no TSA: no network)."""
    with _signer(pki) as signer, c2pa.Builder(manifest, _context()) as builder:
        for meta, ingredient in ingredients:
            with open(ingredient, "rb") as fh:
                builder.add_ingredient(meta, MIME[ingredient.suffix], fh)
        if remote_url:
            builder.set_no_embed()
            builder.set_remote_url(remote_url)
        builder.sign_file(str(src), str(dst), signer)
    return dst


def tamper(path: Path, dst: Path) -> Path:
    """Flip bytes in the middle of the media data, after signing."""
    data = bytearray(path.read_bytes())
    middle = len(data) * 2 // 3
    for i in range(middle, middle + 16):
        data[i] ^= 0xFF
    dst.write_bytes(bytes(data))
    return dst


def truncate(path: Path, dst: Path, keep: float = 0.3) -> Path:
    data = path.read_bytes()
    dst.write_bytes(data[: int(len(data) * keep)])
    return dst


def write_xmp_dst(path: Path, dst_uri: str) -> Path:
    subprocess.run([need("exiftool"), "-q", "-overwrite_original",
                    f"-XMP-iptcExt:DigitalSourceType={dst_uri}", str(path)], check=True)
    return path


def ffprobe_json(path: Path) -> dict[str, Any]:
    out = subprocess.run([need("ffprobe"), "-v", "error", "-print_format", "json",
                          "-show_format", "-show_streams", str(path)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def make_mxf(path: Path, seconds: float = 0.4) -> Path:
    ffmpeg("-f", "lavfi", "-i", f"testsrc=size=64x48:rate=25:duration={seconds}",
           "-c:v", "mpeg2video", str(path))
    return path


def sign_sidecar(pki: Pki, media: Path, manifest: dict[str, Any],
                 mime: str = "application/mxf") -> Path:
    """A detached manifest for ``media`` written to ``<name>.c2pa`` beside it."""
    scratch = media.with_name(media.name + ".signed-copy")
    with _signer(pki) as signer, c2pa.Builder(manifest, _context()) as builder:
        builder.set_no_embed()
        with open(media, "rb") as src, open(scratch, "wb") as dst:
            data = builder.sign(signer, mime, src, dst)
    scratch.unlink()
    sidecar = media.with_suffix(".c2pa")
    sidecar.write_bytes(data)
    return sidecar
