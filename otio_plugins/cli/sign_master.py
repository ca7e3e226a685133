"""``aiclear sign-master MASTER --certificate CERT --cert CHAIN.pem --key KEY.pem -o OUT``:
Content Credentials (C2PA) for the rendered master, from its clearance certificate.

MP4, MOV, M4A and WAV masters get the manifest embedded in a signed copy; any other
format gets a detached ``.c2pa`` sidecar (``-o`` must then end in ``.c2pa``). MASTER is
never changed; OUT is written atomically.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from aiclear.cli.common import Subparsers
from aiclear.errors import Blocked, InputError, UsageError
from aiclear.safety import shape
from aiclear.safety.fileio import output_target

if TYPE_CHECKING:
    from aiclear.provenance.payload import Certificate


def register(sub: Subparsers) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "sign-master", help="embed Content Credentials (C2PA) in the rendered master",
        description="Sign the rendered master with a C2PA manifest built from its clearance "
                    "certificate: one action with a temporal region per AI segment, the AI "
                    "assets as ingredients, the certificate's digest as an assertion.")
    parser.add_argument("master", metavar="MASTER", type=Path,
                        help="the rendered master (MP4, MOV, WAV; others get a .c2pa sidecar)")
    parser.add_argument("--certificate", required=True, metavar="CERT", type=Path,
                        help="the clearance certificate written by 'aiclear certify'")
    parser.add_argument("--cert", required=True, metavar="CHAIN.pem", type=Path,
                        help="C2PA signing certificate chain, signing certificate first")
    parser.add_argument("--key", required=True, metavar="KEY.pem", type=Path,
                        help="the signing certificate's private key (PKCS#8 PEM)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="the signed master (or the .c2pa sidecar) to write")
    parser.add_argument("--media-root", dest="media_root", action="append", default=[],
                        metavar="DIR", type=Path,
                        help="folder holding the AI source media (ingredients); repeatable; "
                             "default: the folders of MASTER and CERT")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aiclear.provenance import master
    from aiclear.provenance.duration import media_seconds
    from aiclear.provenance.verify import open_certificate, read_certificate
    from aiclear.safety.fileio import atomic_stream, atomic_write

    source = args.master
    if not source.is_file():
        raise InputError(source, "no such master")
    out = output_target(args.output, source, args.certificate, args.cert, args.key)
    if Path(args.output).is_symlink():
        raise UsageError(f"{args.output}: is a symlink; refusing to write through it")
    sidecar = source.suffix.lower() not in master.EMBED
    if sidecar and out.suffix.lower() != ".c2pa":
        raise UsageError(f"{source.name}: c2pa cannot embed into {source.suffix or 'this format'}; "
                         "give -o a .c2pa sidecar name, e.g. "
                         f"{source.name}.c2pa")
    data = read_certificate(args.certificate)
    checked, payload = open_certificate(data, str(args.certificate))
    if payload is None:
        raise Blocked(f"{args.certificate}: {checked.reason()}")
    if payload["intent"] != "final":
        raise Blocked(f"{args.certificate}: a review certificate; only a final clearance "
                      "goes into a master (run 'aiclear certify' once nothing blocks)")
    _check_duration(source, payload, media_seconds(source))
    roots = [*args.media_root, source.resolve().parent, args.certificate.resolve().parent]
    sources = master.find_sources(payload, roots)
    envelope = shape.mapping(json.loads(data.decode("utf-8")))  # opened above: an object
    made = master.plan(payload, checked.digest or "", envelope, out.name, sources)
    chain, key = _pem(args.cert, "certificate chain"), _pem(args.key, "private key")
    if sidecar:  # c2pa still writes a copy of the master: a scratch file, thrown away
        with tempfile.TemporaryFile(dir=out.parent) as scratch:
            manifest = master.sign(made, source, scratch, chain, key, str(args.key), sidecar=True)
        atomic_write(out, manifest)
    else:
        with atomic_stream(out) as dst:
            master.sign(made, source, dst, chain, key, str(args.key), sidecar=False)
    for line in made.notes:
        print(f"aiclear: note: {line}")  # noqa: T201
    print(f"signed {out}: {len(master.regions(payload))} AI region(s), "  # noqa: T201
          f"{len(made.ingredients)} ingredient(s), certificate {checked.digest}")
    return 0


def _check_duration(master_path: Path, payload: Certificate, seconds: float | None) -> None:
    """The master must be the certified cut: same length to within one frame."""
    rate = float(payload["timeline"]["rate"])
    frames = int(payload["timeline"]["duration_frames"])
    want = frames / rate
    if seconds is None:
        raise InputError(master_path, "cannot read its duration with PyAV",
                         expected="a media file ffmpeg can open")
    if abs(seconds - want) > 1.0 / rate + 1e-6:
        raise Blocked(f"{master_path.name}: lasts {seconds:.3f} s but the certified timeline "
                      f"{payload['timeline']['name']!r} lasts {want:.3f} s ({frames} frames at "
                      f"{rate:g} fps); render the certified cut")


def _pem(path: Path, what: str) -> bytes:
    try:
        if path.stat().st_size > 64 * 1024:
            raise InputError(path, f"too large for a {what}")
        data = path.read_bytes()
    except OSError as err:
        raise InputError(path, f"cannot read the {what} ({err.strerror or err})") from err
    if b"-----BEGIN" not in data:
        raise InputError(path, f"not a PEM {what}", expected="PEM text")
    return data
