"""How certify and verify scale: a cut of N AI clips (declared in a register, all
approved by legal), certified, then verified with --timeline and --ledger.

    python bench/bench_provenance.py [N]     # default 1000; prints seconds and CPU time
"""

from __future__ import annotations

import contextlib
import io
import resource
import sys
import tempfile
import time
from pathlib import Path

import opentimelineio as otio

from aiclear.cli import main
from aiclear.detect.register import load_register
from aiclear.ledger.keys import new_key, write_key
from aiclear.ledger.statement import decision_statement, keyring_statement, sign
from aiclear.ledger.store import open_store
from aiclear.scan.core import scan_file
from aiclear.scan.settings import ScanSettings

RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange
REGISTER = """aiclear_register: 1
production: Bench
assets:
  - id: REG-1
    match: {glob: "gen_*"}
    tool: Example Model
    use: background_element
    source_type: trainedAlgorithmicMedia
"""


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(label: str, argv: list[str]) -> None:
    start, c0 = time.perf_counter(), cpu()
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    print(f"{label:8} exit {code}  {time.perf_counter() - start:6.2f} s  cpu {cpu() - c0:6.2f} s")


def build(folder: Path, n: int) -> tuple[Path, Path, Path, Path]:
    tl = otio.schema.Timeline("bench")
    track = otio.schema.Track("V1")
    for i in range(n):
        track.append(otio.schema.Clip(f"shot {i}", media_reference=otio.schema.ExternalReference(
            f"file:///nowhere/gen_{i:05d}.mov"), source_range=TR(RT(0, 24), RT(24, 24))))
    tl.tracks.append(track)
    path = folder / "bench.otio"
    tl.to_json_file(str(path))
    register = folder / "register.yaml"
    register.write_text(REGISTER)
    admin, legal = new_key("Admin", "admin"), new_key("Legal", "legal")
    write_key(legal, folder / "legal.key")
    ledger = folder / "aiclear-ledger.sqlite"
    settings = ScanSettings(registers=[load_register(register)])
    [result] = scan_file(path, settings)
    with open_store(str(ledger), create=True) as store:
        for statement, key in (
                (keyring_statement(admin, action="trust", key=admin.public_text, name="Admin",
                                   role="admin", production="Bench"), admin),
                (keyring_statement(admin, action="trust", key=legal.public_text, name="Legal",
                                   role="legal", production="Bench"), admin)):
            store.append(statement, sign(key, statement))
        for seg in result.segments:
            st = decision_statement(legal, asset_id=seg.asset_id, decision="approve",
                                    production="Bench", role="legal", approver="Legal")
            store.append(st, sign(legal, st))
    return path, register, ledger, folder / "legal.key"


def run(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path, register, ledger, key = build(folder, n)
        cert = folder / "bench.clearance.json"
        timed("certify", ["certify", str(path), "-o", str(cert), "--key", str(key),
                          "--register", str(register), "--no-media"])
        import base64
        import json

        fp = json.loads(base64.b64decode(json.loads(cert.read_text())["payload"]))["root"][
            "fingerprint"]
        print(f"certificate: {cert.stat().st_size / 1024:.0f} KiB for {n} segments")
        timed("verify", ["verify", str(cert), "--trust-root", fp, "--timeline", str(path),
                         "--register", str(register), "--no-media", "--ledger", str(ledger)])


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
