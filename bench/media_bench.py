"""Media probing benchmark: 1,000 small media files (some C2PA-signed), probed cold and
warm through ``aiclear.media.Prober``, against a serial ``ffprobe`` subprocess per file.

    .venv/bin/python bench/media_bench.py [--files 1000] [--jobs N] [--signed 0.2]

Prints two ratios: warm / cold time (target <= 0.05) and cold throughput / ffprobe
throughput (how many times faster than shelling out to ffprobe per file). The ffprobe run
only reads container metadata, so it does less than the prober (no sha256, no C2PA,
no XMP): the ratio is conservative.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import c2pa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from aiclear.media import Prober

TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-nostdin", *args], check=True)


def bases(folder: Path) -> list[Path]:
    """A handful of distinct small files: H.264 MP4 and MOV, WAV, PNG, JPEG."""
    src = "testsrc=size=160x90:rate=24:duration=1"
    out = [folder / "base.mp4", folder / "base.mov", folder / "base.wav",
           folder / "base.png", folder / "base.jpg"]
    for path in out[:2]:
        ffmpeg("-f", "lavfi", "-i", src, "-f", "lavfi", "-i", "sine=duration=1",
               "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path))
    ffmpeg("-f", "lavfi", "-i", "sine=duration=1", str(out[2]))
    for path in out[3:]:
        ffmpeg("-f", "lavfi", "-i", src, "-frames:v", "1", str(path))
    return out


def pki(folder: Path) -> tuple[bytes, bytes]:
    """Root CA + signing leaf with the extensions c2pa-rs requires; returns (chain, key)."""
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bench Root"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Bench")])
    root_key = ec.generate_private_key(ec.SECP256R1())
    ski = x509.SubjectKeyIdentifier.from_public_key(root_key.public_key())
    root = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(ski, critical=False).sign(root_key, hashes.SHA256()))
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bench Signer"),
                           x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Bench")])
    leaf = (x509.CertificateBuilder().subject_name(leaf_name).issuer_name(name)
            .public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False,
                                         False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                                  ObjectIdentifier("1.3.6.1.5.5.7.3.36")]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski),
                           critical=False)
            .sign(root_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    (folder / "root.pem").write_bytes(root.public_bytes(pem))
    key = leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
    return leaf.public_bytes(pem) + root.public_bytes(pem), key


def make_files(folder: Path, count: int, signed_share: float) -> list[str]:
    base = bases(folder)
    chain, key = pki(folder)
    ctx = c2pa.Context(c2pa.Settings.from_dict({
        "verify": {"remote_manifest_fetch": False},
        "builder": {"thumbnail": {"enabled": False}}}))
    info = c2pa.C2paSignerInfo(alg=c2pa.C2paSigningAlg.ES256, sign_cert=chain,
                               private_key=key, ta_url=None)
    every = max(1, round(1 / signed_share)) if signed_share > 0 else 0
    paths: list[str] = []
    with c2pa.Signer.from_info(info) as signer:
        for i in range(count):
            src = base[i % len(base)]
            dst = folder / f"clip_{i:05d}{src.suffix}"
            if every and i % every == 0:
                manifest = {"claim_generator_info": [{"name": "bench", "version": "1"}],
                            "assertions": [{"label": "c2pa.actions", "data": {"actions": [
                                {"action": "c2pa.created", "digitalSourceType": TRAINED,
                                 "softwareAgent": {"name": f"Bench Model {i}"}}]}}]}
                with c2pa.Builder(manifest, ctx) as builder:
                    builder.sign_file(str(src), str(dst), signer)
            else:
                shutil.copyfile(src, dst)
            paths.append(str(dst))
    return paths


def timed(fn) -> tuple[float, object]:  # noqa: ANN001
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--signed", type=float, default=0.2, help="share of C2PA-signed files")
    parser.add_argument("--ffprobe-files", type=int, default=0,
                        help="time ffprobe on only this many files (0: all)")
    args = parser.parse_args()
    if not shutil.which("ffmpeg") or not shutil.which("ffprobe"):
        print("media_bench: ffmpeg and ffprobe are needed (scripts/setup.sh installs them)",
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="aiclear-bench-") as tmp:
        folder = Path(tmp)
        gen, paths = timed(lambda: make_files(folder, args.files, args.signed))
        cache = folder / "cache.sqlite3"
        anchors = folder / "root.pem"
        cold_prober = Prober(cache_path=cache, trust_anchors=anchors, jobs=args.jobs,
                             progress=False)
        cold, cold_out = timed(lambda: cold_prober.probe_paths(paths))
        warm_prober = Prober(cache_path=cache, trust_anchors=anchors, jobs=args.jobs,
                             progress=False)
        warm, warm_out = timed(lambda: warm_prober.probe_paths(paths))
        assert warm_prober.probed == 0
        assert warm_prober.cache.hits == len(paths)
        ai = sum(r.is_ai for r in cold_out.values())
        sample = paths[: args.ffprobe_files] if args.ffprobe_files else paths
        ffprobe_time, _ = timed(lambda: [subprocess.run(
            ["ffprobe", "-v", "error", "-print_format", "json", "-show_format",
             "-show_streams", p], check=True, capture_output=True) for p in sample])

    n = len(paths)
    cold_rate, ffprobe_rate = n / cold, len(sample) / ffprobe_time
    print(f"files: {n} ({ai} C2PA AI-signed), generated in {gen:.1f} s; jobs={args.jobs}")
    print(f"cold probe:  {cold:8.3f} s  ({cold_rate:8.1f} files/s; sha256 + C2PA + XMP + tags)")
    print(f"warm probe:  {warm:8.3f} s  ({n / warm:8.1f} files/s; cache hits {n})")
    print(f"ffprobe:     {ffprobe_time:8.3f} s  ({ffprobe_rate:8.1f} files/s; serial subprocess, "
          f"{len(sample)} files)")
    print(f"warm/cold ratio: {warm / cold:.4f} (target <= 0.05) "
          f"{'OK' if warm / cold <= 0.05 else 'MISSED'}")
    print(f"cold throughput vs serial ffprobe: {cold_rate / ffprobe_rate:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
